package dev.sharedstruct.processor.write;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import dev.sharedstruct.processor.layout.FieldShape;
import dev.sharedstruct.processor.model.Accessor;
import dev.sharedstruct.processor.model.FieldModel;
import java.util.List;

/**
 * Everything the generated class says about one kind of field: its member of the layout, its
 * constants, the code of its accessors, and how {@code toString}, {@code equals} and
 * {@code hashCode} read it. One implementation per {@link FieldShape}.
 */
interface FieldWriter {

    static FieldWriter of(FieldShape shape) {
        return switch (shape) {
            case FieldShape.Scalar ignored -> ScalarFieldWriter.INSTANCE;
            case FieldShape.PrimitiveArray ignored -> ArrayFieldWriter.INSTANCE;
            case FieldShape.Text ignored -> TextFieldWriter.INSTANCE;
            case FieldShape.EnumOrdinal ignored -> EnumFieldWriter.INSTANCE;
            case FieldShape.Nested ignored -> NestedFieldWriter.INSTANCE;
            case FieldShape.NestedArray ignored -> NestedArrayFieldWriter.INSTANCE;
        };
    }

    /** The field's member of {@code structLayout(...)}, named after it. */
    CodeBlock layoutMember(FieldModel field);

    /** Static constants of the generated class for this field (handles, offsets, lengths). */
    List<FieldSpec> constants(FieldModel field);

    /** Static helper methods of the generated class for this field; most kinds need none. */
    default List<MethodSpec> helpers(FieldModel field) {
        return List.of();
    }

    /** The code of one accessor of this field. */
    Access access(Accessor accessor);

    /** The field's value in {@code segment} as {@code toString} shows it. */
    CodeBlock show(FieldModel field, String segment);

    /** Whether the field is equal in segments {@code a} and {@code b}. */
    CodeBlock equal(FieldModel field, String a, String b);

    /** The hash of the field's value in {@code segment}. */
    CodeBlock hash(FieldModel field, String segment);
}
