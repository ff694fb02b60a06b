package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.tests.Samples.Counter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The peers' lock APIs used wrongly, or on a cell whose owner-private words are forged: each
 * answers with its documented error and leaves the lock usable (docs/LOCK.md, docs/PEERS.md).
 */
class PeersLockMisuseTest {

    /**
     * A holder re-entering with {@code extra_holds} at INT32_MAX (2^31 - 1 re-entries, or a
     * corrupt count): {@code holds + 1} overflowed (undefined behaviour in C, which UBSan stops;
     * a wrap to INT32_MIN in ctypes, after which the release took the count for corrupt and freed
     * the lock under the outer holds). The peers refuse the re-entry and keep the count, as the
     * Java runtime does ("maximum lock count exceeded").
     */
    @Test
    void aCReEntryPastInt32MaxIsRefusedAndKeepsTheCount() throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 20)) {
            shm.findOrCreate("counter", Counter.class);
            String path = shm.path().toString();
            assertEquals("too_many_holds extra=2147483647", reenter(path, Integer.MAX_VALUE));
            assertEquals("acquired extra=2147483647", reenter(path, Integer.MAX_VALUE - 1));
            assertEquals("acquired extra=6", reenter(path, 5));
            assertEquals("acquired extra=1", reenter(path, -3), "a negative (corrupt) count counts as 0");
        }
    }

    private static String reenter(String path, int extra) throws Exception {
        Process peer = Peers.cSanitized("reenter", path, "counter", Integer.toString(extra));
        String out = Peers.finish(peer, 120).strip();
        assertEquals(0, peer.exitValue(), () -> "the C peer failed: " + out + PeersTest.errors(peer));
        return out;
    }

    @Test
    void aPythonReEntryPastInt32MaxIsRefusedAndKeepsTheCount() throws Exception {
        for (String implementation : List.of("1", "0")) {
            try (SharedMemory shm = SharedMemory.create(1 << 20)) {
                Counter counter = shm.findOrCreate("counter", Counter.class);
                String out = Peers.run(List.of("env", "SHAREDSTRUCT_NATIVE=" + implementation, "python3", "-c", """
                        import ctypes, sys
                        sys.path.insert(0, sys.argv[2])
                        import sharedstruct
                        from sharedstruct import Region
                        with Region.open(sys.argv[1]) as region:
                            c = region.find("counter")
                            lock = c.get_lock()
                            extra = ctypes.c_int32.from_address(ctypes.addressof(c.get_obj()) - 32 + 8)
                            lock.acquire()
                            extra.value = 2**31 - 1
                            try:
                                lock.acquire()
                                print("re-entered", extra.value)
                            except OverflowError as e:
                                print("refused", extra.value, lock.is_owned(), "maximum lock count" in str(e))
                            extra.value = 1
                            lock.release()
                            print(lock.is_owned(), sharedstruct.LOCK_IMPLEMENTATION)
                            lock.release()
                            print(lock.is_owned())
                        """, path(shm), Peers.repository().resolve("python").toString()));
                assertEquals("refused 2147483647 True True\nTrue " + ("1".equals(implementation) ? "native" : "ctypes")
                        + "\nFalse", out.strip());
                SharedLock lock = Structs.lock(counter);
                assertFalse(lock.isLocked(), "released by the last release");
            }
        }
    }

    /**
     * ss_timed_lock's timeouts: 0 and a few ms give up on a held lock, a negative one and one too
     * far for the clock (INT64_MAX: ss__now() + timeout_ns overflowed, undefined behaviour UBSan
     * stops) wait for the release; an unlock by a thread that does not hold the lock is refused
     * and leaves the Java holder's lock alone.
     */
    @Test
    void cTimeoutsOfZeroNegativeAndTooFarAndAnUnlockByANonOwner() throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 20)) {
            Counter counter = shm.findOrCreate("counter", Counter.class);
            SharedLock lock = Structs.lock(counter);
            String path = path(shm);
            lock.lock();
            try {
                for (String nanos : List.of("0", "5000000")) {
                    Process peer = Peers.cSanitized("timed", path, "counter", nanos);
                    assertEquals("timed_out unlock=3 again=3", Peers.finish(peer, 120).strip(), () -> nanos + ": " + Peers.errors(peer));
                    assertTrue(lock.isHeldByCurrentThread(), "a refused unlock left the lock to its holder");
                }
            } finally {
                lock.unlock();
            }
            for (String nanos : List.of("-1", Long.toString(Long.MIN_VALUE), Long.toString(Long.MAX_VALUE),
                    Long.toString(Long.MAX_VALUE - 1_000_000))) {
                lock.lock();
                Process peer = Peers.cSanitized("timed", path, "counter", nanos);
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
                while (lock.waiters() == 0) {
                    assertTrue(peer.isAlive() && System.nanoTime() < deadline, () -> nanos + ": the peer did not wait: "
                            + Peers.finish(peer, 10) + Peers.errors(peer));
                    Thread.sleep(5);
                }
                Thread.sleep(100);
                lock.unlock();
                assertEquals("acquired unlock=0 again=3", Peers.finish(peer, 120).strip(), () -> nanos + ": " + Peers.errors(peer));
            }
        }
    }

    /**
     * The Python locks refuse the timeouts threading.Lock refuses, alike: the native lock turned a
     * NaN (which no comparison catches) into a deadline by an undefined conversion and waited for
     * ever, where the ctypes lock raised; 1e300 waited for ever there too, and raised OverflowError
     * from int() in ctypes; a timeout with blocking=False was ignored.
     */
    @Test
    void pythonTimeoutsAreCheckedAlikeByBothLocks() throws Exception {
        for (String implementation : List.of("1", "0")) {
            try (SharedMemory shm = SharedMemory.create(1 << 20)) {
                Counter counter = shm.findOrCreate("counter", Counter.class);
                SharedLock lock = Structs.lock(counter);
                lock.lock();
                try {
                    String out = Peers.run(List.of("env", "SHAREDSTRUCT_NATIVE=" + implementation, "timeout", "60", "python3", "-c", """
                            import sys, time
                            sys.path.insert(0, sys.argv[2])
                            import sharedstruct
                            from sharedstruct import Region
                            with Region.open(sys.argv[1]) as region:
                                lock = region.find("counter").get_lock()
                                for kw in ({"timeout": float("nan")}, {"timeout": -0.5}, {"timeout": 1e300}, {"timeout": float("inf")},
                                           {"blocking": False, "timeout": 1}, {"timeout": 0}, {"blocking": False}, {"timeout": 0.01}):
                                    try:
                                        print(kw, lock.acquire(**kw))
                                    except (ValueError, OverflowError) as e:
                                        print(kw, type(e).__name__)
                                try:
                                    lock.release()
                                except RuntimeError as e:
                                    print("release", "held by process" in str(e))
                                print(sharedstruct.LOCK_IMPLEMENTATION)
                            """, path(shm), Peers.repository().resolve("python").toString()));
                    assertEquals("""
                            {'timeout': nan} ValueError
                            {'timeout': -0.5} ValueError
                            {'timeout': 1e+300} OverflowError
                            {'timeout': inf} OverflowError
                            {'blocking': False, 'timeout': 1} ValueError
                            {'timeout': 0} False
                            {'blocking': False} False
                            {'timeout': 0.01} False
                            release True
                            """ + ("1".equals(implementation) ? "native" : "ctypes"), out.strip());
                    assertTrue(lock.isHeldByCurrentThread());
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    private static String path(SharedMemory shm) {
        return shm.path().toString();
    }
}
