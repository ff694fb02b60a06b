package dev.sharedstruct.processor.layout;

/** A field as the planner receives it: a name and what it stores, in declaration order. */
public record FieldSpec(String name, FieldShape shape) {
}
