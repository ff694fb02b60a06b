package dev.sharedstruct.processor.write;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeName;
import dev.sharedstruct.processor.model.FieldModel;
import dev.sharedstruct.processor.model.GeneratedNames;
import javax.lang.model.element.Modifier;

/** The per-field constants field writers share; each is read back from {@code LAYOUT} by name. */
final class Constants {
    private Constants() {
    }

    /** {@code X_HANDLE = LAYOUT.varHandle(groupElement("x"))}. */
    static FieldSpec handle(FieldModel field) {
        return FieldSpec.builder(Names.VAR_HANDLE, field.handleName(), Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("{@code $L} at offset $L.\n", field.placed().cDeclaration(), field.offset())
                .initializer("$N.varHandle($T.groupElement($S))", GeneratedNames.LAYOUT, Names.PATH_ELEMENT, field.name())
                .build();
    }

    /** {@code SAMPLES_HANDLE = LAYOUT.varHandle(groupElement("samples"), sequenceElement())}: indexed by element. */
    static FieldSpec elementHandle(FieldModel field) {
        return FieldSpec.builder(Names.VAR_HANDLE, field.handleName(), Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("{@code $L} at offset $L, by element.\n", field.placed().cDeclaration(), field.offset())
                .initializer("$N.varHandle($T.groupElement($S), $T.sequenceElement())", GeneratedNames.LAYOUT,
                        Names.PATH_ELEMENT, field.name(), Names.PATH_ELEMENT)
                .build();
    }

    /** {@code NAME_OFFSET = LAYOUT.byteOffset(groupElement("name"))}. */
    static FieldSpec offset(FieldModel field) {
        return FieldSpec.builder(TypeName.LONG, field.offsetName(), Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Where {@code $L} starts ($L).\n", field.placed().cDeclaration(), field.offset())
                .initializer("$N.byteOffset($T.groupElement($S))", GeneratedNames.LAYOUT, Names.PATH_ELEMENT, field.name())
                .build();
    }

    /** {@code NAME_LENGTH = 16}. */
    static FieldSpec length(FieldModel field, int length) {
        return FieldSpec.builder(TypeName.INT, field.lengthName(), Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .initializer("$L", length)
                .build();
    }

    /** {@code (double) X_HANDLE.get(segment, 0L)}. */
    static CodeBlock read(FieldModel field, TypeName type, String segment) {
        return CodeBlock.of("($T) $N.get($N, 0L)", type, field.handleName(), segment);
    }

    /** {@code X_HANDLE.set(segment, 0L, value);}. */
    static CodeBlock write(FieldModel field, String segment, String value) {
        return CodeBlock.builder().addStatement("$N.set($N, 0L, $L)", field.handleName(), segment, value).build();
    }

    static CodeBlock returning(CodeBlock expression) {
        return CodeBlock.builder().addStatement("return $L", expression).build();
    }
}
