package dev.sharedstruct.tests;

import static dev.sharedstruct.tests.RegionWords.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.InvalidRegionException;
import dev.sharedstruct.RegionOption;
import dev.sharedstruct.RegionReport;
import dev.sharedstruct.SharedByteArray;
import dev.sharedstruct.SharedIntValue;
import dev.sharedstruct.SharedLongArray;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.TypeCode;
import dev.sharedstruct.tests.Samples.Point;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Region files whose directory words were forged (found by fuzzing the peers): the C and Python
 * peers must refuse each with their error for a corrupt region, naming the file, before they read
 * or write outside the object's block: an entry longer than its block, an own lock cell in a block
 * too small for it, a LOCK block too small for its cell, offsets of {@code INT64_MIN}, stored
 * layout texts that the Java runtime never writes. The C peer is built with the address and
 * undefined-behaviour sanitizers when gcc can, so that a read past the block or a signed overflow
 * fails the test even when it would pass unseen.
 */
class PeersForgedRegionTest {
    /** Directory entry words (docs/FORMAT.md §4.1). */
    private static final long DIR_BLOCK = 32;
    private static final long DIR_OBJECT = 40;
    private static final long DIR_LOCK = 48;
    private static final long DIR_FINGERPRINT = 56;
    private static final long DIR_LAYOUT = 64;
    private static final long DIR_KIND = 72;
    private static final long DIR_GENERATION = 80;
    private static final long DIR_LENGTH = 76;

    /**
     * Finds argv[2] in region argv[1] and takes its lock if it has one; prints "found", or "refused: "
     * and the InvalidRegionError, or "raised", another exception's type and the start of its message
     * (which may quote a long layout text: a long error output would fill its pipe, unread).
     */
    private static final String PYTHON_FIND = """
            import sys
            sys.path.insert(0, sys.argv[3])
            from sharedstruct import Region, InvalidRegionError
            try:
                with Region.open(sys.argv[1]) as region:
                    try:
                        found = region.find(sys.argv[2])
                    except InvalidRegionError as e:
                        print("refused:", e)
                    else:
                        try:
                            lock = found.get_lock()
                        except AttributeError:
                            lock = None
                        if lock is not None:
                            with lock:
                                pass
                        print("found")
            except BaseException as e:
                print("raised", type(e).__name__, str(e)[:300])
            """;

    @TempDir
    Path directory;

    /** The directory entry that names the object whose block's payload is at {@code payload}. */
    private static long entryOf(Path file, long payload) {
        long entry = RegionWords.read(file, payload - BLOCK_HEADER + BLK_ENTRY);
        assertTrue(entry > 0, "the block at " + payload + " is named");
        return entry;
    }

    /** Sets the kind (the high half of the int at offset 8: state, kind) of the block whose payload is at {@code payload}. */
    private static void setKind(Path file, long payload, int kind) {
        long at = payload - BLOCK_HEADER + BLK_STATE_AND_KIND;
        RegionWords.writeInt(file, at, kind << 16 | (RegionWords.readInt(file, at) & 0xFFFF));
    }

    /** What the Python peer says of {@code name} (see {@link #PYTHON_FIND}); fails if it ends with another exception. */
    private static String pythonFinds(Path file, String name) {
        return Peers.run(List.of("python3", "-c", PYTHON_FIND, file.toString(), name,
                Peers.repository().resolve("python").toString())).strip();
    }

    /** What the (sanitized) C peer's {@code check} says of {@code name}: its exit value, output and error output. */
    private static String cFinds(Path file, String name) {
        Process c = Peers.cSanitized("check", file.toString(), name);
        String out = Peers.finish(c, 120);
        String said = "exit " + c.exitValue() + ": " + out.strip() + " " + PeersTest.errors(c).strip();
        assertFalse(said.contains("runtime error") || said.contains("Sanitizer"), said);
        return said;
    }

    private static void assertCRefuses(Path file, String name, String why) {
        String said = cFinds(file, name);
        assertTrue(said.startsWith("exit 1: ") && said.contains(why) && said.contains(file.toString()), said);
    }

    private static void assertPythonRefuses(Path file, String name, String why) {
        String said = pythonFinds(file, name);
        assertTrue(said.startsWith("refused: ") && said.contains(why) && said.contains(file.toString()), said);
    }

    private static byte[] bytes(Path file, long from) throws IOException {
        byte[] all = Files.readAllBytes(file);
        return Arrays.copyOfRange(all, (int) from, all.length);
    }

    /** An entry whose length says 1000 (and then 2^31 - 1) longs of a 20-long array: C read past the block. */
    @Test
    void anEntryLongerThanItsBlockIsRefused() throws IOException {
        Path file = directory.resolve("long-entry.region");
        long entry;
        try (SharedMemory shm = SharedMemory.create(file, 1 << 16, RegionOption.KEEP_FILE)) {
            SharedLongArray victim = shm.findOrCreateArray("victim", TypeCode.LONG, 20);
            entry = entryOf(file, handleField(victim, "block"));
        }
        assertEquals("found", pythonFinds(file, "victim"));
        assertTrue(cFinds(file, "victim").startsWith("exit 0: found victim"));
        for (int length : new int[] {1000, Integer.MAX_VALUE}) {
            RegionWords.writeInt(file, entry + DIR_LENGTH, length);
            assertCRefuses(file, "victim", "names a block too small for it: " + length + " element(s) of 8 bytes");
            assertPythonRefuses(file, "victim", "the block of 'victim' is smaller than its " + 8L * length + " bytes");
        }
    }

    /**
     * A raw 16-byte struct in an 80-byte block (16 bytes of payload) forged to own its lock: the
     * cell and the object would be 48 bytes, so taking the lock wrote into the next block's header.
     */
    @Test
    void anOwnLockInABlockTooSmallForItIsRefused() throws IOException {
        Path file = directory.resolve("small-own-lock.region");
        long block;
        try (SharedMemory shm = SharedMemory.create(file, 1 << 16, RegionOption.KEEP_FILE)) {
            Point raw = shm.findOrCreateRaw("rawp", Point.class);
            raw.x(9);
            shm.findOrCreateRaw("after", Point.class);
            block = handleField(raw, "block");
        }
        assertEquals(80, RegionWords.read(file, block - BLOCK_HEADER), "a block of 80 bytes");
        long entry = entryOf(file, block);
        setKind(file, block, 2 | OWN_LOCK);                                  // a struct that owns its lock
        RegionWords.write(file, block - BLOCK_HEADER + BLK_LOCK, block);
        RegionWords.write(file, entry + DIR_OBJECT, block + 32);
        RegionWords.write(file, entry + DIR_LOCK, block);
        byte[] before = bytes(file, DATA_START);
        assertCRefuses(file, "rawp", "names a block too small for it: 1 element(s) of 16 bytes and a 32-byte lock cell"
                + " in a payload of 16 bytes");
        assertPythonRefuses(file, "rawp", "the block of 'rawp' is smaller than its 16 bytes");
        assertArrayEquals(before, bytes(file, DATA_START), "a peer wrote into the region's blocks");
    }

    /**
     * A named int whose lock is forged to be a 16-byte block re-kinded LOCK: a claim writes the
     * 32-byte cell, the last 16 bytes into the next block's header.
     */
    @Test
    void aLockBlockTooSmallForItsCellIsRefused() throws IOException {
        Path file = directory.resolve("small-lock.region");
        long total;
        long tiny;
        try (SharedMemory shm = SharedMemory.create(file, 1 << 16, RegionOption.KEEP_FILE)) {
            SharedIntValue value = shm.findOrCreateValue("total", TypeCode.INT);
            value.set(5);
            total = handleField(value, "block");
            tiny = handleField(shm.rawValue(TypeCode.LONG), "block");           // a 16-byte payload
            shm.rawValue(TypeCode.LONG);
        }
        assertEquals(80, RegionWords.read(file, tiny - BLOCK_HEADER), "a block of 80 bytes");
        long entry = entryOf(file, total);
        setKind(file, total, 5);                                               // a value without its own lock
        RegionWords.write(file, total - BLOCK_HEADER + BLK_LOCK, tiny);
        RegionWords.write(file, entry + DIR_OBJECT, total);
        RegionWords.write(file, entry + DIR_LOCK, tiny);
        setKind(file, tiny, KIND_LOCK);
        // The free word of its cell (format 3): 1 << 63 | the block's generation.
        RegionWords.write(file, tiny, Long.MIN_VALUE | RegionWords.read(file, tiny - BLOCK_HEADER + 16));
        byte[] before = bytes(file, DATA_START);
        String why = "\"total\" in " + file + " is in a block of 16 bytes, too small for a 32-byte lock cell";
        assertCRefuses(file, "total", why);
        assertPythonRefuses(file, "total", why);
        assertArrayEquals(before, bytes(file, DATA_START), "a peer wrote into the region's blocks");
    }

    /**
     * A name forged to name its own directory entry block (kind 6, the entry's block, offset and
     * generation, a long's typecode): the C peer took it as an object and wrote into the name's
     * metadata. Only kinds 2 to 5 are objects: C, Python and Java refuse it, and verify says why.
     */
    @Test
    void aNameOfANonObjectBlockIsRefused() throws IOException {
        Path file = directory.resolve("entry-kind.region");
        long total;
        try (SharedMemory shm = SharedMemory.create(file, 1 << 16, RegionOption.KEEP_FILE)) {
            shm.findOrCreateValue("total", TypeCode.INT).set(5);
            total = handleField(shm.findValue("total", TypeCode.INT).orElseThrow(), "block");
        }
        long entry = entryOf(file, total);
        RegionWords.writeInt(file, entry + DIR_KIND, 6);
        RegionWords.write(file, entry + DIR_BLOCK, entry);
        RegionWords.write(file, entry + DIR_OBJECT, entry);
        RegionWords.write(file, entry + DIR_LOCK, 0);
        RegionWords.write(file, entry + DIR_FINGERPRINT, 'q');
        RegionWords.write(file, entry + DIR_GENERATION, RegionWords.read(file, entry - BLOCK_HEADER + BLK_GENERATION));
        byte[] before = bytes(file, DATA_START);
        assertCRefuses(file, "total", "has kind 6, which is not an object's (2 to 5)");
        assertPythonRefuses(file, "total", "the entry 'total' has kind 6, which is not an object's (2 to 5)");
        String why = "the name \"total\" names a block of kind 6, which is not an object (kinds 2 to 5)";
        try (SharedMemory shm = SharedMemory.open(file)) {
            InvalidRegionException refused = assertThrows(InvalidRegionException.class, () -> shm.findValue("total", TypeCode.LONG));
            assertTrue(refused.getMessage().contains(why), refused.getMessage());
            RegionReport report = shm.verify();
            assertFalse(report.consistent(), report.toString());
            assertTrue(report.problems().stream().anyMatch(problem -> problem.contains(why)), report.toString());
        }
        assertArrayEquals(before, bytes(file, DATA_START), "a reader wrote into the region's blocks");
    }

    /**
     * A named int whose typecode word is forged out of the range of characters: Python read it as
     * '?' and made a bool view of the int. Each peer refuses the unknown typecode.
     */
    @Test
    void anUnknownTypecodeIsRefusedNotReadAsAnother() throws IOException {
        Path file = directory.resolve("typecode.region");
        long total;
        try (SharedMemory shm = SharedMemory.create(file, 1 << 16, RegionOption.KEEP_FILE)) {
            SharedIntValue value = shm.findOrCreateValue("total", TypeCode.INT);
            value.set(5);
            total = handleField(value, "block");
        }
        RegionWords.write(file, entryOf(file, total) + DIR_FINGERPRINT, 300);
        byte[] before = bytes(file, DATA_START);
        assertCRefuses(file, "total", "has an unknown typecode 300");
        assertPythonRefuses(file, "total", "the entry 'total' has an unknown typecode 300");
        assertArrayEquals(before, bytes(file, DATA_START), "a peer wrote into the region's blocks");
    }

    /**
     * An entry moved to a perfect copy of its block's header inside a raw long array: every header
     * check passes there, and only the block-start map (docs/FORMAT.md §3.3) says that no block
     * starts inside another. Both peers refuse before they touch the array or its neighbours.
     */
    @Test
    void anEntryNamingACopiedHeaderInsideAnObjectIsRefused() throws IOException {
        Path file = directory.resolve("copied-header.region");
        long victim;
        long data;
        try (SharedMemory shm = SharedMemory.create(file, 1 << 16, RegionOption.KEEP_FILE)) {
            victim = handleField(shm.findOrCreateRaw("victim", Point.class), "block");
            data = handleField(shm.rawArray(TypeCode.LONG, 64), "block");
        }
        long forged = data + 64 + BLOCK_HEADER;
        for (long word = 0; word < BLOCK_HEADER; word += 8) {
            RegionWords.write(file, forged - BLOCK_HEADER + word, RegionWords.read(file, victim - BLOCK_HEADER + word));
        }
        long entry = entryOf(file, victim);
        RegionWords.write(file, entry + DIR_BLOCK, forged);
        RegionWords.write(file, entry + DIR_OBJECT, forged);
        byte[] before = bytes(file, DATA_START);
        assertCRefuses(file, "victim", "names memory that does not hold it");
        assertPythonRefuses(file, "victim", "the entry 'victim' names memory that does not hold it");
        assertArrayEquals(before, bytes(file, DATA_START), "a peer wrote into the region's blocks");
    }

    /**
     * A 16-byte struct's entry with its fingerprint forged to that of a 104-byte struct: C's
     * {@code ss_find} with that fingerprint and the big struct's layout checked the stored size
     * against the block, never the caller's, and handed out 16 bytes for a 104-byte struct.
     */
    @Test
    void aStructBiggerThanTheStoredOneIsRefusedByC() throws IOException {
        Path file = directory.resolve("bigger-struct.region");
        long point;
        try (SharedMemory shm = SharedMemory.create(file, 1 << 16, RegionOption.KEEP_FILE)) {
            point = handleField(shm.findOrCreateRaw("raw", Point.class), "block");
            shm.rawArray(TypeCode.LONG, 4);                                   // a neighbour to write into
        }
        RegionWords.write(file, entryOf(file, point) + DIR_FINGERPRINT, 0x1234);
        Process c = Peers.cSanitized("check", file.toString(), "raw", "0x1234", "a:long[13]@0;size=104");
        String out = Peers.finish(c, 120).strip() + " " + PeersTest.errors(c).strip();
        assertTrue(c.exitValue() == 1 && out.contains("is stored with size=16, but expected_layout says size=104"), out);
    }

    /**
     * A stored layout text forged to give a text field of a 16-byte struct 9,999,999 bytes:
     * Python's {@code find(name, cls)} checked only the class's size against the block, and the
     * text property read and wrote as many bytes as the file said (a segfault).
     */
    @Test
    void aStoredTextFieldLongerThanTheClassIsNeverReadOrWrittenPastIt() throws IOException {
        Path file = directory.resolve("long-text.region");
        long point;
        try (SharedMemory shm = SharedMemory.create(file, 1 << 16, RegionOption.KEEP_FILE)) {
            Point p = shm.findOrCreateRaw("raw", Point.class);
            p.y(2.5);
            point = handleField(p, "block");
        }
        long entry = entryOf(file, point);
        long text = RegionWords.read(file, entry + DIR_LAYOUT);
        byte[] forged = "s:char[9999999]@0;size=9999999\0".getBytes(StandardCharsets.US_ASCII);
        assertTrue(RegionWords.read(file, text - BLOCK_HEADER) - BLOCK_HEADER >= forged.length, "the text block holds the forgery");
        for (int i = 0; i < forged.length; i += 8) {
            RegionWords.write(file, text + i, java.nio.ByteBuffer.wrap(Arrays.copyOfRange(forged, i, i + 8))
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong());
        }
        String python = """
                import sys, ctypes
                sys.path.insert(0, sys.argv[3])
                from sharedstruct import Region
                class P(ctypes.Structure):
                    _fields_ = [("s", ctypes.c_char * 8), ("y", ctypes.c_double)]
                    FINGERPRINT = int(sys.argv[4])
                with Region.open(sys.argv[1]) as region:
                    view = region.find(sys.argv[2], P)
                    view.s = "abc"
                    print(len(view.s.raw), str(view.s), flush=True)
                """;
        long fingerprint = RegionWords.read(file, entry + DIR_FINGERPRINT);
        String said = Peers.run(List.of("python3", "-c", python, file.toString(), "raw",
                Peers.repository().resolve("python").toString(), Long.toUnsignedString(fingerprint))).strip();
        assertEquals("8 abc", said, "the text field is the class's 8 bytes, not the stored 9,999,999");
        try (SharedMemory shm = SharedMemory.open(file)) {
            assertEquals(2.5, shm.findOrCreateRaw("raw", Point.class).y(), "the write went past the text field");
        }
    }

    /** FNV-1a 64 of a name (docs/FORMAT.md §4.2). */
    private static long nameHash(String name) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xFF)) * 0x100000001b3L;
        }
        return hash;
    }

    /** Offsets of INT64_MIN in a bucket head, in {@code top}, and as the first entry: checked before any arithmetic. */
    @Test
    void offsetsOfInt64MinAreRefusedWithoutOverflow() throws IOException {
        Path original = directory.resolve("original.region");
        try (SharedMemory shm = SharedMemory.create(original, 1 << 16, RegionOption.KEEP_FILE)) {
            shm.findOrCreate("p1", Point.class);
        }
        long index = RegionWords.read(original, HDR_INDEX);
        long bucket = index + 8 * (nameHash("p1") & (RegionWords.read(original, HDR_INDEX_BUCKETS) - 1));
        assertTrue(RegionWords.read(original, bucket) != 0, "p1's bucket holds it");
        record Forgery(String what, long offset, boolean repairOwed) {
        }
        for (Forgery forgery : List.of(new Forgery("bucket", bucket, false), new Forgery("top", HDR_TOP, false),
                new Forgery("directory", HDR_DIRECTORY, true))) {
            Path file = directory.resolve(forgery.what() + ".region");
            Files.copy(original, file);
            RegionWords.write(file, forgery.offset(), Long.MIN_VALUE);
            if (forgery.repairOwed()) {
                RegionWords.write(file, HDR_REPAIR_REQUESTED, 1);            // names are found through the directory chain
            }
            String said = cFinds(file, "p1");
            assertTrue(said.startsWith("exit 1: ") && said.contains("of " + file + " is corrupt"), forgery + ": " + said);
        }
        Path file = directory.resolve("bucket.region");
        assertPythonRefuses(file, "p1", "offset -9223372036854775808 in the name index is not a directory entry");
    }

    /**
     * Stored layout texts that the Java runtime never writes, each in a TEXT block that p1's entry
     * names: Python must refuse them with InvalidRegionError naming the file (it raised
     * RecursionError, OverflowError or ValueError), and the C peer, which reads only the text's
     * size, must find or refuse without reading past it.
     */
    @Test
    void storedLayoutTextsJavaNeverWritesAreRefused() throws IOException {
        Path file = directory.resolve("layouts.region");
        long entry;
        long blob;
        int blobBytes = 110_000;
        try (SharedMemory shm = SharedMemory.create(file, 1 << 20, RegionOption.KEEP_FILE)) {
            Point p1 = shm.findOrCreate("p1", Point.class);
            entry = entryOf(file, handleField(p1, "block"));
            SharedByteArray bytes = shm.rawArray(TypeCode.BYTE, blobBytes);
            blob = handleField(bytes, "block");
        }
        setKind(file, blob, KIND_TEXT);
        RegionWords.write(file, entry + DIR_LAYOUT, blob);
        record Text(String text, String why) {
        }
        List<Text> texts = List.of(
                new Text("a.".repeat(700) + "x:int@0;size=16", "nested more than 64 levels deep"),
                new Text("a.".repeat(50_000) + "x:int@0;size=16", "nested more than 64 levels deep"),
                new Text("x:int@99999999999999999999;size=16", "the number 99999999999999999999, above the largest struct"),
                new Text("c:struct9223372036854775807[2]@0;size=16", "the number 9223372036854775807, above the largest struct"),
                new Text("x:double@0;abc", "\"abc\" is not name:type@offset"),
                new Text(":::@@@;;=;size=", "\":::@@@\" is not name:type@offset"),
                new Text("x:double@0;y:double@8;size=-5", "\"-5\" is not a number"),
                new Text("x:double@0;x:double@8;size=16", "field x appears twice"),
                new Text("c:struct0[5]@0;c[].x:int@0;size=16", "size 0 is less than its fields' end 4"));
        for (Text text : texts) {
            byte[] utf8 = (text.text() + "\0").getBytes(StandardCharsets.UTF_8);
            assertTrue(utf8.length <= blobBytes);
            try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(utf8), blob);
            }
            String said = pythonFinds(file, "p1");
            assertTrue(said.startsWith("refused: the stored layout of \"p1\" in " + file + " is not readable: ")
                    && said.contains(text.why()), said);
            String c = cFinds(file, "p1");
            assertTrue(c.startsWith("exit 0: found p1") || c.startsWith("exit 1: the layout text of \"p1\" in " + file
                    + " has no readable size"), c);
        }
    }

    /**
     * ss_find checks that a stored layout text has a NUL within its block, then reads its size= and
     * its differences from the caller's layout; another process can remove the NUL in between. The
     * walks stop at the block's end whatever the text holds: here the text ends, without a NUL,
     * where an unreadable page begins (the walks used strchr and strlen, and died of SIGSEGV).
     */
    @Test
    void aStoredLayoutTextThatLosesItsNulIsNeverReadPastItsBlock() {
        record Walk(String stored, String yours, String expected) {
        }
        for (Walk walk : List.of(
                new Walk("count:q@0;size=8", "count:l@0;size=8", "size=8 differences: field count is q@0 in the region but l@0 in yours"),
                new Walk("count:q@0;size=16;", "count:q@0;x:q@8;size=16", "size=16 differences: field x is only in yours"),
                new Walk("count:q@0;size=1", "count:q@0;size=16", "size=1 differences: field size is 1 in the region but 16 in yours"),
                new Walk("count", "count:q@0", "size=-1 differences: field count is only in the region; field count is only in yours"))) {
            Process c = Peers.c("layout-walk", walk.stored(), walk.yours());
            String out = Peers.finish(c, 60).strip();
            assertEquals(0, c.exitValue(), walk + " exited with " + c.exitValue() + ": " + out + Peers.errors(c));
            assertEquals(walk.expected(), out);
        }
    }

    /**
     * The name index's bucket count is fixed by the region's size (FORMAT.md §4.2). A smaller
     * forged count fits the index block, and hid every name whose bucket it moved (a find said
     * "no object", and a findOrCreate would have made a second one); a larger one, checked only
     * against the index block's size word that another process can switch between two reads, had
     * a repair clear the live blocks after the index. Java, Python and C refuse any other count.
     */
    @Test
    void aBucketCountOtherThanTheOneTheSizeFixesIsRefused() throws IOException {
        Path file = directory.resolve("buckets.region");
        try (SharedMemory shm = SharedMemory.create(file, 1 << 20, RegionOption.KEEP_FILE)) {
            shm.findOrCreate("p1", Point.class);
        }
        long buckets = RegionWords.read(file, HDR_INDEX_BUCKETS);
        assertEquals(1024, buckets, "a region of 1 MiB has 1024 buckets");
        for (long forged : new long[] {buckets / 2, 16, buckets * 2}) {
            RegionWords.write(file, HDR_INDEX_BUCKETS, forged);
            InvalidRegionException e = assertThrows(InvalidRegionException.class, () -> SharedMemory.open(file).close());
            assertTrue(e.getMessage().contains("its name index has " + forged + " buckets, a region of 1048576 bytes has 1024"),
                    e.getMessage());
            String python = pythonFinds(file, "p1");
            assertTrue(python.startsWith("raised InvalidRegionError") && python.contains("its name index has " + forged + " buckets"),
                    python);
            assertCRefuses(file, "p1", "the name index of");
        }
        RegionWords.write(file, HDR_INDEX_BUCKETS, buckets);
        try (SharedMemory shm = SharedMemory.open(file)) {
            assertTrue(shm.find("p1", Point.class).isPresent());
        }
        assertEquals("found", pythonFinds(file, "p1"));
    }

    /**
     * A layout text is read from at most its block's first 16 MiB (Java writes none longer): a
     * TEXT block of 17 MiB whose NUL comes after that is refused by C, and Python reads no more
     * of it (it copied the whole block, of any size, before it parsed it).
     */
    @Test
    void aLayoutTextWithoutANulInItsFirst16MiBIsRefused() throws IOException {
        Path file = directory.resolve("long-text.region");
        long entry;
        long blob;
        int blobBytes = 17 << 20;
        try (SharedMemory shm = SharedMemory.create(file, 32L << 20, RegionOption.KEEP_FILE)) {
            Point p1 = shm.findOrCreate("p1", Point.class);
            entry = entryOf(file, handleField(p1, "block"));
            SharedByteArray bytes = shm.rawArray(TypeCode.BYTE, blobBytes);
            bytes.fill((byte) 'a');
            bytes.set(blobBytes - 1, (byte) 0);
            blob = handleField(bytes, "block");
        }
        setKind(file, blob, KIND_TEXT);
        RegionWords.write(file, entry + DIR_LAYOUT, blob);
        assertCRefuses(file, "p1", "is not terminated within its block or its first 16777216 bytes");
        String python = pythonFinds(file, "p1");
        assertTrue(python.startsWith("refused: the stored layout of \"p1\" in " + file + " is not readable"), python);
    }
}
