package dev.sharedstruct.samples;

import dev.sharedstruct.annotation.SharedStruct;

/** C's {@code struct Point { double x; double y; }}, as Python's {@code class Point(Structure)}. */
@SharedStruct
public interface Point {
    double x();

    void x(double value);

    double y();

    void y(double value);

    /** Default methods work on the generated object. */
    default double length() {
        return Math.hypot(x(), y());
    }
}
