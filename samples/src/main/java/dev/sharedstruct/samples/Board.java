package dev.sharedstruct.samples;

import dev.sharedstruct.annotation.Length;
import dev.sharedstruct.annotation.SharedStruct;

/** The counters board the workers update and the monitor shows. */
@SharedStruct
public interface Board {
    /** Buckets of the histogram of values in [0, 1). */
    int BUCKETS = 10;

    long count();

    void count(long value);

    double lastValue();

    void lastValue(double value);

    @Length(BUCKETS)
    long[] histogram();

    long histogram(int bucket);

    void histogram(int bucket, long value);

    /** Lock-free, for readers that want a number without waiting for the lock. */
    long getVolatileCount();
}
