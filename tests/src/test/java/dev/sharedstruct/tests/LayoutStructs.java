package dev.sharedstruct.tests;

import dev.sharedstruct.annotation.SharedStruct;

/** Structs with awkward field orders, whose layouts must equal what C and ctypes compute. */
final class LayoutStructs {
    private LayoutStructs() {
    }

    @SharedStruct
    interface ByteIntShort {
        byte a();
        int b();
        short c();
    }

    @SharedStruct
    interface CharLongByte {
        char a();
        long b();
        byte c();
    }

    @SharedStruct
    interface ShortDoubleIntByte {
        short a();
        double b();
        int c();
        byte d();
    }

    @SharedStruct
    interface BoolFloatCharLong {
        boolean isA();
        float b();
        char c();
        long d();
    }

    @SharedStruct
    interface DescendingSizes {
        double a();
        long b();
        int c();
        float d();
        short e();
        char f();
        byte g();
        boolean isH();
    }

    @SharedStruct
    interface AscendingSizes {
        boolean isA();
        byte b();
        char c();
        short d();
        float e();
        int f();
        long g();
        double h();
    }

    @SharedStruct
    interface LoneByte {
        byte only();
    }
}
