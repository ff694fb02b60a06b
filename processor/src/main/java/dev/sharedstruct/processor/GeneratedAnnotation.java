package dev.sharedstruct.processor;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ModuleElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Whether generated code may carry {@code @javax.annotation.processing.Generated}: only when the
 * type exists and the struct's module reads {@code java.compiler} (as AutoValue decides), so that
 * a named module without {@code requires static java.compiler} still compiles.
 */
final class GeneratedAnnotation {
    static final String NAME = "javax.annotation.processing.Generated";
    /** {@code -Asharedstruct.generatedAnnotation=false} leaves the annotation out everywhere. */
    static final String OPTION = "sharedstruct.generatedAnnotation";

    private final Elements elements;
    private final boolean wanted;

    GeneratedAnnotation(Elements elements, String option) {
        this.elements = elements;
        this.wanted = !"false".equalsIgnoreCase(option);
    }

    /** Whether the class generated for {@code struct} can be annotated {@code @Generated}. */
    boolean usableFrom(Element struct) {
        if (!wanted) {
            return false;
        }
        TypeElement generated = elements.getTypeElement(NAME);
        if (generated == null) {
            return false;
        }
        ModuleElement from = elements.getModuleOf(struct);
        ModuleElement to = elements.getModuleOf(generated);
        return from == null || to == null || from.isUnnamed() || reads(from, to);
    }

    /** Whether {@code from} requires {@code to}, directly or through modules it requires transitively. */
    private static boolean reads(ModuleElement from, ModuleElement to) {
        Set<ModuleElement> seen = new HashSet<>();
        Deque<ModuleElement> pending = new ArrayDeque<>();
        pending.add(from);
        boolean direct = true;
        while (!pending.isEmpty()) {
            ModuleElement module = pending.remove();
            if (!seen.add(module)) {
                continue;
            }
            if (module.equals(to)) {
                return true;
            }
            for (ModuleElement.RequiresDirective requires : ElementFilter.requiresIn(module.getDirectives())) {
                // A module reads what it requires, and what those require transitively.
                if (direct || requires.isTransitive()) {
                    pending.add(requires.getDependency());
                }
            }
            direct = false;
        }
        return false;
    }
}
