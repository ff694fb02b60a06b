/**
 * What a user writes on an interface: {@link dev.sharedstruct.annotation.SharedStruct} and
 * {@link dev.sharedstruct.annotation.Length}. The annotation processor reads them at compile time;
 * the runtime reads {@code @SharedStruct} to tell "not a struct" from "the processor did not run".
 */
module dev.sharedstruct.annotation {
    exports dev.sharedstruct.annotation;
}
