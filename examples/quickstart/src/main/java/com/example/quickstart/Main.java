package com.example.quickstart;

import dev.sharedstruct.SharedArray;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;

public class Main {
    public static void main(String[] args) {
        try (SharedMemory shm = SharedMemory.create(1 << 20)) {      // an owner-only file in /dev/shm
            Point p = shm.value(Point.class);     // Python's Value(Point): every accessor takes p's lock
            p.x(1.5);
            try (var _ = Structs.lock(p).acquire()) {                  // several accessors as one step
                p.y(p.x() * 2);                                        // (the lock is reentrant)
            }
            Point raw = shm.rawValue(Point.class);                     // RawValue: no lock
            raw.x(p.length());
            SharedLock lock = shm.newLock();                           // Lock(), shared by several objects
            SharedArray<Point> a = shm.array(Point.class, 3, lock);    // Array(Point, 3, lock=lock)
            a.get(0).x(raw.x());
            System.out.println(p + " has length " + p.length() + "; a[0] is " + a.get(0));
            String handle = Structs.handle(p);     // another process: SharedMemory.open(path).attach(handle, Point.class)
            System.out.println("handle for another process: " + handle);
        }
    }
}
