package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.tests.Samples.Counter;
import java.util.List;
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

    private static String path(SharedMemory shm) {
        return shm.path().toString();
    }
}
