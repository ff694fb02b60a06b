package dev.sharedstruct.samples;

import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import java.util.ArrayList;
import java.util.List;

/**
 * The first demo: a struct in shared memory, its generated layout, locked accessors, and a
 * read-modify-write made atomic by holding the struct's lock across it.
 */
public final class QuickStart {
    private QuickStart() {
    }

    public static void main(String[] args) throws InterruptedException {
        Heading.print("QuickStart: one struct in shared memory, its C layout, and a lock that makes += whole",
                "Expect: Point's layout (two doubles, 16 bytes), Point{x=3.0, y=4.0} of length 5.0, then x = 400003.0",
                "after four threads each did 100000 locked increments (without the lock some would be lost).");
        try (SharedMemory shm = SharedMemory.create(1 << 20)) {
            Point p = shm.value(Point.class);
            System.out.println("layout:           " + Structs.layout(Point.class));
            p.x(3);
            p.y(4);
            System.out.println("point:            " + p + ", length " + p.length());

            // Four threads add 1 to x a hundred thousand times each: the lock makes each step whole.
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 100_000; i++) {
                        try (var _ = Structs.lock(p).acquire()) {
                            p.x(p.x() + 1);
                        }
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            System.out.println("after increments: " + p);
        }
    }
}
