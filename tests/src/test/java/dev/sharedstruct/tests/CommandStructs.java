package dev.sharedstruct.tests;

import dev.sharedstruct.RegionOption;
import dev.sharedstruct.SharedArray;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.TypeCode;
import dev.sharedstruct.annotation.Length;
import dev.sharedstruct.annotation.SharedStruct;
import dev.sharedstruct.tests.DataKinds.Color;
import dev.sharedstruct.tests.DataKinds.Vec;
import dev.sharedstruct.tests.Samples.Counter;
import java.nio.file.Path;

/** A struct with every field kind, and the child JVMs that make and use regions for CommandTest. */
final class CommandStructs {
    private CommandStructs() {
    }

    /** Every kind of field a struct can have. */
    @SharedStruct
    public interface Rich {
        byte tiny();
        void tiny(byte value);
        short small();
        void small(short value);
        int number();
        void number(int value);
        long big();
        void big(long value);
        float ratio();
        void ratio(float value);
        double precise();
        void precise(double value);
        boolean isOn();
        void setOn(boolean value);
        char letter();
        void letter(char value);
        @Length(12) String label();
        void label(String value);
        Color color();
        void color(Color value);
        @Length(3) int[] samples();
        void samples(int[] values);
        @Length(2) double[] weights();
        void weights(double[] values);
        @Length(2) boolean[] flags();
        void flags(boolean[] values);
        Vec origin();
        void origin(Vec value);
        @Length(2) Vec[] path();
        void path(Vec[] values);
        Vec path(int index);
    }

    /** Makes a region at args[0] (kept) with a rich struct, arrays, a string, a value, a counter. */
    static final class MakeRegion {
        public static void main(String[] args) {
            try (SharedMemory shm = SharedMemory.create(Path.of(args[0]), 1 << 16, RegionOption.KEEP_FILE)) {
                Rich rich = shm.findOrCreate("rich", Rich.class);
                rich.tiny((byte) -7);
                rich.small((short) -1234);
                rich.number(123_456_789);
                rich.big(-9_876_543_210_123L);
                rich.ratio(0.1f);
                rich.precise(Math.PI);
                rich.setOn(true);
                rich.letter('\u00e9');
                rich.label("h\u00e9llo \"w\"");
                rich.color(Color.GREEN);
                rich.samples(new int[] {1, -2, Integer.MAX_VALUE});
                rich.weights(new double[] {1.0 / 3, -0.0});
                rich.flags(new boolean[] {false, true});
                Vec origin = Structs.local(Vec.class);
                origin.x(1.5);
                origin.y(-2.25);
                rich.origin(origin);
                Vec[] path = {Structs.local(Vec.class), Structs.local(Vec.class)};
                path[0].x(10);
                path[0].y(20);
                path[1].x(30.5);
                path[1].y(1e-300);
                rich.path(path);
                shm.findOrCreateArray("ints", TypeCode.INT, 40).set(39, 77);
                shm.findOrCreateArray("bytes", TypeCode.UBYTE, 2).set(0, (byte) 200);
                shm.findOrCreateArray("greeting", TypeCode.CHAR, 16).value("hi there");
                shm.findOrCreateValue("level", TypeCode.DOUBLE).set(2.5);
                SharedArray<Vec> points = shm.findOrCreateArray("points", Vec.class, 3);
                points.get(2).y(4.0);
                shm.findOrCreate("counter", Counter.class).count(41);
            }
        }
    }

    /** Takes the lock of "counter" in the region at args[0], says "held", and holds it until killed. */
    static final class HoldCounter {
        public static void main(String[] args) throws InterruptedException {
            try (SharedMemory shm = SharedMemory.open(Path.of(args[0]))) {
                Counter counter = shm.find("counter", Counter.class).orElseThrow();
                try (var _ = Structs.lock(counter).acquire()) {
                    System.out.println("held");
                    System.out.flush();
                    Thread.sleep(Long.MAX_VALUE);
                }
            }
        }
    }

    /** Adds 1 to "counter" of the region at args[0] every millisecond, until killed. */
    static final class CountForever {
        public static void main(String[] args) throws InterruptedException {
            try (SharedMemory shm = SharedMemory.open(Path.of(args[0]))) {
                Counter counter = shm.find("counter", Counter.class).orElseThrow();
                System.out.println("counting");
                System.out.flush();
                while (true) {
                    try (var _ = Structs.lock(counter).acquire()) {
                        counter.count(counter.count() + 1);
                    }
                    Thread.sleep(1);
                }
            }
        }
    }
}
