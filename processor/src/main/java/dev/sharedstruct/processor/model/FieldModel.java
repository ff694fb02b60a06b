package dev.sharedstruct.processor.model;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import dev.sharedstruct.processor.layout.FieldShape;
import dev.sharedstruct.processor.layout.PlannedField;

/**
 * One field of a struct: its Java type, where it sits in the layout, and the names the generated
 * class uses for it.
 *
 * @param javaType the type its getter returns ({@code int[]} for an array field)
 * @param elementType the type of one element ({@code int} for {@code int[]}); the field type otherwise
 * @param placed its shape and offset from the layout plan
 * @param nestedClass the generated class of a nested struct (or of an array's element), else null
 */
public record FieldModel(String name, TypeName javaType, TypeName elementType, PlannedField placed,
        ClassName nestedClass) {

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

    /** The byte-offset constant of this field. */
    public String offsetName() {
        return GeneratedNames.offset(name);
    }

    /** The element-count constant of an array or string field. */
    public String lengthName() {
        return GeneratedNames.length(name);
    }

    /** The constant holding an enum field's {@code values()}. */
    public String valuesName() {
        return GeneratedNames.values(name);
    }
}
