package dev.sharedstruct.processor;

import javax.annotation.processing.Messager;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * Reports errors on the element they are about and remembers whether the struct being processed
 * has any, so that a bad struct is not written while the others still are.
 */
public final class ErrorReporter {
    private final Messager messager;
    private int errors;

    public ErrorReporter(Messager messager) {
        this.messager = messager;
    }

    public void error(Element element, Message message, Object... arguments) {
        errors++;
        messager.printMessage(Diagnostic.Kind.ERROR, message.format(arguments), element);
    }

    /** Errors reported so far; compare before and after parsing one struct. */
    public int errorCount() {
        return errors;
    }
}
