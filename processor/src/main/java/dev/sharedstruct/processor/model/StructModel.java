package dev.sharedstruct.processor.model;

import com.palantir.javapoet.ClassName;
import dev.sharedstruct.processor.layout.LayoutPlan;
import java.util.List;
import javax.lang.model.element.TypeElement;

/**
 * A validated {@code @SharedStruct} interface, ready to be written.
 *
 * @param element the interface
 * @param interfaceName the interface as a type name
 * @param generatedName the class the processor writes for it
 * @param fields the fields in layout order
 * @param accessors the abstract methods in declaration order
 * @param plan the layout: offsets, padding, size, fingerprint
 */
public record StructModel(TypeElement element, ClassName interfaceName, ClassName generatedName,
        List<FieldModel> fields, List<Accessor> accessors, LayoutPlan plan) {

    public StructModel {
        fields = List.copyOf(fields);
        accessors = List.copyOf(accessors);
    }

    /** The simple name used in {@code toString()}: {@code Point}. */
    public String displayName() {
        return interfaceName.simpleName();
    }
}
