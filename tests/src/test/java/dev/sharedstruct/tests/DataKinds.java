package dev.sharedstruct.tests;

import dev.sharedstruct.annotation.Length;
import dev.sharedstruct.annotation.SharedStruct;

/** Structs with every data kind: arrays, strings, nested structs, enums, booleans and chars. */
final class DataKinds {
    private DataKinds() {
    }

    enum Color { RED, GREEN, BLUE }

    @SharedStruct
    public interface Vec {
        double x();
        void x(double value);
        double y();
        void y(double value);
    }

    @SharedStruct
    public interface Sensor {
        @Length(4) int[] samples();
        void samples(int[] values);
        int samples(int index);
        void samples(int index, int value);

        @Length(8) String name();
        void name(String value);
        byte[] rawName();
        void rawName(byte[] bytes);

        Vec position();
        void position(Vec value);

        @Length(3) Vec[] corners();
        void corners(Vec[] values);
        Vec corners(int index);
        void corners(int index, Vec value);

        Color color();
        void color(Color value);

        boolean isActive();
        void setActive(boolean value);

        char grade();
        void grade(char value);

        @Length(3) boolean[] flags();
        void flags(boolean[] values);
        boolean flags(int index);
        void flags(int index, boolean value);
    }

    /** Layout cases: each mirrored by a ctypes Structure in CtypesLayoutTest. */
    @SharedStruct
    public interface TagAndSamples {
        byte tag();
        @Length(3) short[] samples();
        long total();
    }

    @SharedStruct
    public interface NameAndValue {
        @Length(5) String name();
        double value();
        @Length(3) String unit();
    }

    @SharedStruct
    public interface Holder {
        char flag();
        Vec vec();
        byte last();
    }

    @SharedStruct
    public interface Polygon {
        boolean isClosed();
        @Length(3) Vec[] points();
        Color color();
        @Length(7) byte[] tail();
    }

    @SharedStruct
    public interface Deep {
        byte a();
        Holder holder();
        @Length(2) Polygon[] polygons();
        @Length(3) float[] weights();
    }
}
