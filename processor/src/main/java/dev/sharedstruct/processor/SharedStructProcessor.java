package dev.sharedstruct.processor;

import com.google.auto.service.AutoService;
import dev.sharedstruct.processor.model.StructModel;
import dev.sharedstruct.processor.parse.StructParser;
import dev.sharedstruct.processor.peers.PeerResources;
import dev.sharedstruct.processor.write.StructWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;

/**
 * Generates {@code SharedStruct_<Name>} for every interface annotated {@code @SharedStruct}:
 * parse and validate ({@link StructParser}), lay out ({@code LayoutPlanner}), write
 * ({@link StructWriter}). Each interface is handled on its own: errors in one never stop the
 * others from being checked and written, and nothing escapes to javac as an exception.
 */
@AutoService(Processor.class)
public final class SharedStructProcessor extends AbstractProcessor {
    static final String ANNOTATION = "dev.sharedstruct.annotation.SharedStruct";
    /**
     * Our generated files carry {@code @Generated}; unless a processor claims it, javac warns
     * "No processor claimed any of these annotations" under {@code -Xlint:all}, and generated
     * code must compile without warnings. Nothing else processes {@code @Generated}.
     */
    static final String GENERATED = "javax.annotation.processing.Generated";

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of(ANNOTATION, GENERATED);
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        TypeElement annotation = processingEnv.getElementUtils().getTypeElement(ANNOTATION);
        if (annotation == null) {
            return false;
        }
        ErrorReporter errors = new ErrorReporter(processingEnv.getMessager());
        StructParser parser = new StructParser(processingEnv.getElementUtils(), processingEnv.getTypeUtils(), errors);
        StructWriter writer = new StructWriter(getClass().getName());
        for (Element element : round.getElementsAnnotatedWith(annotation)) {
            try {
                Optional<StructModel> model = parser.parse(element);
                if (model.isPresent()) {
                    writer.write(model.get()).writeTo(processingEnv.getFiler());
                    PeerResources.write(model.get(), processingEnv.getFiler());
                }
            } catch (IOException | RuntimeException e) {
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                errors.error(element, Message.INTERNAL_ERROR, element, trace);
            }
        }
        // Claiming both annotations keeps -Xlint:processing quiet in users' builds.
        return true;
    }
}
