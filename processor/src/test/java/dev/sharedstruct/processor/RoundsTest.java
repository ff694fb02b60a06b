package dev.sharedstruct.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The processor among others: a struct that mentions a type another processor generates waits for
 * it; a type nobody generates is reported when processing is over; only our annotations are claimed.
 */
class RoundsTest {

    /** Generates {@code test.Inner}, a {@code @SharedStruct}, when it sees {@code @test.MakeInner}; in round one only. */
    static final class InnerGenerator extends AbstractProcessor {
        private boolean done;

        @Override
        public Set<String> getSupportedAnnotationTypes() {
            return Set.of("test.MakeInner");
        }

        @Override
        public SourceVersion getSupportedSourceVersion() {
            return SourceVersion.latestSupported();
        }

        @Override
        public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
            if (done || annotations.isEmpty()) {
                return !annotations.isEmpty();
            }
            done = true;
            try {
                JavaFileObject file = processingEnv.getFiler().createSourceFile("test.Inner");
                try (Writer out = file.openWriter()) {
                    out.write("package test;\n"
                            + "@dev.sharedstruct.annotation.SharedStruct\n"
                            + "public interface Inner {\n"
                            + "    int count();\n"
                            + "    void count(int value);\n"
                            + "}\n");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return true;
        }
    }

    private static final JavaFileObject MAKE_INNER = JavaFileObjects.forSourceLines("test.MakeInner",
            "package test;",
            "public @interface MakeInner {}");

    @Test
    void aStructMentioningATypeAnotherProcessorGeneratesWaitsForIt() {
        JavaFileObject outer = Sources.struct("Outer",
                "@MakeInner",
                "@SharedStruct",
                "public interface Outer {",
                "    Inner inner();",
                "    @Length(2) Inner[] inners();",
                "    long total();",
                "}");

        // Ours runs first, so in round one Inner does not exist yet.
        Compilation compilation = Compiler.javac()
                .withProcessors(new SharedStructProcessor(), new InnerGenerator())
                .withOptions(Sources.STRICT)
                .compile(outer, MAKE_INNER);

        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation).generatedSourceFile("test.SharedStruct_Outer");
        assertThat(compilation).generatedSourceFile("test.SharedStruct_Inner");
    }

    @Test
    void aTypeNoProcessorGeneratesIsReportedOnTheGetterWhenProcessingIsOver() {
        JavaFileObject outer = Sources.struct("Outer",
                "@SharedStruct",
                "public interface Outer {",
                "    long total();",
                "    Missing missing();",
                "}");

        Compilation compilation = Sources.compile(outer);

        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("field missing has type Missing, which does not exist: no source"
                + " declares it and no annotation processor generated it").inFile(outer).onLineContaining("Missing missing()");
        assertEquals(1, compilation.errors().stream()
                .filter(e -> e.getMessage(null).contains("[SharedStruct.")).count(), compilation.errors().toString());
    }

    @Test
    void aStructEmbeddingADeferredStructIsDeferredToo() {
        JavaFileObject outer = Sources.struct("Outer",
                "@MakeInner",
                "@SharedStruct",
                "public interface Outer {",
                "    Middle middle();",
                "}");
        JavaFileObject middle = Sources.struct("Middle",
                "@SharedStruct",
                "public interface Middle {",
                "    Inner inner();",
                "}");

        Compilation compilation = Compiler.javac()
                .withProcessors(new SharedStructProcessor(), new InnerGenerator())
                .withOptions(Sources.STRICT)
                .compile(outer, middle, MAKE_INNER);

        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation).generatedSourceFile("test.SharedStruct_Outer");
        assertThat(compilation).generatedSourceFile("test.SharedStruct_Middle");
    }

    @Test
    void claimsExactlySharedStructAndLength() {
        assertEquals(Set.of("dev.sharedstruct.annotation.SharedStruct", "dev.sharedstruct.annotation.Length"),
                new SharedStructProcessor().getSupportedAnnotationTypes());
    }

    @Test
    void generatedAnnotationIsLeftToOtherProcessors() {
        // A processor that claims @Generated sees it on our generated class in round two.
        GeneratedWatcher watcher = new GeneratedWatcher();
        Compilation compilation = Compiler.javac()
                .withProcessors(new SharedStructProcessor(), watcher)
                .withOptions(Sources.STRICT)
                .compile(Sources.struct("Point", "@SharedStruct", "public interface Point {", "    double x();", "}"));

        assertThat(compilation).succeededWithoutWarnings();
        assertEquals(Set.of("test.SharedStruct_Point"), watcher.seen);
    }

    /** Records the classes annotated {@code @Generated} it is given. */
    static final class GeneratedWatcher extends AbstractProcessor {
        final Set<String> seen = new java.util.TreeSet<>();

        @Override
        public Set<String> getSupportedAnnotationTypes() {
            return Set.of("javax.annotation.processing.Generated");
        }

        @Override
        public SourceVersion getSupportedSourceVersion() {
            return SourceVersion.latestSupported();
        }

        @Override
        public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
            for (TypeElement annotation : annotations) {
                round.getElementsAnnotatedWith(annotation).forEach(e -> seen.add(((TypeElement) e).getQualifiedName().toString()));
            }
            return false;
        }
    }
}
