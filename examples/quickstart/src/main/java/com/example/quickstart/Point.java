package com.example.quickstart;

import dev.sharedstruct.annotation.SharedStruct;

@SharedStruct
public interface Point {          // fields in getter order: x, then y
    double x();                   // getter: x(), getX(), or isX() for a boolean
    void x(double value);         // setter: x(v) or setX(v); leave it out for a read-only field
    double y();
    void y(double value);
    default double length() { return Math.hypot(x(), y()); }   // default methods keep working
}
