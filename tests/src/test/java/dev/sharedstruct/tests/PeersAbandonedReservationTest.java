package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.Handle;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.tests.Samples.Counter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A lock reserved for a long waiter that was killed (AbandonedReservationTest writes the state the
 * kill leaves) and a peer that only polls: ss_timed_lock with 0 or 5 ms, Python acquire with
 * blocking=False or timeout=0.005. Java's tryLock takes a reservation it has seen stand for
 * 100 ms; the peers' polls each started their 100 ms anew (or never counted), so a peer that does
 * not block was refused for as long as nobody blocked on the lock.
 */
class PeersAbandonedReservationTest {
    private static final long RESERVED = 1L << 31;
    private static final long WAITERS = 12;
    /** The outcome, the milliseconds until it, and the longest single call's. */
    private static final Pattern SAID = Pattern.compile("(\\w+) (\\d+) (\\d+)");
    /** How long a waiter has waited when it may take a reservation (LOCK.md: a long waiter). */
    private static final long STARVING_MS = 20;

    @Test
    void aPollingPeerOfEitherLanguageTakesAReservationNobodyTakes() throws Exception {
        String python = """
                import sys, time
                sys.path.insert(0, sys.argv[3])
                from sharedstruct import Region
                with Region.open(sys.argv[1]) as region:
                    lock = region.find(sys.argv[2]).get_lock()
                    start = time.monotonic()
                    longest = 0
                    while True:
                        call = time.monotonic()
                        got = lock.acquire(blocking=False) if sys.argv[4] == "nb" else lock.acquire(timeout=0.005)
                        longest = max(longest, time.monotonic() - call)
                        if got or time.monotonic() - start > 5:
                            break
                        time.sleep(0.002)
                    print("acquired" if got else "timed_out", int((time.monotonic() - start) * 1000), int(longest * 1000))
                    if got:
                        lock.release()
                """;
        String lib = Peers.repository().resolve("python").toString();
        List<Function<String, Process>> pollers = List.of(
                path -> Peers.cSanitized("poll", path, "counter", "0", "5000"),
                path -> Peers.cSanitized("poll", path, "counter", "5000000", "5000"),
                path -> Peers.start(List.of("python3", "-c", python, path, "counter", lib, "nb")),
                path -> Peers.start(List.of("python3", "-c", python, path, "counter", lib, "short")),
                path -> Peers.start(List.of("env", "SHAREDSTRUCT_NATIVE=0", "python3", "-c", python, path, "counter", lib, "nb")),
                path -> Peers.start(List.of("env", "SHAREDSTRUCT_NATIVE=0", "python3", "-c", python, path, "counter", lib, "short")));
        for (int i = 0; i < pollers.size(); i++) {
            try (SharedMemory shm = SharedMemory.create(1 << 16)) {
                Counter counter = shm.findOrCreate("counter", Counter.class);
                SharedLock lock = Structs.lock(counter);
                Path file = shm.path();
                long cell = Handle.parse(Structs.handle(counter)).placement().lock();
                RegionWords.writeInt(file, cell + WAITERS, RegionWords.readInt(file, cell + WAITERS) + 1); // its registration
                RegionWords.write(file, cell, RESERVED);                                                  // the lock left for it
                Process poller = pollers.get(i).apply(file.toString());
                String out = Peers.finish(poller, 60).strip();
                int which = i;
                Matcher m = SAID.matcher(out);
                assertTrue(m.matches(), () -> "poller " + which + " said " + out + Peers.errors(poller));
                assertEquals("acquired", m.group(1), () -> "poller " + which + " never took the abandoned reservation: " + out);
                // Not at once: after the reservation stood 100 ms for it, or in one call that
                // waited as long as a starving waiter, which may take it (a loaded machine).
                assertTrue(Long.parseLong(m.group(2)) >= 90 || Long.parseLong(m.group(3)) >= STARVING_MS,
                        () -> "poller " + which + " took a fresh reservation: " + out);
                assertFalse(lock.isLocked(), "poller " + which + " released it");
            }
        }
    }
}
