package dev.sharedstruct.processor.write;

import com.palantir.javapoet.ClassName;

/** Types the generated code refers to. */
final class Names {
    static final ClassName MEMORY_LAYOUT = ClassName.get("java.lang.foreign", "MemoryLayout");
    static final ClassName PATH_ELEMENT = MEMORY_LAYOUT.nestedClass("PathElement");
    static final ClassName VALUE_LAYOUT = ClassName.get("java.lang.foreign", "ValueLayout");
    static final ClassName STRUCT_LAYOUT = ClassName.get("java.lang.foreign", "StructLayout");
    static final ClassName MEMORY_SEGMENT = ClassName.get("java.lang.foreign", "MemorySegment");
    static final ClassName VAR_HANDLE = ClassName.get("java.lang.invoke", "VarHandle");
    static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");

    static final ClassName GENERATED_STRUCT = ClassName.get("dev.sharedstruct", "GeneratedStruct");
    static final ClassName STRUCT_TYPE = ClassName.get("dev.sharedstruct.internal", "StructType");
    static final ClassName SHARED_MEMORY = ClassName.get("dev.sharedstruct", "SharedMemory");
    static final ClassName SHARED_LOCK = ClassName.get("dev.sharedstruct", "SharedLock");
    static final ClassName STRUCT_SUPPORT = ClassName.get("dev.sharedstruct.internal", "StructSupport");
    static final ClassName OBJECTS = ClassName.get("java.util", "Objects");
    static final ClassName ARRAYS = ClassName.get("java.util", "Arrays");

    /** Names of the nested classes of every generated class. */
    static final String TYPE_CLASS = "Type";
    static final String RAW_CLASS = "Raw";
    static final String SYNCHRONIZED_CLASS = "Synchronized";

    /** Fields of {@code GeneratedStruct} that accessors use. */
    static final String SEGMENT = "segment";
    static final String LOCK = "lock";

    private Names() {
    }
}
