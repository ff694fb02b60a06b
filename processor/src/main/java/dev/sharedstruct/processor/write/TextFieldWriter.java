package dev.sharedstruct.processor.write;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.sharedstruct.processor.layout.FieldShape;
import dev.sharedstruct.processor.layout.Primitive;
import dev.sharedstruct.processor.model.Accessor;
import dev.sharedstruct.processor.model.FieldModel;
import java.util.List;

/**
 * A {@code @Length(n) String}: C's {@code char name[n]}, UTF-8, NUL-padded. A new value is
 * encoded and checked before the lock is taken, then copied whole, so a refused value leaves the
 * old one intact.
 */
final class TextFieldWriter implements FieldWriter {
    static final TextFieldWriter INSTANCE = new TextFieldWriter();

    @Override
    public CodeBlock layoutMember(FieldModel field) {
        // The element is named "utf8" so that the layout text stored in regions says char[N], and
        // C and Python peers can tell text from a byte array (LayoutDescription, docs/FORMAT.md).
        return CodeBlock.of("$T.sequenceLayout($L, $L.withName($S)).withName($S)", Names.MEMORY_LAYOUT, length(field),
                ScalarFieldWriter.valueLayout(Primitive.BYTE), "utf8", field.name());
    }

    @Override
    public List<FieldSpec> constants(FieldModel field) {
        return List.of(Constants.offset(field), Constants.length(field, length(field)));
    }

    @Override
    public Access access(Accessor accessor) {
        FieldModel field = accessor.field();
        CodeBlock bytes = ScalarFieldWriter.valueLayout(Primitive.BYTE);
        return switch (accessor.kind()) {
            case GET -> Access.of(Constants.returning(read(field, Names.SEGMENT)));
            case SET -> Access.prepared(
                    CodeBlock.builder().addStatement("byte[] encoded = $T.encodeText(value, $N, $S)",
                            Names.STRUCT_SUPPORT, field.lengthName(), field.name()).build(),
                    CodeBlock.builder().addStatement("$T.copy(encoded, 0, $N, $L, $N, $N)", Names.MEMORY_SEGMENT,
                            Names.SEGMENT, bytes, field.offsetName(), field.lengthName()).build());
            case RAW_GET -> Access.of(Constants.returning(CodeBlock.of("$N.asSlice($N, $N).toArray($L)", Names.SEGMENT,
                    field.offsetName(), field.lengthName(), bytes)));
            case RAW_SET -> Access.prepared(
                    CodeBlock.builder().addStatement("$T.checkRawBytes(value, $N, $S)", Names.STRUCT_SUPPORT,
                            field.lengthName(), field.name()).build(),
                    CodeBlock.builder().addStatement("$T.copy(value, 0, $N, $L, $N, value.length)", Names.MEMORY_SEGMENT,
                            Names.SEGMENT, bytes, field.offsetName()).build());
            default -> throw new IllegalStateException(accessor.kind() + " on string field " + field.name());
        };
    }

    @Override
    public CodeBlock show(FieldModel field, String segment) {
        return read(field, segment);
    }

    @Override
    public CodeBlock equal(FieldModel field, String a, String b) {
        return CodeBlock.of("$L.equals($L)", read(field, a), read(field, b));
    }

    @Override
    public CodeBlock hash(FieldModel field, String segment) {
        return CodeBlock.of("$L.hashCode()", read(field, segment));
    }

    private static CodeBlock read(FieldModel field, String segment) {
        return CodeBlock.of("$T.readText($N, $N, $N)", Names.STRUCT_SUPPORT, segment, field.offsetName(), field.lengthName());
    }

    private static int length(FieldModel field) {
        return ((FieldShape.Text) field.shape()).length();
    }
}
