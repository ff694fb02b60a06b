package dev.sharedstruct.processor.peers;

/**
 * Everything a peer header or module declares for one struct type: the struct, and what
 * {@code ss_find} of c/sharedstruct.h and {@code Region.find(name, cls)} of python/sharedstruct
 * compare with the region.
 *
 * @param typeName the Java type's binary name ({@code com.example.Outer$Point}): names the top
 *     struct (its simple name) and the C include guard
 * @param fingerprint the layout fingerprint a region stores for the type
 * @param layoutText the stored layout text (docs/FORMAT.md), as the region holds it
 * @param struct the struct
 */
public record PeerDeclaration(String typeName, long fingerprint, String layoutText, PeerStruct struct) {
    public PeerDeclaration {
        if (typeName == null || typeName.isEmpty() || layoutText == null || struct == null) {
            throw new IllegalArgumentException("a declaration needs a type name, a layout text and a struct");
        }
    }

    /** The simple name of the type: {@code Point} for {@code com.example.Outer$Point}. */
    String simpleName() {
        String simple = typeName.substring(typeName.lastIndexOf('.') + 1);
        return simple.substring(simple.lastIndexOf('$') + 1);
    }
}
