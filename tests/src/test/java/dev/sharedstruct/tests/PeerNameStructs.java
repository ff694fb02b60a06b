package dev.sharedstruct.tests;

import dev.sharedstruct.annotation.SharedStruct;

/** Structs whose names are legal in Java but that C or Python cannot take as they are (docs/PEERS.md, "Names"). */
final class PeerNameStructs {
    private PeerNameStructs() {
    }

    /** Fields named like Python dunders and keywords, C macros and the implementation's names, with $ and non-ASCII letters. */
    @SharedStruct
    public interface Names {
        int from();
        void from(int value);
        int __init__();
        void __init__(int value);
        int __class__();
        void __class__(int value);
        int __init_();
        void __init_(int value);
        int __init$();
        void __init$(int value);
        int errno();
        void errno(int value);
        int _Pragma();
        void _Pragma(int value);
        int __linux__();
        void __linux__(int value);
        int SS_HDR_LOCK();
        void SS_HDR_LOCK(int value);
        int linux();
        void linux(int value);
        int constexpr();
        void constexpr(int value);
        int $();
        void $(int value);
        int a$b();
        void a$b(int value);
        int a_b();
        void a_b(int value);
        int _fields();
        void _fields(int value);
        int _fields$();
        void _fields$(int value);
        int température();
        void température(int value);
    }

    /** A field. */
    @SharedStruct
    public interface Inner {
        int x();
        void x(int value);
    }

    /** A struct named like a gcc macro and a Python dunder, embedding another (named after it in the peers). */
    @SharedStruct
    public interface __linux__ {
        Inner any();
        void any(Inner value);
        int y();
        void y(int value);
    }
}
