package dev.sharedstruct.processor;

import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * Reports errors on the element they are about and remembers whether the struct being processed
 * has any, so that a bad struct is not written while the others still are.
 */
public final class ErrorReporter {
    private final Messager messager;
    private int errors;

    /**
     * Reports through {@code messager}.
     *
     * @param messager the processing environment's messager
     */
    public ErrorReporter(Messager messager) {
        this.messager = messager;
    }

    /**
     * Reports an error on {@code element}.
     *
     * @param element the element the error is about
     * @param message what is wrong
     * @param arguments the message's arguments
     */
    public void error(Element element, Message message, Object... arguments) {
        errors++;
        messager.printMessage(Diagnostic.Kind.ERROR, message.format(arguments), element);
    }

    /**
     * Reports an error on one value of an annotation, so that the compiler points at the value
     * ({@code @Length(0)}), not at the method it annotates.
     *
     * @param element the annotated element
     * @param annotation the annotation on {@code element}
     * @param value the offending value of {@code annotation}
     * @param message what is wrong
     * @param arguments the message's arguments
     */
    public void error(Element element, AnnotationMirror annotation, AnnotationValue value, Message message,
            Object... arguments) {
        errors++;
        messager.printMessage(Diagnostic.Kind.ERROR, message.format(arguments), element, annotation, value);
    }

    /**
     * Errors reported so far; compare before and after parsing one struct.
     *
     * @return the number of errors reported through this reporter
     */
    public int errorCount() {
        return errors;
    }
}
