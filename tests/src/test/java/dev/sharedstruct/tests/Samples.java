package dev.sharedstruct.tests;

import dev.sharedstruct.annotation.SharedStruct;

/** Everyday structs the behaviour tests share. */
final class Samples {
    private Samples() {
    }

    @SharedStruct
    public interface Point {
        double x();
        void x(double value);
        double y();
        void y(double value);
    }

    @SharedStruct
    public interface Counter {
        long count();
        void count(long value);
    }

    /** A counter with every field operation. */
    @SharedStruct
    public interface Stats {
        long count();
        void count(long value);
        boolean compareAndSetCount(long expected, long update);
        long getAndAddCount(long delta);
        long addAndGetCount(long delta);
        long getAndSetCount(long value);
        long updateCount(java.util.function.LongUnaryOperator op);
        long getVolatileCount();
        void setVolatileCount(long value);
        void setOrderedCount(long value);

        int hits();
        int getAndAddHits(int delta);
        int updateHits(java.util.function.IntUnaryOperator op);

        double mean();
        double updateMean(java.util.function.DoubleUnaryOperator op);
        double getVolatileMean();

        short small();
        short updateSmall(java.util.function.IntUnaryOperator op);
    }

    @SharedStruct
    public interface Reading {
        long stamp();
        void stamp(long value);
        double value();
        void value(double value);
    }
}
