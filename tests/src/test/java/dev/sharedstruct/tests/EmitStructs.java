package dev.sharedstruct.tests;

import dev.sharedstruct.RegionOption;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.TypeCode;
import dev.sharedstruct.annotation.Length;
import dev.sharedstruct.annotation.SharedStruct;
import java.nio.file.Path;

/** Structs whose names and shapes {@code sharedstruct emit} must handle, and the child JVM that makes a region of them. */
final class EmitStructs {
    private EmitStructs() {
    }

    /** A long then an int: 12 bytes of fields, 16 in C (trailing padding that an embedding struct keeps). */
    @SharedStruct
    public interface Padded {
        long wide();
        void wide(long value);
        int narrow();
        void narrow(int value);
    }

    /**
     * Field names that Python or C cannot take as they are (keywords, names ctypes gives a
     * Structure, a C keyword, a non-ASCII letter, a name that collides once renamed), an embedded
     * struct with trailing padding, a struct array, text and a primitive array.
     */
    @SharedStruct
    public interface Awkward {
        int from();
        void from(int value);
        int from_();
        void from_(int value);
        int lambda();
        void lambda(int value);
        int None();
        void None(int value);
        int LAYOUT();
        void LAYOUT(int value);
        int auto();
        void auto(int value);
        double température();
        void température(double value);
        Padded pass();
        void pass(Padded value);
        short after();
        void after(short value);
        @Length(2) Padded[] items();
        void items(Padded[] values);
        Padded items(int index);
        @Length(6) String label();
        void label(String value);
        @Length(3) long[] counts();
        void counts(long[] values);
    }

    /** A name that would end a C comment or a Python docstring, with a non-ASCII letter and a trigraph's start. */
    static final String ODD_NAME = "odd */ \"n\u00e4me\" ??/";

    /**
     * Makes region args[0] (kept) with "awkward" (every field set), "pads" (3 Padded), "level" (a
     * value), ODD_NAME (a Padded) and "sensor" (a DataKinds.Sensor: an enum, a char, a boolean, nested structs).
     */
    static final class MakeRegion {
        public static void main(String[] args) {
            try (SharedMemory shm = SharedMemory.create(Path.of(args[0]), 1 << 16, RegionOption.KEEP_FILE)) {
                Awkward awkward = shm.findOrCreate("awkward", Awkward.class);
                awkward.from(1);
                awkward.from_(2);
                awkward.lambda(3);
                awkward.None(4);
                awkward.LAYOUT(5);
                awkward.auto(6);
                awkward.température(7.5);
                awkward.pass().wide(-8_000_000_000L);
                awkward.pass().narrow(9);
                awkward.after((short) 10);
                awkward.items(1).narrow(11);
                awkward.label("h\u00e9 q");
                awkward.counts(new long[] {12, 13, 14});
                shm.findOrCreateArray("pads", Padded.class, 3).get(2).wide(15);
                shm.findOrCreateValue("level", TypeCode.DOUBLE).set(2.5);
                shm.findOrCreate(ODD_NAME, Padded.class);
                shm.findOrCreate("sensor", DataKinds.Sensor.class);
            }
        }
    }
}
