package com.example.modular;

import dev.sharedstruct.annotation.Length;
import dev.sharedstruct.annotation.SharedStruct;

/** A named counter in shared memory. */
@SharedStruct
public interface Counter {
    @Length(16) String name();
    void name(String value);
    long count();
    void count(long value);
    long getAndAddCount(long delta);
}
