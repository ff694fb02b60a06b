/**
 * Typed structs, arrays, strings, values and locks in shared memory regions that many threads and
 * many processes use at once: the Java counterpart of Python's {@code multiprocessing.sharedctypes}.
 *
 * <p>Code generated for a {@code @SharedStruct} interface in a named module is found by
 * reflection: export the interface's package to this module ({@code exports com.example.stats to
 * dev.sharedstruct;}), and grant native access to the module that uses it (or to this one) so that
 * waiting lock holders can sleep on Linux futexes.
 */
module dev.sharedstruct {
    // Users who require this module can write @SharedStruct without requiring the annotations too.
    requires transitive dev.sharedstruct.annotation;

    exports dev.sharedstruct;
    // For generated code only (StructType, StructSupport): not API, may change without notice.
    exports dev.sharedstruct.internal;
    // dev.sharedstruct.internal.region (the region format) and dev.sharedstruct.internal.lock (the
    // lock protocol's helpers) are implementation and stay encapsulated.
}
