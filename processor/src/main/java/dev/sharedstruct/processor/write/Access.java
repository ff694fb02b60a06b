package dev.sharedstruct.processor.write;

import com.palantir.javapoet.CodeBlock;

/**
 * The code of one accessor.
 *
 * @param prepare checks and conversions that run before the lock is taken: a refused value
 *     throws here, before anything is written, and the lock is held no longer than needed
 * @param body the memory access, which the synchronized view runs under the lock
 * @param touchesMemory false when the body only builds a view (nothing to lock for)
 */
record Access(CodeBlock prepare, CodeBlock body, boolean touchesMemory) {

    static Access of(CodeBlock body) {
        return new Access(CodeBlock.builder().build(), body, true);
    }

    static Access prepared(CodeBlock prepare, CodeBlock body) {
        return new Access(prepare, body, true);
    }

    static Access viewOnly(CodeBlock body) {
        return new Access(CodeBlock.builder().build(), body, false);
    }
}
