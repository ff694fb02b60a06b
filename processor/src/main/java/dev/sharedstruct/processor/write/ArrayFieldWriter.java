package dev.sharedstruct.processor.write;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import dev.sharedstruct.processor.layout.FieldShape;
import dev.sharedstruct.processor.layout.Primitive;
import dev.sharedstruct.processor.model.Accessor;
import dev.sharedstruct.processor.model.FieldModel;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * A {@code @Length(n)} primitive array: a handle by element for indexed access, bulk copies for
 * the whole array, and a static reader ({@code samplesOf(segment)}) that the whole-array getter
 * and the content methods share.
 */
final class ArrayFieldWriter implements FieldWriter {
    static final ArrayFieldWriter INSTANCE = new ArrayFieldWriter();

    @Override
    public CodeBlock layoutMember(FieldModel field) {
        FieldShape.PrimitiveArray shape = shape(field);
        return CodeBlock.of("$T.sequenceLayout($L, $L).withName($S)", Names.MEMORY_LAYOUT, shape.length(),
                ScalarFieldWriter.valueLayout(shape.element()), field.name());
    }

    @Override
    public List<FieldSpec> constants(FieldModel field) {
        return List.of(Constants.elementHandle(field), Constants.offset(field), Constants.length(field, shape(field).length()));
    }

    @Override
    public List<MethodSpec> helpers(FieldModel field) {
        Primitive element = shape(field).element();
        MethodSpec.Builder reader = MethodSpec.methodBuilder(readerName(field))
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(field.javaType())
                .addParameter(Names.MEMORY_SEGMENT, "segment")
                .addStatement("$T values = new $T[$N]", field.javaType(), field.elementType(), field.lengthName());
        if (element == Primitive.BOOLEAN) {
            // MemorySegment.copy has no boolean[] form.
            reader.beginControlFlow("for (int i = 0; i < $N; i++)", field.lengthName())
                    .addStatement("values[i] = (boolean) $N.get(segment, 0L, (long) i)", field.handleName())
                    .endControlFlow();
        } else {
            reader.addStatement("$T.copy(segment, $L, $N, values, 0, $N)", Names.MEMORY_SEGMENT,
                    ScalarFieldWriter.valueLayout(element), field.offsetName(), field.lengthName());
        }
        return List.of(reader.addStatement("return values").build());
    }

    @Override
    public Access access(Accessor accessor) {
        FieldModel field = accessor.field();
        return switch (accessor.kind()) {
            case GET -> Access.of(Constants.returning(CodeBlock.of("$N($N)", readerName(field), Names.SEGMENT)));
            case SET -> Access.prepared(checkWholeArray(field), writeWholeArray(field));
            case GET_AT -> Access.prepared(checkIndex(field), Constants.returning(
                    CodeBlock.of("($T) $N.get($N, 0L, (long) index)", field.elementType(), field.handleName(), Names.SEGMENT)));
            case SET_AT -> Access.prepared(checkIndex(field), CodeBlock.builder()
                    .addStatement("$N.set($N, 0L, (long) index, value)", field.handleName(), Names.SEGMENT).build());
            default -> throw new IllegalStateException(accessor.kind() + " on array field " + field.name());
        };
    }

    @Override
    public CodeBlock show(FieldModel field, String segment) {
        return CodeBlock.of("$T.toString($N($N))", Names.ARRAYS, readerName(field), segment);
    }

    @Override
    public CodeBlock equal(FieldModel field, String a, String b) {
        // Arrays.equals compares floating point as Double.equals does, like the scalar fields.
        return CodeBlock.of("$T.equals($N($N), $N($N))", Names.ARRAYS, readerName(field), a, readerName(field), b);
    }

    @Override
    public CodeBlock hash(FieldModel field, String segment) {
        return CodeBlock.of("$T.hashCode($N($N))", Names.ARRAYS, readerName(field), segment);
    }

    static CodeBlock checkIndex(FieldModel field) {
        return CodeBlock.builder()
                .addStatement("$T.checkIndex(index, $N, $S)", Names.STRUCT_SUPPORT, field.lengthName(), field.name())
                .build();
    }

    static CodeBlock checkWholeArray(FieldModel field) {
        return CodeBlock.builder()
                .addStatement("$T.requireNonNull(value, $S)", Names.OBJECTS, field.name() + " must not be null")
                .addStatement("$T.checkLength(value.length, $N, $S)", Names.STRUCT_SUPPORT, field.lengthName(), field.name())
                .build();
    }

    private static CodeBlock writeWholeArray(FieldModel field) {
        Primitive element = shape(field).element();
        if (element == Primitive.BOOLEAN) {
            return CodeBlock.builder()
                    .beginControlFlow("for (int i = 0; i < $N; i++)", field.lengthName())
                    .addStatement("$N.set($N, 0L, (long) i, value[i])", field.handleName(), Names.SEGMENT)
                    .endControlFlow()
                    .build();
        }
        return CodeBlock.builder()
                .addStatement("$T.copy(value, 0, $N, $L, $N, $N)", Names.MEMORY_SEGMENT, Names.SEGMENT,
                        ScalarFieldWriter.valueLayout(element), field.offsetName(), field.lengthName())
                .build();
    }

    private static String readerName(FieldModel field) {
        return field.name() + "Of";
    }

    private static FieldShape.PrimitiveArray shape(FieldModel field) {
        return (FieldShape.PrimitiveArray) field.shape();
    }
}
