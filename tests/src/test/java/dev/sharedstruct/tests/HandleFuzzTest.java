package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sharedstruct.Handle;
import dev.sharedstruct.Identity;
import dev.sharedstruct.InvalidRegionException;
import dev.sharedstruct.SharedArray;
import dev.sharedstruct.SharedDoubleValue;
import dev.sharedstruct.SharedIntArray;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedLongArray;
import dev.sharedstruct.SharedLongValue;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.SharedString;
import dev.sharedstruct.Structs;
import dev.sharedstruct.TypeCode;
import dev.sharedstruct.tests.Samples.Counter;
import dev.sharedstruct.tests.Samples.Point;
import dev.sharedstruct.tests.Samples.Reading;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * A handle attaches exactly the object it was made for, or is refused with
 * IllegalArgumentException or InvalidRegionException: 100,000 mutated handles (numbers swapped
 * between handles, shifted, overflowed, zeroed; kinds, types, fingerprints and lengths of other
 * objects; stale generations of freed and reused blocks; missing, doubled and unknown fields).
 */
class HandleFuzzTest {
    private static final int MUTANTS = 100_000;
    private static final List<String> NUMBER_KEYS = List.of("block", "object", "lock", "generation", "length");
    private static final List<String> ALL_KEYS =
            List.of("region", "id", "block", "object", "lock", "generation", "kind", "type", "fingerprint", "length");

    /** An object of the region, its handle, and how to attach a handle as its kind of object. */
    record Target(String handle, Object object, BiFunction<SharedMemory, String, Object> attach, boolean live) {
    }

    private static List<Target> targets(SharedMemory shm) {
        List<Target> targets = new ArrayList<>();
        BiFunction<SharedMemory, String, Object> point = (m, h) -> m.attach(h, Point.class);
        BiFunction<SharedMemory, String, Object> counter = (m, h) -> m.attach(h, Counter.class);
        BiFunction<SharedMemory, String, Object> reading = (m, h) -> m.attach(h, Reading.class);
        BiFunction<SharedMemory, String, Object> points = (m, h) -> m.attachArray(h, Point.class);
        BiFunction<SharedMemory, String, Object> ints = (m, h) -> m.attach(h, SharedIntArray.class);
        BiFunction<SharedMemory, String, Object> longs = (m, h) -> m.attach(h, SharedLongArray.class);
        BiFunction<SharedMemory, String, Object> longValue = (m, h) -> m.attach(h, SharedLongValue.class);
        BiFunction<SharedMemory, String, Object> doubleValue = (m, h) -> m.attach(h, SharedDoubleValue.class);
        BiFunction<SharedMemory, String, Object> string = (m, h) -> m.attach(h, SharedString.class);

        // Stale handles first: objects freed, their blocks reused by the objects made after them.
        for (int i = 0; i < 3; i++) {
            Point gone = shm.value(Point.class);
            SharedIntArray goneArray = shm.rawArray(TypeCode.INT, 4);
            targets.add(new Target(Structs.handle(gone), gone, point, false));
            targets.add(new Target(Structs.handle(goneArray), goneArray, ints, false));
            shm.free(gone);
            shm.free(goneArray);
        }
        SharedLock first = shm.newLock();
        SharedLock second = shm.newLock();
        add(targets, shm.value(Point.class), point);
        add(targets, shm.rawValue(Point.class), point);
        add(targets, shm.value(Point.class, first), point);
        add(targets, shm.value(Point.class, second), point);
        Counter owner = shm.value(Counter.class);
        add(targets, owner, counter);
        add(targets, shm.value(Point.class, Structs.lock(owner)), point);
        add(targets, shm.rawValue(Reading.class), reading);
        add(targets, shm.value(Reading.class, first), reading);
        add(targets, shm.array(Point.class, 3), points);
        add(targets, shm.rawArray(Point.class, 4), points);
        add(targets, shm.array(Point.class, 2, second), points);
        add(targets, shm.array(TypeCode.INT, 3), ints);
        add(targets, shm.rawArray(TypeCode.INT, 4), ints);
        add(targets, shm.rawArray(TypeCode.INT, 6), ints);
        add(targets, shm.array(TypeCode.LONG, 3, first), longs);
        add(targets, shm.value(TypeCode.LONG), longValue);
        add(targets, shm.rawValue(TypeCode.DOUBLE), doubleValue);
        add(targets, shm.array(TypeCode.CHAR, 8), string);
        add(targets, shm.findOrCreate("named", Point.class), point);
        return targets;
    }

    private static void add(List<Target> targets, Object object, BiFunction<SharedMemory, String, Object> attach) {
        targets.add(new Target(Structs.handle(object), object, attach, true));
    }

    @Test
    void mutatedHandlesAttachTheirObjectOrAreRefused() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        try (SharedMemory shm = SharedMemory.create(1 << 20)) {
            List<Target> targets = targets(shm);
            for (Target target : targets) {
                if (target.live()) {
                    assertSameObject(target, target.attach().apply(shm, target.handle()), "the unmutated handle " + target.handle());
                } else {
                    assertThrows(InvalidRegionException.class, () -> target.attach().apply(shm, target.handle()));
                }
            }
            int attached = 0;
            int refused = 0;
            for (int i = 0; i < MUTANTS; i++) {
                Target base = targets.get(random.nextInt(targets.size()));
                String mutant = mutate(base.handle(), targets, random);
                Target as = random.nextInt(4) == 0 ? targets.get(random.nextInt(targets.size())) : base;
                Object result;
                try {
                    result = as.attach().apply(shm, mutant);
                } catch (IllegalArgumentException | InvalidRegionException e) {
                    refused++;
                    continue;
                } catch (RuntimeException e) {
                    throw new AssertionError("seed " + seed + ": " + mutant + " attached as the kind of " + as.handle()
                            + " threw " + e, e);
                }
                attached++;
                Target meant = sameHandle(mutant, targets);
                if (meant == null) {
                    fail("seed " + seed + ": the mutated handle " + mutant + " names no live object, but attached "
                            + Structs.handle(result));
                }
                assertSameObject(meant, result, "seed " + seed + ": " + mutant);
            }
            assertEquals(MUTANTS, attached + refused);
            assertTrue(refused > MUTANTS / 2, "most mutants are refused: " + refused);
            assertTrue(attached > 0, "mutants that still mean their object (a field swapped for an equal one) attach");
        }
    }

    @Test
    void numbersOutOfRangeAreRefusedByName() {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            String handle = Structs.handle(shm.value(Point.class));
            for (String key : NUMBER_KEYS) {
                for (String value : List.of(Long.toString(Long.MIN_VALUE), "-1", "99999999999999999999", "0x10", "")) {
                    String mutant = replace(handle, key, value);
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> shm.attach(mutant, Point.class));
                    assertTrue(e.getMessage().contains("malformed handle"), e.getMessage());
                }
            }
            assertTrue(assertThrows(IllegalArgumentException.class, () -> shm.attach(replace(handle, "generation", "0"), Point.class))
                    .getMessage().contains("generation is 0"));
            String overflow = replace(replace(handle, "block", Long.toString(Long.MAX_VALUE)), "object", Long.toString(Long.MAX_VALUE));
            assertThrows(InvalidRegionException.class, () -> shm.attach(overflow, Point.class));
        }
    }

    private static void assertSameObject(Target target, Object result, String what) {
        assertEquals(target.object().getClass(), result.getClass(), what);
        assertEquals(Structs.segment(target.object()).address(), Structs.segment(result).address(), what);
        assertEquals(Structs.segment(target.object()).byteSize(), Structs.segment(result).byteSize(), what);
        assertEquals(Structs.isSynchronized(target.object()), Structs.isSynchronized(result), what);
        if (Structs.isSynchronized(result)) {
            assertEquals(Structs.lock(target.object()), Structs.lock(result), what);
        }
    }

    /**
     * The live target whose handle means what {@code mutant} means, or null. The region path and
     * the type's name are informational (the region id and the layout fingerprint decide), so they
     * are left out of the comparison.
     */
    private static Target sameHandle(String mutant, List<Target> targets) {
        Handle parsed = normalized(Handle.parse(mutant));
        for (Target target : targets) {
            if (target.live() && normalized(Handle.parse(target.handle())).equals(parsed)) {
                return target;
            }
        }
        return null;
    }

    private static Handle normalized(Handle handle) {
        Identity identity = handle.identity();
        return new Handle(Path.of("region"), handle.regionId(), handle.placement(),
                new Identity(identity.kind(), "type", identity.fingerprint(), identity.length()));
    }

    private static String mutate(String handle, List<Target> targets, Random random) {
        String mutant = handle;
        for (int m = 1 + random.nextInt(3); m > 0; m--) {
            Map<String, String> other = fields(targets.get(random.nextInt(targets.size())).handle());
            String key = ALL_KEYS.get(random.nextInt(ALL_KEYS.size()));
            Map<String, String> fields = fields(mutant);
            String value = fields.getOrDefault(key, "1");
            String replacement = switch (random.nextInt(12)) {
                case 0, 1, 2 -> other.get(key);
                case 3 -> other.get(NUMBER_KEYS.get(random.nextInt(NUMBER_KEYS.size())));
                case 4 -> shift(value, new long[] {1, -1, 16, -16, 48, -48, 32}[random.nextInt(7)]);
                case 5 -> List.of("0", "-1", Long.toString(Long.MIN_VALUE), Long.toString(Long.MAX_VALUE),
                        Long.toString(1L << 32), Long.toString((1L << 32) + 1), "4294967296")
                        .get(random.nextInt(7));
                case 6 -> Long.toString(random.nextLong() >>> random.nextInt(64));
                case 7 -> List.of("", "abc", "1e3", "+1", " 1", "0x30", "%zz", "struct", "struct-array", "array", "value", "lock")
                        .get(random.nextInt(12));
                case 8 -> null; // drop the field
                case 9 -> value + "&" + key + "=" + value; // the field twice
                case 10 -> value + "&extra=1";
                default -> Long.toHexString(random.nextLong());
            };
            mutant = replace(mutant, key, replacement);
        }
        return mutant;
    }

    private static String shift(String value, long by) {
        try {
            return Long.toString(Math.addExact(Long.parseLong(value), by));
        } catch (NumberFormatException | ArithmeticException e) {
            return value + by;
        }
    }

    private static Map<String, String> fields(String handle) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : handle.substring(handle.indexOf('?') + 1).split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                fields.putIfAbsent(pair.substring(0, equals), pair.substring(equals + 1));
            }
        }
        return fields;
    }

    /** {@code handle} with {@code key}'s value replaced (the field dropped when {@code value} is null). */
    private static String replace(String handle, String key, String value) {
        String prefix = handle.substring(0, handle.indexOf('?') + 1);
        StringBuilder text = new StringBuilder(prefix);
        for (String pair : handle.substring(prefix.length()).split("&")) {
            String[] parts = pair.split("=", 2);
            String keep = parts[0].equals(key) ? (value == null ? null : key + "=" + value) : pair;
            if (keep != null) {
                text.append(text.length() == prefix.length() ? "" : "&").append(keep);
            }
        }
        return text.toString();
    }
}
