package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.Handle;
import dev.sharedstruct.RegionOption;
import dev.sharedstruct.SharedLongArray;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.TypeCode;
import dev.sharedstruct.tests.Samples.Counter;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The C peer's ss__freed looks only at the generation word 48 bytes before a lock cell, never at
 * the block-start map: a lock found before the object was freed is claimed again once a raw array
 * reusing the memory holds a copy of the old header's generation word and the cell's free word.
 */
class PeersStaleLockReusedMemoryTest {
    @TempDir
    Path directory;

    private static final String PYTHON_STALE = """
            import sys
            sys.path.insert(0, sys.argv[4])
            import sharedstruct
            with sharedstruct.Region.open(sys.argv[1]) as region:
                counter = region.find(sys.argv[2])
                lock = counter.get_lock()
                print("found", flush=True)
                sys.stdin.readline()
                try:
                    got = lock.acquire(timeout=int(sys.argv[3]) / 1000)
                except Exception as e:
                    print("freed", type(e).__name__, flush=True)
                else:
                    if got:
                        lock.release()
                    print("acquired" if got else "timed_out", flush=True)
            """;

    @Test
    void thePythonPeerDoesNotClaimAStaleLockRevivedByArrayData() throws Exception {
        run(false);
    }

    @Test
    void theCPeerDoesNotClaimAStaleLockRevivedByArrayData() throws Exception {
        run(true);
    }

    private void run(boolean c) throws Exception {
        Peers.cPeer();
        Path file = directory.resolve("peer-stale.region");
        try (SharedMemory shm = SharedMemory.create(file, 1 << 20, RegionOption.KEEP_FILE)) {
            SharedLongArray below = shm.rawArray(TypeCode.LONG, 8);
            Counter counter = shm.findOrCreate("counter", Counter.class);
            SharedLongArray keeper = shm.rawArray(TypeCode.LONG, 2);
            long belowBlock = Handle.parse(Structs.handle(below)).placement().block() - 64;
            long counterBlock = Handle.parse(Structs.handle(counter)).placement().block() - 64;
            long keeperBlock = Handle.parse(Structs.handle(keeper)).placement().block() - 64;
            long[] copy = new long[(64 + 32) / 8];
            for (int i = 0; i < copy.length; i++) {
                copy[i] = RegionWords.read(file, counterBlock + 8L * i);
            }
            Process peer = c ? Peers.c("stale", file.toString(), "counter", "2000")
                    : Peers.start(java.util.List.of("python3", "-c", PYTHON_STALE, file.toString(), "counter", "2000",
                            Peers.repository().resolve("python").toString()));
            assertEquals("found", Peers.firstLine(peer), () -> PeersTest.errors(peer));
            shm.free(below);
            shm.free(counter);
            SharedLongArray reuse = shm.rawArray(TypeCode.LONG, (int) ((keeperBlock - belowBlock - 64) / 8));
            assertEquals(belowBlock + 64, Handle.parse(Structs.handle(reuse)).placement().block());
            int at = (int) ((counterBlock - (belowBlock + 64)) / 8);
            for (int i = 2; i < copy.length; i++) {
                reuse.set(at + i, copy[i]);
            }
            long[] before = reuse.toArray();
            try (OutputStream input = peer.getOutputStream()) {
                input.write("go\n".getBytes(StandardCharsets.UTF_8));
            }
            String out = Peers.finish(peer, 60).strip();

            assertTrue(out.startsWith("freed"), (c ? "C" : "Python") + ": the peer claimed the lock of a freed counter inside a raw array: " + out);
            assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(reuse.toArray()));
            shm.free(keeper);
        }
    }
}
