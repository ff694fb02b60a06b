package dev.sharedstruct.processor.write;

import com.palantir.javapoet.CodeBlock;

/**
 * The code of one accessor.
 *
 * @param prepare checks and conversions that run before the lock is taken: a refused value
 *     throws here, before anything is written, and the lock is held no longer than needed
 * @param body the memory access, which the synchronized view runs under the lock
 * @param needsLock false when the body only builds a view, or is a lock-free atomic operation
 */
record Access(CodeBlock prepare, CodeBlock body, boolean needsLock) {

    static Access of(CodeBlock body) {
        return new Access(CodeBlock.builder().build(), body, true);
    }

    static Access prepared(CodeBlock prepare, CodeBlock body) {
        return new Access(prepare, body, true);
    }

    /** A body that builds a view or works on the shared word atomically: the lock is not taken. */
    static Access lockFree(CodeBlock body) {
        return new Access(CodeBlock.builder().build(), body, false);
    }
}
