package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.tests.Samples.Counter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A C process whose main thread ended (pthread_exit) while another of its threads holds the lock.
 * Linux then shows the process as a zombie in /proc/PID/stat (the state of its first thread), with
 * its other threads still running. Java, C and Python waiters took that for a dead owner and took
 * the lock over from a live holder within 20 ms: two holders at once. Only a zombie of one thread
 * is dead (docs/LOCK.md "Liveness and takeover"); once the process is really gone, the lock is
 * taken over as before.
 */
class PeersOrphanedLeaderTest {

    @Test
    void aLiveThreadOfAProcessWhoseMainThreadEndedKeepsItsLock() throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 20)) {
            Counter counter = shm.findOrCreate("counter", Counter.class);
            SharedLock lock = Structs.lock(counter);
            String path = shm.path().toString();
            Process orphan = Peers.c("orphan", path, "counter");
            assertEquals("held", Peers.firstLine(orphan), () -> "the holder did not say so: " + Peers.errors(orphan));
            Path stat = Path.of("/proc", Long.toString(orphan.pid()), "stat");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Files.readString(stat).substring(Files.readString(stat).lastIndexOf(')') + 2).startsWith("Z")) {
                assertTrue(System.nanoTime() < deadline, "the main thread did not end: " + Files.readString(stat));
                Thread.sleep(2);
            }
            assertTrue(orphan.isAlive());

            assertFalse(lock.tryLock(300, TimeUnit.MILLISECONDS), "a Java waiter took the lock from a live holder");
            Process c = Peers.cSanitized("timed", path, "counter", "300000000");
            assertEquals("timed_out unlock=3 again=3", Peers.finish(c, 60).strip(), () -> Peers.errors(c));
            for (String implementation : List.of("1", "0")) {
                String out = Peers.run(List.of("env", "SHAREDSTRUCT_NATIVE=" + implementation, "python3", "-c", """
                        import sys
                        sys.path.insert(0, sys.argv[2])
                        from sharedstruct import Region
                        with Region.open(sys.argv[1]) as region:
                            print(region.find("counter").get_lock().acquire(timeout=0.3))
                        """, path, Peers.repository().resolve("python").toString()));
                assertEquals("False", out.strip(), "a Python waiter (" + implementation + ") took the lock from a live holder");
            }
            assertEquals(-1, Structs.raw(counter).count(), "the holder's write");
            assertEquals(orphan.pid(), lock.ownerPid());
            assertEquals(0, lock.recoveries());

            orphan.destroyForcibly();
            orphan.waitFor();
            try (SharedLock.Held held = lock.acquire()) {
                assertTrue(held.previousOwnerDied(), "taken over once the process is gone");
            }
            assertEquals(1, lock.recoveries());
        }
    }
}
