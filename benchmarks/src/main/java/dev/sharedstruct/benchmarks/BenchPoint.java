package dev.sharedstruct.benchmarks;

import dev.sharedstruct.annotation.SharedStruct;

/** The struct every accessor benchmark reads and writes. */
@SharedStruct
public interface BenchPoint {
    double x();

    void x(double value);

    long count();

    void count(long value);
}
