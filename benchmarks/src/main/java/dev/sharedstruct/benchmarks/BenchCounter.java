package dev.sharedstruct.benchmarks;

import dev.sharedstruct.annotation.SharedStruct;

/** The counter the cross-process comparison increments. */
@SharedStruct
public interface BenchCounter {
    long count();

    void count(long value);

    long getAndAddCount(long delta);

    long updateCount(java.util.function.LongUnaryOperator op);
}
