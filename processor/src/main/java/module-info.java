/**
 * The annotation processor that turns {@code @SharedStruct} interfaces into layout-backed structs.
 * It is found through {@code META-INF/services} on a processor path and through this module's
 * {@code provides} on a processor module path; it exports nothing.
 */
// JavaPoet and AutoService's annotations are automatic modules (named in their manifests).
@SuppressWarnings("requires-automatic")
module dev.sharedstruct.processor {
    requires dev.sharedstruct.annotation;
    requires java.compiler;
    requires com.palantir.javapoet;
    // @AutoService is read at compile time only.
    requires static com.google.auto.service;

    provides javax.annotation.processing.Processor with dev.sharedstruct.processor.SharedStructProcessor;
}
