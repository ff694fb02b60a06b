package dev.sharedstruct.processor.parse;

import dev.sharedstruct.annotation.Length;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * The {@code @Length} on an element as the compiler sees it, so that errors about it point at
 * its value ({@code @Length(0)}) rather than at the method it annotates.
 *
 * @param mirror the annotation
 * @param value its {@code value} member
 */
record LengthAnnotation(AnnotationMirror mirror, AnnotationValue value) {
    private static final String NAME = Length.class.getCanonicalName();

    /** The {@code @Length} on {@code element}, if there is one. */
    static Optional<LengthAnnotation> on(Element element) {
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            if (((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName().contentEquals(NAME)) {
                for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry
                        : mirror.getElementValues().entrySet()) {
                    if (entry.getKey().getSimpleName().contentEquals("value")) {
                        return Optional.of(new LengthAnnotation(mirror, entry.getValue()));
                    }
                }
            }
        }
        return Optional.empty();
    }
}
