package dev.sharedstruct.processor;

import com.google.auto.service.AutoService;
import dev.sharedstruct.processor.model.GeneratedNames;
import dev.sharedstruct.processor.model.StructModel;
import dev.sharedstruct.processor.parse.MissingTypes;
import dev.sharedstruct.processor.parse.StructParser;
import dev.sharedstruct.processor.peers.PeerResources;
import dev.sharedstruct.processor.write.StructWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;

/**
 * Generates {@code SharedStruct_<Name>} for every interface annotated {@code @SharedStruct}:
 * parse and validate ({@link StructParser}), lay out ({@code LayoutPlanner}), write
 * ({@link StructWriter}). Each interface is handled on its own: errors in one never stop the
 * others from being checked and written, and nothing escapes to javac as an exception.
 *
 * <p>An interface that mentions a type which does not exist yet (one another processor generates)
 * waits for a later round; whatever is still missing when processing is over is reported then.
 */
@AutoService(Processor.class)
public final class SharedStructProcessor extends AbstractProcessor {
    static final String ANNOTATION = "dev.sharedstruct.annotation.SharedStruct";
    static final String LENGTH = "dev.sharedstruct.annotation.Length";

    /** Qualified names of interfaces deferred to a later round; names, since elements do not outlive a round. */
    private final Set<String> deferred = new LinkedHashSet<>();

    /**
     * Binary name of the type whose peer files ({@link PeerResources}) have each file stem, over all
     * rounds: two types of one stem would write the same files.
     */
    private final Map<String, String> peerFiles = new HashMap<>();
    /** The generated classes written so far, by name, with the type each is for (see {@link Message#GENERATED_CLASS_CLASH}). */
    private final Map<String, String> generatedClasses = new HashMap<>();

    /** Creates the processor; javac finds it through {@code META-INF/services}. */
    public SharedStructProcessor() {
    }

    /**
     * Exactly our two annotations: claiming them keeps {@code -Xlint:processing} quiet in users'
     * builds, and they mean nothing to any other processor. {@code @Generated} is never claimed,
     * so other processors still see it.
     */
    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of(ANNOTATION, LENGTH);
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
        TypeElement annotation = processingEnv.getElementUtils().getTypeElement(ANNOTATION);
        if (annotation == null) {
            return false;
        }
        ErrorReporter errors = new ErrorReporter(processingEnv.getMessager());
        StructParser parser = new StructParser(processingEnv.getElementUtils(), processingEnv.getTypeUtils(), errors);
        GeneratedAnnotation generated = new GeneratedAnnotation(processingEnv.getElementUtils(),
                processingEnv.getOptions().get(GeneratedAnnotation.OPTION));
        List<Element> work = new ArrayList<>();
        for (String name : deferred) {
            TypeElement type = processingEnv.getElementUtils().getTypeElement(name);
            if (type != null) {
                work.add(type);
            }
        }
        deferred.clear();
        work.addAll(round.getElementsAnnotatedWith(annotation));
        for (Element element : work) {
            if (!round.processingOver() && element.getKind() == ElementKind.INTERFACE
                    && MissingTypes.mentionedBy((TypeElement) element)) {
                deferred.add(((TypeElement) element).getQualifiedName().toString());
                continue;
            }
            // In the last round a missing type is reported on the getter that mentions it.
            generate(element, parser, new StructWriter(getClass().getName(), generated.usableFrom(element)), errors);
        }
        return true;
    }

    private void generate(Element element, StructParser parser, StructWriter writer, ErrorReporter errors) {
        try {
            Optional<StructModel> model = parser.parse(element);
            if (model.isPresent()) {
                String binaryName = model.get().interfaceName().reflectionName();
                String generatedClass = GeneratedNames.generatedClass(model.get().interfaceName()).canonicalName();
                String owner = generatedClasses.putIfAbsent(generatedClass, binaryName);
                if (owner != null && !owner.equals(binaryName)) {
                    errors.error(element, Message.GENERATED_CLASS_CLASH, model.get().interfaceName().canonicalName(),
                            generatedClass, owner);
                    return;
                }
                writer.write(model.get()).writeTo(processingEnv.getFiler());
                String stem = PeerResources.fileStem(binaryName);
                String other = peerFiles.putIfAbsent(stem, binaryName);
                if (other != null) {
                    errors.error(element, Message.PEER_FILE_CLASH, binaryName, stem, other);
                    return;
                }
                PeerResources.write(model.get(), processingEnv.getFiler());
            }
        } catch (IOException | RuntimeException e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            errors.error(element, Message.INTERNAL_ERROR, element, trace);
        }
    }
}
