package dev.sharedstruct.processor.write;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.sharedstruct.processor.model.Accessor;
import dev.sharedstruct.processor.model.GeneratedNames;
import dev.sharedstruct.processor.model.StructModel;
import javax.lang.model.element.Modifier;

/**
 * The two views of a struct: {@code Raw}, whose accessors touch memory directly, and
 * {@code Synchronized}, whose accessors hold the struct's lock around the same code (the
 * counterpart of Python sharedctypes' {@code make_property} template).
 */
final class ViewClasses {
    private ViewClasses() {
    }

    static TypeSpec raw(StructModel struct) {
        TypeSpec.Builder raw = view(struct, Names.RAW_CLASS)
                .addJavadoc("Accessors without locking: Python's {@code RawValue}.\n")
                .addMethod(MethodSpec.constructorBuilder()
                        .addModifiers(Modifier.PRIVATE)
                        .addParameter(Names.SHARED_MEMORY, "memory")
                        .addParameter(Names.MEMORY_SEGMENT, Names.SEGMENT)
                        .addStatement("super($N, memory, $N, null)", GeneratedNames.TYPE, Names.SEGMENT)
                        .build());
        for (Accessor accessor : struct.accessors()) {
            Access access = AccessorBodies.access(accessor);
            raw.addMethod(AccessorBodies.signature(accessor).addCode(access.prepare()).addCode(freedChecked(access.body())).build());
        }
        return raw.build();
    }

    static TypeSpec synchronizedView(StructModel struct) {
        TypeSpec.Builder view = view(struct, Names.SYNCHRONIZED_CLASS)
                .addJavadoc("Every accessor holds the struct's lock: Python's {@code Value}.\n")
                .addMethod(MethodSpec.constructorBuilder()
                        .addModifiers(Modifier.PRIVATE)
                        .addParameter(Names.SHARED_MEMORY, "memory")
                        .addParameter(Names.MEMORY_SEGMENT, Names.SEGMENT)
                        .addParameter(Names.SHARED_LOCK, Names.LOCK)
                        .addStatement("super($N, memory, $N, $N)", GeneratedNames.TYPE, Names.SEGMENT, Names.LOCK)
                        .build());
        for (Accessor accessor : struct.accessors()) {
            Access access = AccessorBodies.access(accessor);
            view.addMethod(AccessorBodies.signature(accessor)
                    .addCode(access.prepare())
                    .addCode(access.needsLock() ? locked(access.body()) : freedChecked(access.body()))
                    .build());
        }
        return view.build();
    }

    private static TypeSpec.Builder view(StructModel struct, String name) {
        return TypeSpec.classBuilder(name)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .superclass(Names.GENERATED_STRUCT)
                .addSuperinterface(struct.interfaceName())
                // Member types of the interface are inherited here; qualify any name they would hide.
                .avoidClashesWithNestedClasses(struct.element());
    }

    /**
     * Memory access of an object that {@code free} released throws (its FFM scope is closed);
     * the handler, free on the hot path, turns that into a message naming the freed object.
     */
    private static CodeBlock freedChecked(CodeBlock body) {
        return CodeBlock.builder()
                .beginControlFlow("try")
                .add(body)
                .nextControlFlow("catch ($T e)", IllegalStateException.class)
                .addStatement("throw accessFailed(e)")
                .endControlFlow()
                .build();
    }

    /**
     * lockUnlessHeld() refuses a freed object before and after taking the lock, in any process,
     * and takes no hold when the thread holds the lock already (then it has nothing to release).
     */
    private static CodeBlock locked(CodeBlock body) {
        return CodeBlock.builder()
                .addStatement("boolean locked = lockUnlessHeld()")
                .beginControlFlow("try")
                .add(body)
                .nextControlFlow("finally")
                .beginControlFlow("if (locked)")
                .addStatement("$N.unlock()", Names.LOCK)
                .endControlFlow()
                .endControlFlow()
                .build();
    }
}
