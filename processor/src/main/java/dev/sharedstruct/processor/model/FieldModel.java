package dev.sharedstruct.processor.model;

import com.palantir.javapoet.TypeName;
import dev.sharedstruct.processor.layout.FieldShape;
import dev.sharedstruct.processor.layout.PlannedField;

/**
 * One field of a struct: its Java type, where it sits in the layout, and the names the generated
 * class uses for it.
 *
 * @param javaType the type its getter returns
 * @param placed its shape and offset from the layout plan
 */
public record FieldModel(String name, TypeName javaType, PlannedField placed) {

    public FieldShape shape() {
        return placed.shape();
    }

    public long offset() {
        return placed.offset();
    }

    /** The {@code VarHandle} constant of this field in the generated class. */
    public String handleName() {
        return GeneratedNames.handle(name);
    }
}
