/**
 * The annotations of a shared struct: {@link dev.sharedstruct.annotation.SharedStruct} on the
 * interface, {@link dev.sharedstruct.annotation.Length} on the getter of each array or string field.
 */
package dev.sharedstruct.annotation;
