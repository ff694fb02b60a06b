package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.Handle;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.tests.Samples.Counter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A waiter of each language SIGKILLed while registered leaves its count in the cell; the Java
 * release then announces a wake-up nobody answers. With no Java {@code waiters()} to heal it, a
 * peer's own releases must (docs/LOCK.md "Waiter count healing": a wake-up unanswered for 50 ms
 * starts the count again), or every release of every process pays the contended path for ever.
 */
class PeersWaiterHealingTest {
    private static final long WAITERS = 12;

    @Test
    void peersReleasesHealTheCountOfAKilledWaiterOfAnyLanguage() throws Exception {
        Peers.cPeer();
        List<Function<String, Process>> dying = List.of(
                path -> Peers.c("wait", path, "counter"),
                path -> Peers.python("wait", path, "counter"),
                path -> Peers.pythonWithCtypesLock("wait", path, "counter"));
        List<Function<String, Process>> healers = List.of(
                path -> Peers.c("increment", path, "counter", "50000000"),
                path -> Peers.python("increment", path, "counter", "2000000"),
                path -> Peers.pythonWithCtypesLock("increment", path, "counter", "60000"));
        // Each healer releases for well over the 50 ms after which an unanswered wake-up heals the count.
        List<Long> counts = List.of(50_000_000L, 2_000_000L, 60_000L);
        for (Function<String, Process> waiter : dying) {
            for (int h = 0; h < healers.size(); h++) {
                try (SharedMemory shm = SharedMemory.create(1 << 20)) {
                    Counter counter = shm.findOrCreate("counter", Counter.class);
                    SharedLock lock = Structs.lock(counter);
                    Path file = shm.path();
                    long cell = Handle.parse(Structs.handle(counter)).placement().lock();
                    String path = file.toString();
                    lock.lock();
                    Process dead = waiter.apply(path);
                    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
                    while ((RegionWords.readInt(file, cell + WAITERS) & 0xFFFF) == 0) {
                        assertTrue(dead.isAlive() && System.nanoTime() < deadline, () -> "the waiter never registered: "
                                + Peers.errors(dead));
                        Thread.sleep(2);
                    }
                    dead.destroyForcibly();
                    dead.waitFor();
                    lock.unlock();
                    assertEquals(1, RegionWords.readInt(file, cell + WAITERS) & 0xFFFF, "the killed waiter is still counted");
                    Process healer = healers.get(h).apply(path);
                    Peers.finish(healer, 300);
                    assertEquals(0, healer.exitValue(), () -> Peers.errors(healer));
                    int h2 = h;
                    assertEquals(0, RegionWords.readInt(file, cell + WAITERS) & 0xFFFF,
                            () -> "healer " + h2 + " left the dead waiter counted");
                    assertEquals(counts.get(h), counter.count());
                    assertTrue(!lock.isLocked());
                }
            }
        }
    }
}
