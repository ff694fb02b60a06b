package dev.sharedstruct.processor.model;

/** What an interface method does with its field; the writer emits one body per kind. */
public enum AccessorKind {
    /** {@code T name()}: reads the field. */
    GET,
    /** {@code void name(T value)}: writes the field. */
    SET
}
