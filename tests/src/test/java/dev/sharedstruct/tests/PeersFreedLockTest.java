package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.Handle;
import dev.sharedstruct.Placement;
import dev.sharedstruct.SharedByteArray;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedLongArray;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.TypeCode;
import dev.sharedstruct.tests.Samples.Counter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A C or Python peer keeps the lock of an object it found; a Java process frees the object. The
 * lock cell is then the free block's {@code {next, prev}} links (docs/FORMAT.md), so a claim
 * would write the peer's token into the free list: the peers must see that the block's generation
 * is not the one they found, refuse with "freed" (C: {@code SS_FREED}; Python:
 * {@code LockFreedError}), and leave the cell as they found it (docs/LOCK.md, "Freeing a block
 * with a lock cell"). When the block is reused at once, the cell is part of the new object, which
 * they must leave as it is too.
 */
class PeersFreedLockTest {
    private static final int BLOCK_HEADER = 64;
    private static final int BLK_GENERATION = 16;
    private static final int LOCK_WAITERS = 12;
    /** Bit 63 of a free lock's owner word (format 3): the other bits are the generation of the cell's block. */
    private static final long FREE_TAG = Long.MIN_VALUE;

    /**
     * Finds argv[2] in region argv[1], says "found" and which lock it uses, waits for a line on its
     * input, then tries the lock for argv[3] ms and prints the outcome (and a refusal's message).
     */
    private static final String PYTHON_STALE = """
            import sys
            sys.path.insert(0, sys.argv[4])
            import sharedstruct
            with sharedstruct.Region.open(sys.argv[1]) as region:
                counter = region.find(sys.argv[2])
                lock = counter.get_lock()
                print("found", sharedstruct.LOCK_IMPLEMENTATION, flush=True)
                sys.stdin.readline()
                try:
                    got = lock.acquire(timeout=int(sys.argv[3]) / 1000)
                except Exception as e:
                    if type(e).__name__ != "LockFreedError":
                        raise
                    print("freed", flush=True)
                    print(e, flush=True)
                else:
                    if got:
                        died = lock.previous_owner_died
                        lock.release()
                        print("owner_died" if died else "acquired", flush=True)
                    else:
                        print("timed_out", flush=True)
            """;

    /** One peer process running the "stale" step, and what it must say once it found the object. */
    private record Peer(String name, Process process, String found) {
    }

    /** A C peer, a Python peer with the native lock and one with the pure-ctypes lock, each keeping the lock of "counter". */
    private static List<Peer> startStalePeers(String path, int millis) throws IOException {
        String ms = Integer.toString(millis);
        String python = Peers.repository().resolve("python").toString();
        List<Peer> peers = List.of(
                new Peer("C", Peers.c("stale", path, "counter", ms), "found"),
                new Peer("Python (native lock)", Peers.start(List.of("python3", "-c", PYTHON_STALE, path, "counter", ms, python)),
                        "found native"),
                new Peer("Python (ctypes lock)", Peers.start(List.of("env", "SHAREDSTRUCT_NATIVE=0", "python3", "-c", PYTHON_STALE,
                        path, "counter", ms, python)), "found ctypes"));
        for (Peer peer : peers) {
            assertEquals(peer.found(), Peers.firstLine(peer.process()),
                    () -> peer.name() + " did not find the counter: " + PeersTest.errors(peer.process()));
        }
        return peers;
    }

    /** Lets every peer go on to its lock attempt and returns what each said, asserting that each refused it as freed. */
    private static void assertAllRefuse(List<Peer> peers) throws IOException {
        for (Peer peer : peers) {
            try (OutputStream input = peer.process().getOutputStream()) {
                input.write("go\n".getBytes(StandardCharsets.UTF_8));
            }
        }
        List<String> said = new ArrayList<>();
        for (Peer peer : peers) {
            String out = Peers.finish(peer.process(), 60).strip();
            said.add(peer.name() + ": " + out + (peer.process().exitValue() == 0 ? "" : " " + PeersTest.errors(peer.process())));
        }
        for (int i = 0; i < peers.size(); i++) {
            String line = said.get(i);
            assertTrue(line.startsWith(peers.get(i).name() + ": freed"), () -> "every peer must refuse the freed lock: " + said);
            if (peers.get(i).name().startsWith("Python")) {
                assertTrue(line.contains("\"counter\"") && line.contains("was freed"), () -> "the error says what was freed: " + said);
            }
        }
    }

    /** A second, independent mapping of the region file, for reading and writing words the API does not show. */
    private static ByteBuffer mapped(SharedMemory shm) throws IOException {
        try (FileChannel channel = FileChannel.open(shm.path(), java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE)) {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size()).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    private static long blockOf(Object object) {
        return Handle.parse(Structs.handle(object)).placement().block();
    }

    /**
     * The freed counter's block is the only free block of its bin, so its {@code next} link, the
     * lock cell's owner word, ends the bin. The allocator writes -1 there; this test writes the 0
     * that regions of earlier versions held (and that a format 2 claim's compare-and-set from 0
     * would win on): a word that is no token, RESERVED or the lock's free word, at which the peers
     * must look at the generation rather than wait or take it over as a corrupt owner.
     */
    @Test
    void peersRefuseTheLockOfAnObjectJavaFreedWhoseLinkReadsZero() throws Exception {
        Peers.cPeer();
        try (SharedMemory shm = SharedMemory.create(1 << 20)) {
            Counter counter = shm.findOrCreate("counter", Counter.class);
            // Above the counter, so that the freed block goes into a bin rather than back to the top.
            SharedByteArray keeper = shm.rawArray(TypeCode.BYTE, 16);
            Placement placement = Handle.parse(Structs.handle(counter)).placement();
            assertEquals(placement.block(), placement.lock(), "the counter owns its lock");
            ByteBuffer raw = mapped(shm);
            assertEquals(placement.generation(), raw.getLong((int) placement.block() - BLOCK_HEADER + BLK_GENERATION));
            List<Peer> peers = startStalePeers(shm.path().toString(), 3_000);

            shm.free(counter);
            assertEquals(-1L, raw.getLong((int) placement.block()), "the freed block is the last of its bin: next reads -1");
            raw.putLong((int) placement.block(), 0L);
            assertAllRefuse(peers);

            assertEquals(0L, raw.getLong((int) placement.block()), "no peer wrote into the free block's next link");
            Counter reuse = shm.rawValue(Counter.class);
            assertEquals(placement.block(), blockOf(reuse), "the free list still leads to the freed block");
            assertEquals(0, reuse.count());
            assertTrue(shm.verify().consistent(), () -> shm.verify().toString());
            shm.free(reuse);
            shm.free(keeper);
            assertTrue(shm.verify().consistent(), () -> shm.verify().toString());
        }
    }

    /**
     * Another free block of the same size lies behind the freed counter in its bin, so the owner
     * word (the {@code next} link) reads as an owner no process could have written: a waiter
     * would take it over as a corrupt owner after 20 ms, and its release would cut the list.
     */
    @Test
    void peersRefuseAFreedLockWhoseLinkLooksLikeACorruptOwner() throws Exception {
        Peers.cPeer();
        try (SharedMemory shm = SharedMemory.create(1 << 20)) {
            // Named too: freeing a named object also frees its directory entry, which merges with the
            // object's block; only two blocks freed alike come out the same size, in one bin.
            Counter other = shm.findOrCreate("other", Counter.class);
            SharedByteArray keeper = shm.rawArray(TypeCode.BYTE, 16);
            Counter counter = shm.findOrCreate("counter", Counter.class);
            SharedByteArray keeper2 = shm.rawArray(TypeCode.BYTE, 16);
            long otherBlock = blockOf(other);
            long counterBlock = blockOf(counter);
            ByteBuffer raw = mapped(shm);
            List<Peer> peers = startStalePeers(shm.path().toString(), 3_000);

            shm.free(other);
            shm.free(counter);
            long link = raw.getLong((int) counterBlock);
            assertEquals(otherBlock - BLOCK_HEADER, link, "the freed counter heads its bin, the other freed block next");
            assertAllRefuse(peers);

            assertEquals(link, raw.getLong((int) counterBlock), "no peer wrote into the free block's next link");
            assertTrue(shm.verify().consistent(), () -> shm.verify().toString());
            Counter reuse = shm.rawValue(Counter.class);
            assertEquals(counterBlock, blockOf(reuse), "the bin's head is still the freed counter's block");
            for (Object object : List.of(reuse, keeper, keeper2)) {
                shm.free(object);
            }
            assertTrue(shm.verify().consistent(), () -> shm.verify().toString());
        }
    }

    /**
     * Peers wait behind a Java holder when the block's generation goes (what free does first,
     * written here directly, while the lock is held as free holds it): each waiter gives up at its
     * next round instead of waiting on, and does not take itself off the waiter count, which in
     * freed memory is part of the {@code prev} link.
     */
    @Test
    void peersWaitingForALockGiveUpWhenItsBlockIsFreed() throws Exception {
        Peers.cPeer();
        try (SharedMemory shm = SharedMemory.create(1 << 20)) {
            Counter counter = shm.findOrCreate("counter", Counter.class);
            Placement placement = Handle.parse(Structs.handle(counter)).placement();
            int generationWord = (int) placement.block() - BLOCK_HEADER + BLK_GENERATION;
            int waitersWord = (int) placement.lock() + LOCK_WAITERS;
            ByteBuffer raw = mapped(shm);
            SharedLock lock = Structs.lock(counter);
            List<Peer> peers = startStalePeers(shm.path().toString(), 10_000);
            lock.lock();
            try {
                for (Peer peer : peers) {
                    try (OutputStream input = peer.process().getOutputStream()) {
                        input.write("go\n".getBytes(StandardCharsets.UTF_8));
                    }
                }
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
                while (lock.waiters() < peers.size()) {
                    assertTrue(System.nanoTime() < deadline, "the peers never all waited: " + lock.waiters());
                    Thread.sleep(5);
                }
                long started = System.nanoTime();
                raw.putLong(generationWord, 0L);
                List<String> said = new ArrayList<>();
                for (Peer peer : peers) {
                    said.add(peer.name() + ": " + Peers.finish(peer.process(), 60).strip());
                }
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                for (int i = 0; i < peers.size(); i++) {
                    String name = peers.get(i).name();
                    assertTrue(said.get(i).startsWith(name + ": freed"), () -> "every waiter must give up: " + said);
                }
                assertTrue(millis < 5_000, "the waiters gave up after " + millis + " ms");
                assertEquals(peers.size(), raw.getInt(waitersWord) & 0xFFFF,
                        "no waiter decremented the count in freed memory");
                // Undo the simulated free: the block is the counter's again, with no waiters.
                raw.putInt(waitersWord, ((raw.getInt(waitersWord) >>> 16) + 1) << 16);
                raw.putLong(generationWord, placement.generation());
            } finally {
                lock.unlock();
            }
            assertTrue(shm.verify().consistent(), () -> shm.verify().toString());
        }
    }

    /** What takes the freed counter's block at once, before the peers try the lock they kept. */
    enum Reuse {
        /** A synchronized counter: its own lock cell, free at the new generation, lies where the old one did. */
        OWN_LOCK_COUNTER,
        /** A raw counter holding 0 where the old cell's owner word was: a compare-and-set from 0 would win there. */
        RAW_COUNTER_READING_ZERO,
        /**
         * A raw counter whose count reads the old lock's free word: the claim's compare-and-set
         * would win there too, and only the look at the block's generation tells it from the lock.
         */
        RAW_COUNTER_READING_THE_OLD_FREE_WORD
    }

    /**
     * The peers keep the lock of a counter; Java frees it and at once allocates an object of the
     * same size, which the allocator's bin gives the freed block, and writes known values into
     * it. Each peer then tries the lock it kept: it must refuse it as freed and write nothing,
     * neither into the new object (its lock cell included) nor anywhere else in the region.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Reuse.class)
    void peersRefuseTheLockOfACounterJavaFreedAndReusedAtOnce(Reuse reuse) throws Exception {
        Peers.cPeer();
        try (SharedMemory shm = SharedMemory.create(1 << 20)) {
            Counter counter = shm.findOrCreate("counter", Counter.class);
            // Above the counter, so that the freed block goes into a bin rather than back to the top.
            SharedByteArray keeper = shm.rawArray(TypeCode.BYTE, 16);
            Placement old = Handle.parse(Structs.handle(counter)).placement();
            assertEquals(old.block(), old.lock(), "the counter owns its lock");
            int block = (int) old.block();
            ByteBuffer raw = mapped(shm);
            long oldFree = FREE_TAG | old.generation();
            assertEquals(oldFree, raw.getLong(block), "a free lock's owner word carries its block's generation");
            List<Peer> peers = startStalePeers(shm.path().toString(), 3_000);

            shm.free(counter);
            Counter reused = switch (reuse) {
                case OWN_LOCK_COUNTER -> shm.value(Counter.class);
                case RAW_COUNTER_READING_ZERO, RAW_COUNTER_READING_THE_OLD_FREE_WORD -> shm.rawValue(Counter.class);
            };
            Placement now = Handle.parse(Structs.handle(reused)).placement();
            assertEquals(old.block(), now.block(), "the new object took the freed counter's block");
            assertNotEquals(old.generation(), now.generation(), "the block's generation is the new object's");
            long count = switch (reuse) {
                case OWN_LOCK_COUNTER -> 0x1122_3344_5566_7788L;
                case RAW_COUNTER_READING_ZERO -> 0L;
                case RAW_COUNTER_READING_THE_OLD_FREE_WORD -> oldFree;
            };
            reused.count(count);
            long firstWord = reuse == Reuse.OWN_LOCK_COUNTER ? FREE_TAG | now.generation() : count;
            assertEquals(firstWord, raw.getLong(block), "the word where the old lock's owner word was");
            byte[] before = snapshot(raw);

            assertAllRefuse(peers);

            byte[] after = snapshot(raw);
            assertEquals(firstWord, raw.getLong(block), "no peer wrote into the word where the old lock's owner word was");
            assertEquals(count, reused.count());
            int end = block + (int) (raw.getLong(block - BLOCK_HEADER) - BLOCK_HEADER);
            int inBlock = Arrays.mismatch(before, block - BLOCK_HEADER, end, after, block - BLOCK_HEADER, end);
            assertEquals(-1, inBlock, () -> "a peer wrote into the new object's block, at payload + " + (inBlock - BLOCK_HEADER));
            int anywhere = Arrays.mismatch(before, after);
            assertEquals(-1, anywhere, () -> "a peer wrote into the region at offset " + anywhere);
            if (reuse == Reuse.OWN_LOCK_COUNTER) {
                // The new object's lock works, and is free at the new generation once released.
                try (SharedLock.Held held = Structs.lock(reused).acquire()) {
                    assertFalse(held.previousOwnerDied());
                }
                assertEquals(FREE_TAG | now.generation(), raw.getLong(block));
            }
            assertTrue(shm.verify().consistent(), () -> shm.verify().toString());
            shm.free(reused);
            shm.free(keeper);
            assertTrue(shm.verify().consistent(), () -> shm.verify().toString());
        }
    }

    private static byte[] snapshot(ByteBuffer raw) {
        byte[] bytes = new byte[raw.capacity()];
        raw.get(0, bytes);
        return bytes;
    }

    /**
     * Reads the counters' lock cells from argv[2] ("OFFSET GENERATION" lines) of region argv[1],
     * says "ready" and which lock it uses, then three threads take those locks over and over
     * (acquire, non-blocking, 1 ms) and add 1 to each count, each until every lock refused as
     * freed; prints "other N" and the first few outcomes that were neither.
     */
    private static final String PYTHON_STORM = """
            import ctypes, random, sys, threading
            sys.path.insert(0, sys.argv[3])
            import sharedstruct
            from sharedstruct import lock as locks
            region = sharedstruct.Region.open(sys.argv[1])
            cells = [tuple(int(word) for word in line.split()) for line in open(sys.argv[2]) if line.strip()]
            other = []
            def hammer(seed):
                chance = random.Random(seed)
                mine = [(locks.make_lock(region.address + offset, region, generation),
                         ctypes.c_int64.from_address(region.address + offset + 32)) for offset, generation in cells]
                live = list(range(len(mine)))
                while live:
                    for i in reversed(range(len(live))):
                        lock, count = mine[live[i]]
                        how = chance.randrange(3)
                        try:
                            got = lock.acquire() if how == 0 else lock.acquire(how == 2, 0.001 if how == 2 else -1)
                        except sharedstruct.LockFreedError:
                            del live[i]
                            continue
                        except Exception as e:
                            other.append(repr(e))
                            del live[i]
                            continue
                        if got:
                            if lock.previous_owner_died:
                                other.append("owner_died")
                            count.value += 1
                            lock.release()
            print("ready", sharedstruct.LOCK_IMPLEMENTATION, flush=True)
            threads = [threading.Thread(target=hammer, args=(t,)) for t in range(3)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            print("other", len(other), other[:3], flush=True)
            """;
    private static final int STORM_COUNTERS = 200;
    /**
     * What each freed counter's block holds next: a raw {@code long[5]} (the size of a counter
     * with its own lock) whose word at offset 12 reads as "count generation 1, 1 waiter" and whose
     * word at 16 (wakeups) is 0, even: a release that still wrote the cell after its store of
     * {@code FREE} would find a waiter there and announce a wake-up, making element 2 read 1.
     */
    private static final long[] STORM_PATTERN = {0, 0x0001_0001_0000_0000L, 0, 0, 0};

    @TempDir
    Path directory;

    /** The peer process that takes the locks in {@link #aPeerNeverWritesIntoABlockJavaFreedAndReusedUnderItsWaitersAndReleases}. */
    enum Stormer {
        C, PYTHON_NATIVE, PYTHON_CTYPES
    }

    /**
     * A peer's threads contend for the own locks of many counters (so that releases find
     * waiters, and waiters register and leave) while Java frees each counter as soon as free
     * allows and at once reuses its block for {@link #STORM_PATTERN}. Nothing of a peer's may
     * land in a reused block: a release writes nothing of the cell after its store of
     * {@code FREE} (it announces its wake-up before), and a waiter's +1 or -1 on the count that a
     * free overtook is taken back (docs/LOCK.md, "wakeups" and "waiters"). Rounds for 2 s.
     *
     * <p>With the release that stored {@code FREE} first and then announced its wake-up, the
     * ctypes peer failed within a few rounds, the C peer in about half the runs: its window is
     * a few instructions, open only when the releasing thread is descheduled right after its
     * store, hence 8 C threads (3 Python ones) on however few CPUs there are.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Stormer.class)
    void aPeerNeverWritesIntoABlockJavaFreedAndReusedUnderItsWaitersAndReleases(Stormer stormer) throws Exception {
        Peers.cPeer();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        int rounds = 0;
        while (System.nanoTime() - end < 0) {
            stormRound(stormer, rounds++);
        }
        System.out.println("PeersFreedLockTest " + stormer + ": " + rounds + " rounds, no write found");
    }

    private void stormRound(Stormer stormer, int round) throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 20)) {
            List<Counter> counters = new ArrayList<>();
            StringBuilder cells = new StringBuilder();
            for (int i = 0; i < STORM_COUNTERS; i++) {
                Counter counter = shm.value(Counter.class);
                Placement placement = Handle.parse(Structs.handle(counter)).placement();
                assertEquals(placement.block(), placement.lock(), "the counter owns its lock");
                counters.add(counter);
                cells.append(placement.lock()).append(' ').append(placement.generation()).append('\n');
            }
            String file = Files.writeString(directory.resolve("cells-" + stormer + "-" + round + ".txt"), cells).toString();
            String path = shm.path().toString();
            String python = Peers.repository().resolve("python").toString();
            Process peer = switch (stormer) {
                case C -> Peers.c("storm", path, file, "8");
                case PYTHON_NATIVE -> Peers.start(List.of("python3", "-c", PYTHON_STORM, path, file, python));
                case PYTHON_CTYPES -> Peers.start(List.of("env", "SHAREDSTRUCT_NATIVE=0", "python3", "-c", PYTHON_STORM, path, file,
                        python));
            };
            try {
                String ready = switch (stormer) {
                    case C -> "ready";
                    case PYTHON_NATIVE -> "ready native";
                    case PYTHON_CTYPES -> "ready ctypes";
                };
                assertEquals(ready, Peers.firstLine(peer), () -> "the peer did not start: " + PeersTest.errors(peer));
                List<SharedLongArray> arrays = new ArrayList<>();
                for (Counter counter : counters) {
                    long block = Handle.parse(Structs.handle(counter)).placement().block();
                    Frees.persistently(shm, counter, Duration.ofMinutes(1));
                    SharedLongArray array = shm.rawArray(TypeCode.LONG, STORM_PATTERN);
                    assertEquals(block, Handle.parse(Structs.handle(array)).placement().block(), "the array took the counter's block");
                    arrays.add(array);
                }
                String said = Peers.finish(peer, 60).strip();
                assertEquals(0, peer.exitValue(), () -> "the peer failed: " + said + " " + PeersTest.errors(peer));
                assertTrue(said.startsWith("other 0"), () -> "the peer saw outcomes other than acquired, timed out, freed: " + said);
                for (SharedLongArray array : arrays) {
                    long[] now = array.toArray();
                    assertTrue(Arrays.equals(STORM_PATTERN, now), () -> "round " + round + ": a block reused after a free was written: "
                            + Arrays.toString(now) + " instead of " + Arrays.toString(STORM_PATTERN));
                }
                assertTrue(shm.verify().consistent(), () -> shm.verify().toString());
            } finally {
                peer.destroyForcibly();
            }
        }
    }
}
