package dev.sharedstruct.processor.write;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeSpec;
import dev.sharedstruct.processor.model.GeneratedNames;
import dev.sharedstruct.processor.model.StructModel;
import javax.lang.model.element.Modifier;

/**
 * Writes the one source file generated for a {@code @SharedStruct} interface:
 * <pre>
 * SharedStruct_Point
 *   LAYOUT, FINGERPRINT, a VarHandle per field, TYPE
 *   Type           how the runtime makes views, and describe/equals/hash of content
 *   Raw            accessors without locking
 *   Synchronized   accessors under the struct's lock
 * </pre>
 */
public final class StructWriter {
    private final String processorName;
    private final boolean markGenerated;

    /**
     * A writer whose classes carry {@code @Generated(processorName)}.
     *
     * @param processorName what {@code @Generated} names
     */
    public StructWriter(String processorName) {
        this(processorName, true);
    }

    /**
     * A writer whose classes carry {@code @Generated(processorName)} only when {@code markGenerated}:
     * a named module that does not read {@code java.compiler} cannot see that annotation.
     *
     * @param processorName what {@code @Generated} names
     * @param markGenerated whether to annotate generated classes at all
     */
    public StructWriter(String processorName, boolean markGenerated) {
        this.processorName = processorName;
        this.markGenerated = markGenerated;
    }

    public JavaFile write(StructModel struct) {
        TypeSpec.Builder builder = TypeSpec.classBuilder(struct.generatedName()).addOriginatingElement(struct.element());
        if (markGenerated) {
            builder.addAnnotation(AnnotationSpec.builder(Names.GENERATED).addMember("value", "$S", processorName).build());
        }
        TypeSpec generated = builder
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addJavadoc("The shared-memory implementation of {@link $T}, written by the sharedstruct processor.\n",
                        struct.interfaceName())
                .addJavadoc("\n<pre>\n$L\n</pre>\n", struct.plan().cDeclaration())
                .addFields(LayoutConstants.of(struct))
                .addField(com.palantir.javapoet.FieldSpec.builder(
                                ParameterizedTypeName.get(Names.STRUCT_TYPE, struct.interfaceName()), GeneratedNames.TYPE,
                                Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                        .addJavadoc("What the runtime uses to make raw and synchronized views of {@link $T}.\n",
                                struct.interfaceName())
                        .initializer("new $N()", Names.TYPE_CLASS)
                        .build())
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build())
                .addMethods(struct.fields().stream()
                        .flatMap(field -> FieldWriter.of(field.shape()).helpers(field).stream())
                        .toList())
                .addType(typeClass(struct))
                .addType(ViewClasses.raw(struct))
                .addType(ViewClasses.synchronizedView(struct))
                .build();
        JavaFile.Builder file = JavaFile.builder(struct.generatedName().packageName(), generated)
                .skipJavaLangImports(true)
                .indent("    ");
        LayoutConstants.staticImports(struct).forEach(file::addStaticImport);
        return file.build();
    }

    private static TypeSpec typeClass(StructModel struct) {
        return TypeSpec.classBuilder(Names.TYPE_CLASS)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .superclass(ParameterizedTypeName.get(Names.STRUCT_TYPE, struct.interfaceName()))
                .addMethod(MethodSpec.constructorBuilder()
                        .addModifiers(Modifier.PRIVATE)
                        .addStatement("super($T.class, $N, $N)", struct.interfaceName(), GeneratedNames.LAYOUT,
                                GeneratedNames.FINGERPRINT)
                        .build())
                .addMethod(MethodSpec.methodBuilder("newRaw")
                        .addAnnotation(Override.class)
                        .addModifiers(Modifier.PROTECTED)
                        .returns(struct.interfaceName())
                        .addParameter(Names.SHARED_MEMORY, "memory")
                        .addParameter(Names.MEMORY_SEGMENT, "segment")
                        .addStatement("return new $N(memory, segment)", Names.RAW_CLASS)
                        .build())
                .addMethod(MethodSpec.methodBuilder("newSynchronized")
                        .addAnnotation(Override.class)
                        .addModifiers(Modifier.PROTECTED)
                        .returns(struct.interfaceName())
                        .addParameter(Names.SHARED_MEMORY, "memory")
                        .addParameter(Names.MEMORY_SEGMENT, "segment")
                        .addParameter(Names.SHARED_LOCK, "lock")
                        .addStatement("return new $N(memory, segment, lock)", Names.SYNCHRONIZED_CLASS)
                        .build())
                .addMethods(ContentMethods.of(struct))
                .build();
    }
}
