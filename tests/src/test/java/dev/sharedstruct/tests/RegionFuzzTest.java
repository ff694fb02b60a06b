package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.RegionOption;
import dev.sharedstruct.SharedIntArray;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.TypeCode;
import dev.sharedstruct.tests.Samples.Counter;
import dev.sharedstruct.tests.Samples.Point;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzz: thousands of copies of a valid region, each with one to three words changed where the
 * metadata lives (header, block headers, free links, directory entries, layout text, lock cells),
 * opened and exercised in child JVMs (find, attach, allocate, free, name, verify) with a per-case
 * watchdog. Every outcome must be a clean result or an InvalidRegionException /
 * IllegalArgumentException (or free's documented IllegalStateException refusal of an object
 * whose lock cell reads as held, or a full region); no hang, no crash, and a refused open leaves
 * the file unchanged.
 *
 * <p>Not mutated: the owner and owner_start words of the region lock. A region lock recorded as
 * held by a live process is waited for, by design (a live owner is never robbed).
 * {@code -Dsharedstruct.fuzz.cases=N} and {@code -Dsharedstruct.fuzz.seed=S} change the run.
 */
class RegionFuzzTest {
    private static final int CASES = Integer.getInteger("sharedstruct.fuzz.cases", 3000);
    private static final long SEED = Long.getLong("sharedstruct.fuzz.seed", 20261127L);
    private static final int WORKERS = 3;
    private static final long DATA_START = 1280;
    /** Bytes in a block header (BlockHeader.BYTES): size, state, kind, lock users, generation, record, prev_size, entry. */
    private static final int BLOCK_HEADER = 64;

    @Test
    void mutatedRegionsAreRefusedCleanlyOrWork(@TempDir Path directory) throws Exception {
        String[] handle = new String[1];
        byte[] base = baseRegion(directory, handle);
        List<Integer> targets = interestingOffsets(base);
        List<Long> payloads = payloads(base);
        Random random = new Random(SEED);
        List<List<String>> batches = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            batches.add(new ArrayList<>());
        }
        List<byte[]> cases = new ArrayList<>();
        for (int c = 0; c < CASES; c++) {
            byte[] copy = base.clone();
            cases.add(copy);
            ByteBuffer buffer = ByteBuffer.wrap(copy).order(ByteOrder.nativeOrder());
            for (int m = 1 + random.nextInt(3); m > 0; m--) {
                mutate(buffer, targets.get(random.nextInt(targets.size())), payloads, random);
            }
            Path file = directory.resolve("case-" + c + ".region");
            Files.write(file, copy);
            batches.get(c % WORKERS).add(file.toString());
        }
        Map<String, Integer> outcomes = new TreeMap<>();
        List<String> bad = new ArrayList<>();
        List<RawChild> workers = new ArrayList<>();
        try {
            for (int w = 0; w < WORKERS; w++) {
                Path list = directory.resolve("batch-" + w + ".txt");
                Files.write(list, batches.get(w));
                workers.add(RawChild.start(IntegrityChildren.FuzzWorker.class, List.of(), list.toString(), "10000", handle[0]));
            }
            int lines = 0;
            for (RawChild worker : workers) {
                for (String line = worker.readLine(); line != null; line = worker.readLine()) {
                    lines++;
                    String outcome = line.substring(line.indexOf(' ') + 1);
                    String kind = outcome.startsWith("other:") ? "other" : outcome;
                    outcomes.merge(kind, 1, Integer::sum);
                    if (line.startsWith("hang:") || kind.equals("other") || outcome.contains("changed")) {
                        bad.add(line);
                    }
                }
                int exit = worker.join(120);
                if (exit != 0) {
                    bad.add("worker exit " + exit + ": " + worker.errors());
                }
            }
            keep(bad, cases);
            System.out.println("fuzz: " + CASES + " cases (seed " + SEED + "): " + outcomes);
            assertTrue(bad.isEmpty(), () -> bad.size() + " bad outcomes, e.g. " + bad.subList(0, Math.min(10, bad.size())));
            assertEquals(CASES, lines, "one outcome per case");
        } finally {
            for (RawChild worker : workers) {
                worker.close();
            }
        }
    }

    /** With {@code -Dsharedstruct.fuzz.keep=DIR}, the failing cases are copied there as they were before the run, to replay. */
    private static void keep(List<String> bad, List<byte[]> cases) throws java.io.IOException {
        String keep = System.getProperty("sharedstruct.fuzz.keep");
        if (keep == null) {
            return;
        }
        Files.createDirectories(Path.of(keep));
        for (String line : bad) {
            if (line.startsWith("case-")) {
                int c = Integer.parseInt(line.substring(5, line.indexOf('.')));
                Files.write(Path.of(keep, "case-" + c + ".region"), cases.get(c));
            }
        }
    }

    /** A small region holding every kind of metadata: named objects of each kind, locks, a free list. */
    private static byte[] baseRegion(Path directory, String[] handle) throws Exception {
        Path path = directory.resolve("base.region");
        try (SharedMemory shm = SharedMemory.create(path, 16 << 10, RegionOption.KEEP_FILE)) {
            Point spare = shm.rawValue(Point.class);
            Point origin = shm.findOrCreate("origin", Point.class);
            origin.x(1.5);
            handle[0] = dev.sharedstruct.Structs.handle(origin);
            SharedIntArray samples = shm.findOrCreateArray("samples", TypeCode.INT, 10);
            samples.set(3, 7);
            Point spare2 = shm.rawValue(Point.class);
            shm.findOrCreateValue("total", TypeCode.INT).set(5);
            SharedLock lock = shm.newLock();
            shm.findOrCreateArray("bytes", TypeCode.BYTE, 40);
            shm.findOrCreateRaw("raw", Point.class);
            shm.findOrCreate("counter", Counter.class);
            shm.value(Point.class, lock);
            shm.rawArray(TypeCode.LONG, 3);
            shm.free(spare);
            shm.free(spare2);
            assertTrue(shm.verify().consistent(), shm.verify().toString());
        }
        byte[] bytes = Files.readAllBytes(path);
        Files.delete(path);
        return bytes;
    }

    /** Header words (but the region lock's owner and start), and each block's header, links, entries, texts and lock cells. */
    private static List<Integer> interestingOffsets(byte[] region) {
        ByteBuffer buffer = ByteBuffer.wrap(region).order(ByteOrder.nativeOrder());
        List<Integer> offsets = new ArrayList<>();
        for (int at = 0; at < 184; at += 4) {
            if (at != 32 && at != 36 && at != 56 && at != 60) {
                offsets.add(at);
            }
        }
        for (int at = 256; at < DATA_START; at += 8) {
            if (buffer.getLong(at) != 0) {
                offsets.add(at);   // the head of a non-empty free bin
            }
        }
        long top = buffer.getLong(64);
        for (long block = DATA_START; block < top; ) {
            long size = buffer.getLong((int) block);
            short kind = buffer.getShort((int) block + 10);
            for (int at = 0; at < BLOCK_HEADER + 8; at += 2) {
                offsets.add((int) block + at);
            }
            int payload = (int) block + BLOCK_HEADER;
            int span = (int) Math.min(size - BLOCK_HEADER, kind == 6 ? 128 : kind == 7 ? 64 : 32);
            for (int at = 0; at < span; at += 4) {
                offsets.add(payload + at);
            }
            if (kind == 6) {
                offsets.add(payload + 88 + 1);   // inside the name
                offsets.add(payload + 88 + 128); // the type
            }
            if (kind == 8) {
                for (int at = 0; at < size - BLOCK_HEADER; at += 8) {
                    if (buffer.getLong(payload + at) != 0) {
                        offsets.add(payload + at);   // a bucket head of the name index
                    }
                }
            }
            block += size;
        }
        return offsets;
    }

    private static List<Long> payloads(byte[] region) {
        ByteBuffer buffer = ByteBuffer.wrap(region).order(ByteOrder.nativeOrder());
        List<Long> payloads = new ArrayList<>();
        for (long block = DATA_START; block < buffer.getLong(64); block += buffer.getLong((int) block)) {
            payloads.add(block + BLOCK_HEADER);
        }
        return payloads;
    }

    private static void mutate(ByteBuffer buffer, int offset, List<Long> payloads, Random random) {
        long value = switch (random.nextInt(10)) {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> payloads.get(random.nextInt(payloads.size()));
            case 3 -> payloads.get(random.nextInt(payloads.size())) - BLOCK_HEADER;
            case 4 -> random.nextInt(1 << 15);
            case 5 -> random.nextLong();
            case 6 -> Long.MAX_VALUE;
            case 7 -> 16L * random.nextInt(64);
            case 8 -> buffer.capacity() + 16L * random.nextInt(4);
            default -> Long.MIN_VALUE >>> random.nextInt(64);
        };
        switch (random.nextInt(5)) {
            case 0 -> buffer.put(offset, (byte) (buffer.get(offset) ^ (1 << random.nextInt(8))));
            case 1 -> buffer.putShort(offset, (short) value);
            case 2 -> buffer.putInt(offset, (int) value);
            default -> {
                if (offset + 8 <= buffer.capacity() && offset % 8 == 0) {
                    buffer.putLong(offset, value);
                } else {
                    buffer.putInt(offset, (int) value);
                }
            }
        }
    }
}
