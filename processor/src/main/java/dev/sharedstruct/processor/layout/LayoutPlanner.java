package dev.sharedstruct.processor.layout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides where each field of a struct goes, exactly as a C compiler on Linux x86-64 or aarch64
 * does (and as Python's {@code ctypes.Structure} computes): fields in declaration order, each at
 * the next multiple of its alignment, the size rounded up to the largest alignment.
 *
 * <p>Pure Java on purpose (no {@code javax.lang.model}), so that plain unit tests cover it.
 */
public final class LayoutPlanner {
    /** The largest struct we lay out; far beyond any sensible shared struct, well inside a long. */
    public static final long MAX_STRUCT_SIZE = 1L << 30;

    private LayoutPlanner() {
    }

    /**
     * Lays out {@code fields} in order.
     *
     * @param structName the struct's name, for messages
     * @param fields the fields, in declaration order
     * @return where each field goes, the size, alignment and fingerprint
     * @throws IllegalArgumentException if there are no fields
     * @throws TooLargeException if the struct exceeds {@link #MAX_STRUCT_SIZE}
     */
    public static LayoutPlan plan(String structName, List<FieldSpec> fields) {
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("struct " + structName + " has no fields");
        }
        List<PlannedField> planned = new ArrayList<>(fields.size());
        long offset = 0;
        long alignment = 1;
        for (FieldSpec field : fields) {
            FieldShape shape = field.shape();
            long start = alignUp(offset, shape.alignment());
            planned.add(new PlannedField(field.name(), shape, start, start - offset));
            offset = start + shape.size();
            alignment = Math.max(alignment, shape.alignment());
            if (offset > MAX_STRUCT_SIZE) {
                throw new TooLargeException(structName, field.name(), offset);
            }
        }
        long size = alignUp(offset, alignment);
        return new LayoutPlan(structName, planned, size, alignment, size - offset, fingerprint(planned, size));
    }

    /**
     * A struct over {@link #MAX_STRUCT_SIZE}: the user's mistake, reported on the field that
     * crosses the limit, not a failure of the planner.
     */
    public static final class TooLargeException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        /** The field that crosses the limit. */
        private final String field;
        /** Where that field would end. */
        private final long end;

        TooLargeException(String structName, String field, long end) {
            super("struct " + structName + " would exceed " + MAX_STRUCT_SIZE + " bytes at field " + field);
            this.field = field;
            this.end = end;
        }

        /**
         * The field that crosses the limit.
         *
         * @return the field's name
         */
        public String field() {
            return field;
        }

        /**
         * Where that field would end.
         *
         * @return the offset just past the field, over {@link #MAX_STRUCT_SIZE}
         */
        public long end() {
            return end;
        }
    }

    static long alignUp(long offset, long alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }

    /** FNV-1a over "name:descriptor@offset;" for each field, then the size. */
    static long fingerprint(List<PlannedField> fields, long size) {
        StringBuilder canonical = new StringBuilder();
        for (PlannedField field : fields) {
            canonical.append(field.name()).append(':').append(field.shape().descriptor())
                    .append('@').append(field.offset()).append(';');
        }
        canonical.append("size=").append(size);
        long hash = 0xcbf29ce484222325L;
        for (byte b : canonical.toString().getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
