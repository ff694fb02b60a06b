package dev.sharedstruct;

import dev.sharedstruct.internal.region.Allocator;

/**
 * What an object is, as regions, directory entries and handles record it: compared before any
 * memory is handed out under a type, so that a view never lies over memory of another layout.
 *
 * @param kind {@link Allocator.Kind} of the object
 * @param typeName the interface's binary name, or the typecode's {@link TypeCode#name()}
 * @param fingerprint the layout fingerprint; the typecode character for primitive arrays and values
 * @param length elements of an array, 1 otherwise
 */
public record Identity(short kind, String typeName, long fingerprint, int length) {

    /** Why {@code found} cannot be used as this identity, or null when it can. */
    String mismatch(Identity found) {
        if (found.kind != kind) {
            return "it is a " + Handle.Kinds.name(found.kind) + ", not a " + Handle.Kinds.name(kind);
        }
        if (found.fingerprint != fingerprint) {
            return "it is a " + found.typeName + " whose layout (fingerprint " + Long.toHexString(found.fingerprint)
                    + ") differs from " + typeName + " (fingerprint " + Long.toHexString(fingerprint) + ")";
        }
        if (found.length != length) {
            return "it holds " + found.length + " elements, not " + length;
        }
        return null;
    }
}
