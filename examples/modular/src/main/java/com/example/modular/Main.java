package com.example.modular;

import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import java.util.ArrayList;
import java.util.List;

/** Runs on the module path: four threads count in a shared struct; fails unless everything is modular. */
public class Main {
    public static void main(String[] args) throws InterruptedException {
        Module runtime = SharedMemory.class.getModule();
        check(Main.class.getModule().isNamed(), "this example must run as module com.example.modular");
        check(runtime.isNamed(), "sharedstruct must be on the module path, as module dev.sharedstruct");
        check(runtime.isNativeAccessEnabled(), "run with --enable-native-access=dev.sharedstruct");
        System.out.println("module " + Main.class.getModule().getName() + " uses module " + runtime.getName()
                + " (native access: " + runtime.isNativeAccessEnabled() + ")");

        try (SharedMemory shm = SharedMemory.create(1 << 20)) {
            Counter counter = shm.value(Counter.class);
            counter.name("requests");
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 10_000; i++) {
                        try (var _ = Structs.lock(counter).acquire()) {
                            counter.count(counter.count() + 1);
                        }
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            check(counter.count() == 40_000, "expected 40000 locked increments, got " + counter.count());
            System.out.println(counter + " after 4 threads x 10000 locked increments");
        }
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            System.err.println("examples/modular: " + message);
            System.exit(1);
        }
    }
}
