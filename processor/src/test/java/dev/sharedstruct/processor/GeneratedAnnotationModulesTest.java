package dev.sharedstruct.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whether {@code @Generated} is usable from a struct's module: on the class path always; in a named
 * module only when it reads {@code java.compiler}, directly or through a transitive requires.
 */
class GeneratedAnnotationModulesTest {
    /** Asks {@link GeneratedAnnotation} about every root type, in the first round. */
    static final class Asker extends AbstractProcessor {
        final List<Boolean> answers = new ArrayList<>();

        @Override
        public Set<String> getSupportedAnnotationTypes() {
            return Set.of("*");
        }

        @Override
        public Set<String> getSupportedOptions() {
            return Set.of(GeneratedAnnotation.OPTION);
        }

        @Override
        public SourceVersion getSupportedSourceVersion() {
            return SourceVersion.latestSupported();
        }

        @Override
        public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
            GeneratedAnnotation generated = new GeneratedAnnotation(processingEnv.getElementUtils(),
                    processingEnv.getOptions().get(GeneratedAnnotation.OPTION));
            for (Element root : round.getRootElements()) {
                if (root instanceof TypeElement type && type.getSimpleName().contentEquals("Thing")) {
                    answers.add(generated.usableFrom(type));
                }
            }
            return false;
        }
    }

    /**
     * Compiles {@code test.Thing}, with {@code moduleInfo} when it is not null, by javac itself
     * from files: compile-testing's in-memory files cannot name a module.
     */
    private List<Boolean> ask(List<String> options, String moduleInfo) throws IOException {
        Path sources = directory.resolve("src");
        Files.createDirectories(sources.resolve("test"));
        Files.writeString(sources.resolve("test/Thing.java"), "package test;\npublic interface Thing {}\n");
        List<Path> files = new ArrayList<>(List.of(sources.resolve("test/Thing.java")));
        if (moduleInfo != null) {
            Files.writeString(sources.resolve("module-info.java"), moduleInfo);
            files.add(sources.resolve("module-info.java"));
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fileManager = javac.getStandardFileManager(diagnostics, null, null)) {
            List<String> all = new ArrayList<>(options);
            all.addAll(List.of("-d", directory.resolve("out").toString(), "-proc:full"));
            JavaCompiler.CompilationTask task = javac.getTask(null, fileManager, diagnostics, all, null,
                    fileManager.getJavaFileObjectsFromPaths(files));
            Asker asker = new Asker();
            task.setProcessors(List.of(asker));
            assertTrue(task.call(), diagnostics.getDiagnostics().toString());
            return asker.answers;
        }
    }

    @TempDir
    Path directory;

    @Test
    void onTheClassPathItIsUsable() throws IOException {
        assertEquals(List.of(true), ask(List.of(), null));
    }

    @Test
    void aNamedModuleThatDoesNotReadJavaCompilerCannotUseIt() throws IOException {
        assertEquals(List.of(false), ask(List.of(), "module test.mod {}"));
    }

    @Test
    void aNamedModuleThatRequiresJavaCompilerStaticallyCanUseIt() throws IOException {
        assertEquals(List.of(true), ask(List.of(), "module test.mod { requires static java.compiler; }"));
    }

    @Test
    void aModuleReadThroughRequiresTransitiveCounts() throws IOException {
        // java.se requires java.compiler transitively.
        assertEquals(List.of(true), ask(List.of(), "module test.mod { requires java.se; }"));
    }

    @Test
    void aModuleRequiredWithoutTransitiveDoesNotPassItOn() throws IOException {
        // java.sql requires java.logging and java.xml transitively, never java.compiler.
        assertEquals(List.of(false), ask(List.of(), "module test.mod { requires java.sql; }"));
    }

    @Test
    void theOptionTurnsItOffEverywhere() throws IOException {
        assertEquals(List.of(false), ask(List.of("-Asharedstruct.generatedAnnotation=false"),
                "module test.mod { requires static java.compiler; }"));
    }
}
