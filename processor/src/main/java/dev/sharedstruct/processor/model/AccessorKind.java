package dev.sharedstruct.processor.model;

/** What an interface method does with its field; the writer emits one body per kind. */
public enum AccessorKind {
    /** {@code T name()}: reads the field (a copy of an array; a view of a nested struct). */
    GET,
    /** {@code void name(T value)}: writes the field (copies arrays and nested structs in). */
    SET,
    /** {@code T name(int index)}: reads one element of an array field. */
    GET_AT,
    /** {@code void name(int index, T value)}: writes one element of an array field. */
    SET_AT,
    /** {@code byte[] rawName()}: every byte of a string field, NULs included (Python's {@code .raw}). */
    RAW_GET,
    /** {@code void rawName(byte[] bytes)}: writes bytes at the start of a string field. */
    RAW_SET,
    /** A {@link FieldOperation} on a primitive field: compare-and-set, get-and-add, update... */
    OPERATION
}
