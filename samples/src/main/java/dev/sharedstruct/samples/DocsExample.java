package dev.sharedstruct.samples;

import dev.sharedstruct.SharedArray;
import dev.sharedstruct.SharedDoubleValue;
import dev.sharedstruct.SharedIntValue;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.SharedString;
import dev.sharedstruct.Structs;
import dev.sharedstruct.TypeCode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The sharedctypes example from Python's {@code multiprocessing} documentation, in Java:
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

    public static void main(String[] args) throws InterruptedException {
        try (SharedMemory shm = SharedMemory.create(1 << 20)) {
            SharedLock lock = shm.newLock();
            SharedIntValue n = shm.value(TypeCode.INT);
            n.set(7);
            SharedDoubleValue x = shm.rawValue(TypeCode.DOUBLE);
            x.set(1.0 / 3.0);
            SharedString s = shm.array(TypeCode.CHAR, "hello world".getBytes(StandardCharsets.US_ASCII), lock);
            SharedArray<Point> a = shm.array(Point.class, List.of(point(1.875, -6.25), point(-5.75, 2.0), point(2.375, 9.5)), lock);

            Thread p = Thread.ofPlatform().start(() -> modify(n, x, s, a));
            p.join();

            System.out.println(n.get());
            System.out.println(x.get());
            System.out.println(s.value());
            System.out.println(a.asList().stream().map(point -> "(" + point.x() + ", " + point.y() + ")")
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
