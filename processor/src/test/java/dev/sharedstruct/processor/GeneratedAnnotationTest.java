package dev.sharedstruct.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** {@code @Generated} appears on generated classes only where the struct's code can read it, and can be turned off. */
class GeneratedAnnotationTest {
    private static final JavaFileObject POINT = Sources.struct("Point",
            "@SharedStruct", "public interface Point {", "    double x();", "    @Length(8) String name();", "}");

    private static String generatedSource(Compilation compilation) throws Exception {
        return compilation.generatedSourceFile("test.SharedStruct_Point").orElseThrow().getCharContent(true).toString();
    }

    @Test
    void onTheClassPathTheGeneratedClassIsAnnotated() throws Exception {
        Compilation compilation = Sources.compile(POINT);

        assertThat(compilation).succeededWithoutWarnings();
        assertTrue(generatedSource(compilation).contains("@Generated(\"dev.sharedstruct.processor.SharedStructProcessor\")"));
    }

    @Test
    void underFullLintJavacNamesOnlyTheUnclaimedGeneratedAnnotation() {
        // Our own annotations are claimed; @Generated is left to other processors, and javac's
        // -Xlint:processing names it, as it does for AutoValue's and Dagger's generated code.
        Compilation compilation = Compiler.javac()
                .withProcessors(new SharedStructProcessor())
                .withOptions("-Xlint:all")
                .compile(POINT);

        assertThat(compilation).succeeded();
        assertEquals(1, compilation.warnings().size(), compilation.warnings().toString());
        assertThat(compilation).hadWarningContaining(
                "No processor claimed any of these annotations: java.compiler/javax.annotation.processing.Generated");
    }

    @Test
    void theOptionLeavesItOutAndFullLintPasses() throws Exception {
        Compilation compilation = Compiler.javac()
                .withProcessors(new SharedStructProcessor())
                .withOptions("-Xlint:all", "-Werror", "-Asharedstruct.generatedAnnotation=false")
                .compile(POINT);

        assertThat(compilation).succeededWithoutWarnings();
        assertFalse(generatedSource(compilation).contains("javax.annotation.processing"), generatedSource(compilation));
        assertFalse(generatedSource(compilation).contains("@Generated"), generatedSource(compilation));
    }
}
