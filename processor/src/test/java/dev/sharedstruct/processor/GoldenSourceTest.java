package dev.sharedstruct.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** The whole generated source for a two-field struct, so that a change to its shape is a visible diff. */
class GoldenSourceTest {

    @Test
    void twoFieldStructGeneratesExactlyTheGoldenSource() {
        JavaFileObject point = Sources.struct("Point",
                "@SharedStruct",
                "public interface Point {",
                "    double x();",
                "    void x(double value);",
                "    double y();",
                "    void y(double value);",
                "}");

        Compilation compilation = Sources.compile(point);

        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation)
                .generatedSourceFile("test.SharedStruct_Point")
                .hasSourceEquivalentTo(JavaFileObjects.forResource("golden/SharedStruct_Point.java"));
    }
}
