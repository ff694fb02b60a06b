package dev.sharedstruct.samples;

import dev.sharedstruct.testsupport.ChildJvm;
import dev.sharedstruct.Handle;
import dev.sharedstruct.SharedArray;
import dev.sharedstruct.SharedDoubleValue;
import dev.sharedstruct.SharedIntValue;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.SharedString;
import dev.sharedstruct.Structs;
import dev.sharedstruct.TypeCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The sharedctypes example from Python's {@code multiprocessing} documentation, in Java, with
 * {@code modify} running in a child JVM that attaches the objects by their handles:
 * <pre>
 * lock = Lock()
 * n = Value('i', 7)
 * x = Value(c_double, 1.0/3.0, lock=False)
 * s = Array('c', b'hello world', lock=lock)
 * A = Array(Point, [(1.875,-6.25), (-5.75,2.0), (2.375,9.5)], lock=lock)
 * p = Process(target=modify, args=(n, x, s, A)); p.start(); p.join()
 * </pre>
 */
public final class DocsExample {
    private DocsExample() {
    }

    /** Squares the numbers, upper-cases the string and squares each point's coordinates. */
    static void modify(SharedIntValue n, SharedDoubleValue x, SharedString s, SharedArray<Point> points) {
        n.update(v -> v * v);
        x.update(v -> v * v);
        s.value(s.value().toUpperCase());
        for (Point a : points) {
            a.x(a.x() * a.x());
            a.y(a.y() * a.y());
        }
    }

    /** The child: attaches the four objects by handle and modifies them. */
    public static final class Modify {
        private Modify() {
        }

        public static void main(String[] handles) {
            try (SharedMemory shm = SharedMemory.open(Handle.parse(handles[0]).region())) {
                SharedArray<Point> points = shm.attachArray(handles[3], Point.class);
                modify(shm.attach(handles[0], SharedIntValue.class), shm.attach(handles[1], SharedDoubleValue.class),
                        shm.attach(handles[2], SharedString.class), points);
            }
        }
    }

    /** Python's four lines, as the documentation shows them, and what they print. */
    static final List<String> PYTHON_PRINTS = List.of(
            "print(n.value)                  49",
            "print(x.value)                  0.1111111111111111",
            "print(s.value)                  HELLO WORLD",
            "print([(a.x, a.y) for a in A])  [(3.515625, 39.0625), (33.0625, 4.0), (5.640625, 90.25)]");

    public static void main(String[] args) throws InterruptedException {
        Heading.print("DocsExample: Python's sharedctypes documentation example, with modify() in a child JVM",
                "n = Value('i', 7); x = RawValue(c_double, 1/3); s = Array('c', b'hello world', lock=lock);",
                "A = Array(Point, [(1.875, -6.25), (-5.75, 2.0), (2.375, 9.5)], lock=lock); the child squares the",
                "numbers and coordinates and upper-cases the string. Expect the same values as Python's:");
        for (String line : PYTHON_PRINTS) {
            System.out.println("   " + line);
        }
        try (SharedMemory shm = SharedMemory.create(1 << 20)) {
            SharedLock lock = shm.newLock();
            SharedIntValue n = shm.value(TypeCode.INT);
            n.set(7);
            SharedDoubleValue x = shm.rawValue(TypeCode.DOUBLE);
            x.set(1.0 / 3.0);
            SharedString s = shm.array(TypeCode.CHAR, "hello world".getBytes(StandardCharsets.US_ASCII), lock);
            SharedArray<Point> a = shm.array(Point.class, List.of(point(1.875, -6.25), point(-5.75, 2.0), point(2.375, 9.5)), lock);

            ChildJvm p = ChildJvm.start(Modify.class, Structs.handle(n), Structs.handle(x), Structs.handle(s), Structs.handle(a));
            p.joinSuccessfully(Duration.ofMinutes(2));

            System.out.println("n.value = " + n.get());
            System.out.println("x.value = " + x.get());
            System.out.println("s.value = " + s.value());
            System.out.println("[(a.x, a.y) for a in A] = " + a.asList().stream()
                    .map(point -> "(" + point.x() + ", " + point.y() + ")")
                    .collect(Collectors.joining(", ", "[", "]")));
        }
    }

    private static Point point(double x, double y) {
        Point p = Structs.local(Point.class);
        p.x(x);
        p.y(y);
        return p;
    }
}
