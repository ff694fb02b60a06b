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

    @SharedStruct
    public interface Reading {
        long stamp();
        void stamp(long value);
        double value();
        void value(double value);
    }
}
