package dev.sharedstruct.benchmarks;

import dev.sharedstruct.annotation.SharedStruct;

/** Where worker processes report ready and wait for the start, so that JVM start-up is not timed. */
@SharedStruct
public interface StartLine {
    int ready();

    int getAndAddReady(int delta);

    int getVolatileReady();

    int go();

    int getVolatileGo();

    void setVolatileGo(int value);
}
