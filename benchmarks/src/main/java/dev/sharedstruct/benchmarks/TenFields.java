package dev.sharedstruct.benchmarks;

import dev.sharedstruct.annotation.SharedStruct;

/** A 10-field struct for the copy and toString benchmarks. */
@SharedStruct
public interface TenFields {
    long a();
    void a(long value);
    int b();
    void b(int value);
    double c();
    void c(double value);
    short d();
    void d(short value);
    byte e();
    void e(byte value);
    float f();
    void f(float value);
    char g();
    void g(char value);
    boolean isH();
    void setH(boolean value);
    long i();
    void i(long value);
    double j();
    void j(double value);
}
