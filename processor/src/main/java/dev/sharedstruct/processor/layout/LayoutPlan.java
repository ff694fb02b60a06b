package dev.sharedstruct.processor.layout;

import java.util.List;

/**
 * Where every field of a struct lives: the single answer to "what are the offsets", which the
 * writer turns into a {@code StructLayout} with explicit padding.
 *
 * @param name the struct's C name (the interface's simple name)
 * @param trailingPadding bytes after the last field that round the size up to the alignment
 * @param fingerprint a hash of the fields' names, shapes and offsets and of the size
 */
public record LayoutPlan(String name, List<PlannedField> fields, long size, long alignment, long trailingPadding,
        long fingerprint) {

    public LayoutPlan {
        fields = List.copyOf(fields);
    }

    /** The struct as a C declaration, one field a line with its offset. */
    public String cDeclaration() {
        StringBuilder c = new StringBuilder("struct ").append(name).append(" {")
                .append("  // ").append(size).append(" bytes, aligned to ").append(alignment).append('\n');
        for (PlannedField field : fields) {
            c.append("    ").append(field.cDeclaration()).append(";  // offset ").append(field.offset());
            if (!field.shape().note().isEmpty()) {
                c.append(", ").append(field.shape().note());
            }
            c.append('\n');
        }
        return c.append("};").toString();
    }
}
