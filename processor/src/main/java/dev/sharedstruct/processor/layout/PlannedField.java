package dev.sharedstruct.processor.layout;

/**
 * A field placed in its struct.
 *
 * @param paddingBefore bytes of padding between the previous field's end and this offset
 */
public record PlannedField(String name, FieldShape shape, long offset, long paddingBefore) {

    /** The field's C declaration: {@code int32_t count}. */
    public String cDeclaration() {
        return shape.cDeclaration(name);
    }
}
