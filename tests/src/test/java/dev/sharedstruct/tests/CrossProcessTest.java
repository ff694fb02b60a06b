package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.testsupport.ChildJvm;
import dev.sharedstruct.RegionOption;
import dev.sharedstruct.SharedIntValue;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.TypeCode;
import dev.sharedstruct.tests.Samples.Counter;
import dev.sharedstruct.tests.Samples.Point;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child JVMs sharing one region: handles, names, locks, the allocator, openOrCreate. */
class CrossProcessTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @Test
    void childrenAttachByHandleAndShareTheStructsLock() throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 20)) {
            Counter counter = shm.value(Counter.class);
            String handle = Structs.handle(counter);
            List<ChildJvm> children = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                children.add(ChildJvm.start(Children.Increment.class, handle, "2000"));
            }
            for (int i = 0; i < 2000; i++) {
                try (var _ = Structs.lock(counter).acquire()) {
                    counter.count(counter.count() + 1);
                }
            }
            for (ChildJvm child : children) {
                child.joinSuccessfully(TIMEOUT);
            }
            assertEquals(8000, counter.count(), "the lock is the same in every process: no increment is lost");

            try (var _ = Structs.lock(counter).acquire()) {
                assertEquals(0, ChildJvm.start(Children.TryLock.class, handle).join(TIMEOUT),
                        "a child took the lock that this process holds");
            }
            assertEquals(10, ChildJvm.start(Children.TryLock.class, handle).join(TIMEOUT), "a free lock is free in the child too");
        }
    }

    @Test
    void namedObjectsAreTheSameMemoryInEveryProcess() throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 20)) {
            Point point = shm.findOrCreate("origin", Point.class);
            ChildJvm.start(Children.SetNamedPoint.class, shm.path().toString(), "origin", "42.5").joinSuccessfully(TIMEOUT);
            assertEquals(42.5, point.x());
            assertEquals(42.5, shm.find("origin", Point.class).orElseThrow().x());
        }
    }

    @Test
    void concurrentAllocationAndFreeInChildrenNeverOverlapAndGiveEverythingBack() throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 20)) {
            long freeAtStart = shm.freeBytes();
            List<ChildJvm> children = new ArrayList<>();
            for (int id = 1; id <= 3; id++) {
                children.add(ChildJvm.start(Children.AllocateAndFree.class, shm.path().toString(), Integer.toString(id), "3000"));
            }
            for (ChildJvm child : children) {
                child.joinSuccessfully(TIMEOUT);
            }
            assertEquals(freeAtStart, shm.freeBytes(), "every freed block went back and merged");
        }
    }

    @Test
    void openOrCreateRacedByFourProcessesInitialisesOnce(@TempDir Path directory) throws Exception {
        Path path = directory.resolve("raced.region");
        List<ChildJvm> children = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            children.add(ChildJvm.start(Children.OpenOrCreate.class, path.toString(), Long.toString(1 << 16)));
        }
        int created = 0;
        for (ChildJvm child : children) {
            child.joinSuccessfully(TIMEOUT);
            created += child.output().contains("created") ? 1 : 0;
        }
        assertEquals(1, created, "exactly one process created the region");
        try (SharedMemory shm = SharedMemory.open(path)) {
            SharedIntValue hits = shm.findValue("hits", TypeCode.INT).orElseThrow();
            assertEquals(4, hits.get(), "all four used the same region and the same named value");
            assertFalse(shm.isCreator());
        }
        assertTrue(Files.exists(path), "KEEP_FILE kept it, and an opener's close never deletes");
    }

    @Test
    void aRegionOutlivesItsCreatorWithKeepFile(@TempDir Path directory) {
        Path path = directory.resolve("kept.region");
        try (SharedMemory shm = SharedMemory.create(path, 1 << 16, RegionOption.KEEP_FILE)) {
            shm.findOrCreateValue("answer", TypeCode.INT).set(42);
        }
        try (SharedMemory again = SharedMemory.open(path)) {
            assertEquals(42, again.findValue("answer", TypeCode.INT).orElseThrow().get());
        }
    }
}
