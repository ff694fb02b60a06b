/**
 * For generated code only; not API; may change without notice.
 *
 * <p>The classes the annotation processor's output refers to: {@link
 * dev.sharedstruct.internal.StructType}, which each generated {@code SharedStruct_<Name>}
 * implements for its interface, and {@link dev.sharedstruct.internal.StructSupport}, the checks
 * and conversions generated accessors share. The package is exported because generated code lives
 * in users' packages and modules; code written by hand should use {@link dev.sharedstruct} only.
 */
package dev.sharedstruct.internal;
