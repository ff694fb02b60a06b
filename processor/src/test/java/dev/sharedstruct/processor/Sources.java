package dev.sharedstruct.processor;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;

/** Builds test sources and compiles them with the processor, as strictly as a careful user would. */
final class Sources {
    private Sources() {
    }

    /** {@code test.<Name>} from its body lines; imports of our annotations are added. */
    static JavaFileObject struct(String name, String... lines) {
        List<String> all = new ArrayList<>(List.of(
                "package test;",
                "",
                "import dev.sharedstruct.annotation.Length;",
                "import dev.sharedstruct.annotation.SharedStruct;",
                ""));
        all.addAll(List.of(lines));
        return JavaFileObjects.forSourceLines("test." + name, all);
    }

    /**
     * Every lint but {@code processing}: javac's {@code -Xlint:processing} names every annotation no
     * processor claims, and the processor leaves {@code @Generated} on its classes to others
     * ({@link GeneratedAnnotationTest} covers full lint).
     */
    static final List<String> STRICT = List.of("-Xlint:all", "-Xlint:-processing", "-Werror");

    static Compilation compile(JavaFileObject... sources) {
        return Compiler.javac()
                .withProcessors(new SharedStructProcessor())
                .withOptions(STRICT)
                .compile(sources);
    }
}
