package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.testsupport.ChildJvm;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.tests.Command.JsonReader;
import dev.sharedstruct.tests.Command.JsonReader.Num;
import dev.sharedstruct.tests.Command.Result;
import dev.sharedstruct.tests.CommandStructs.Rich;
import dev.sharedstruct.tests.DataKinds.Vec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code sharedstruct} command, run as a user runs it (its jar in a process of its own, and
 * the launcher script once), on regions that other JVMs made and use.
 */
class CommandTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    /** The region lock cell's offset in the header (docs/FORMAT.md §2, §7). */
    private static final int REGION_LOCK = 32;

    @TempDir
    Path directory;

    private Path madeRegion() throws Exception {
        return regionMadeBy(CommandStructs.MakeRegion.class, directory.resolve("test.region"));
    }

    /** The region file {@code file}, made (and kept) by {@code maker}'s main in a child JVM, as a user's program makes one. */
    static Path regionMadeBy(Class<?> maker, Path file) throws InterruptedException {
        ChildJvm.start(maker, file.toString()).joinSuccessfully(TIMEOUT);
        return file;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(Result result) {
        assertEquals(0, result.exit(), result::toString);
        assertEquals("", result.err(), result::toString);
        return (Map<String, Object>) JsonReader.parse(result.out());
    }

    private static String num(Object value) {
        return ((Num) value).text();
    }

    @Test
    @SuppressWarnings("unchecked")
    void showDecodesEveryFieldKindAsTheAccessorsReadIt() throws Exception {
        Path region = madeRegion();
        Map<String, Object> shown = json(Command.run("show", region.toString(), "rich", "--json"));
        assertEquals(true, shown.get("raw"));
        assertEquals("struct", shown.get("kind"));
        Map<String, Object> v = (Map<String, Object>) shown.get("value");
        try (SharedMemory shm = SharedMemory.open(region)) {
            Rich rich = shm.find("rich", Rich.class).orElseThrow();
            assertEquals(rich.tiny(), Byte.parseByte(num(v.get("tiny"))));
            assertEquals(rich.small(), Short.parseShort(num(v.get("small"))));
            assertEquals(rich.number(), Integer.parseInt(num(v.get("number"))));
            assertEquals(rich.big(), Long.parseLong(num(v.get("big"))));
            assertEquals(rich.ratio(), Float.parseFloat(num(v.get("ratio"))));
            assertEquals(rich.precise(), Double.parseDouble(num(v.get("precise"))));
            assertEquals(rich.isOn(), v.get("on"));
            assertEquals(String.valueOf(rich.letter()), v.get("letter"));
            assertEquals(rich.label(), v.get("label"));
            assertEquals(rich.color().ordinal(), Integer.parseInt(num(v.get("color"))), "an enum shows as its ordinal");
            int[] samples = rich.samples();
            List<Object> shownSamples = (List<Object>) v.get("samples");
            assertEquals(samples.length, shownSamples.size());
            for (int i = 0; i < samples.length; i++) {
                assertEquals(samples[i], Integer.parseInt(num(shownSamples.get(i))));
            }
            double[] weights = rich.weights();
            List<Object> shownWeights = (List<Object>) v.get("weights");
            for (int i = 0; i < weights.length; i++) {
                assertEquals(weights[i], Double.parseDouble(num(shownWeights.get(i))));
            }
            boolean[] flags = rich.flags();
            assertEquals(List.of(flags[0], flags[1]), v.get("flags"));
            Map<String, Object> origin = (Map<String, Object>) v.get("origin");
            assertEquals(rich.origin().x(), Double.parseDouble(num(origin.get("x"))));
            assertEquals(rich.origin().y(), Double.parseDouble(num(origin.get("y"))));
            List<Object> path = (List<Object>) v.get("path");
            assertEquals(2, path.size());
            for (int i = 0; i < 2; i++) {
                Vec element = rich.path(i);
                Map<String, Object> shownElement = (Map<String, Object>) path.get(i);
                assertEquals(element.x(), Double.parseDouble(num(shownElement.get("x"))));
                assertEquals(element.y(), Double.parseDouble(num(shownElement.get("y"))));
            }
            assertEquals(15, v.size(), "every field shown once: " + v.keySet());
        }

        Result text = Command.run("show", region.toString(), "rich");
        assertEquals(0, text.exit(), text::toString);
        for (String line : List.of("(values read raw (no lock taken): a value may be mid-update)", "  color = 1",
                "  label = \"h\u00e9llo \\\"w\\\"\"", "  on = true",
                "  letter = '\u00e9'", "  origin:", "    y = -2.25", "  path: 2 elements", "    [1]:", "      x = 30.5",
                "  samples = [1, -2, 2147483647]", "  tiny = -7")) {
            assertTrue(text.out().contains(line + "\n"), "has line \"" + line + "\":\n" + text);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void showDecodesArraysStringsValuesAndSelectsFields() throws Exception {
        Path region = madeRegion();
        String r = region.toString();
        List<Object> ints = (List<Object>) json(Command.run("show", r, "ints", "--json")).get("value");
        assertEquals(40, ints.size());
        assertEquals("77", num(ints.get(39)));
        assertEquals(List.of(new Num("200"), new Num("0")), json(Command.run("show", r, "bytes", "--json")).get("value"),
                "an unsigned char array shows as C reads it");
        Map<String, Object> greeting = json(Command.run("show", r, "greeting", "--json"));
        assertEquals("string", greeting.get("kind"));
        assertEquals("hi there", greeting.get("value"));
        assertEquals("2.5", num(json(Command.run("show", r, "level", "--json")).get("value")));
        List<Object> points = (List<Object>) json(Command.run("show", r, "points", "--json")).get("value");
        assertEquals(Map.of("x", new Num("0.0"), "y", new Num("4.0")), points.get(2));

        assertEquals("-2.25", num(json(Command.run("show", r, "rich", "--field", "origin.y", "--json")).get("value")));
        assertEquals("30.5", num(json(Command.run("show", r, "rich", "--field", "path[1].x", "--json")).get("value")));
        assertEquals("4.0", num(json(Command.run("show", r, "points", "--field", "[2].y", "--json")).get("value")));
        Result abbreviated = Command.run("show", r, "ints");
        assertTrue(abbreviated.out().contains("... 24 more]"), abbreviated::toString);
        assertTrue(Command.run("show", r, "ints", "--limit", "40").out().contains(", 77]"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aKilledLockHolderShowsAsDeadAndRmRefusesToFreeWhatItHeld() throws Exception {
        Path region = madeRegion();
        String r = region.toString();
        ChildJvm holder = ChildJvm.start(CommandStructs.HoldCounter.class, r);
        try {
            awaitLine(holder, "held");
            Map<String, Object> counter = entry(json(Command.run("ls", r, "--json")), "counter");
            Map<String, Object> lock = (Map<String, Object>) counter.get("lock");
            assertEquals("held", lock.get("state"));
            assertEquals("alive", lock.get("owner"));
            assertEquals(Long.toString(holder.pid()), num(lock.get("ownerPid")));

            holder.process().destroyForcibly().waitFor();
            Result ls = Command.run("ls", r);
            assertEquals(0, ls.exit(), ls::toString);
            assertTrue(Pattern.compile("counter +struct .* held by pid " + holder.pid() + " thread \\d+ \\(dead\\)").matcher(ls.out()).find(),
                    ls::toString);
            Map<String, Object> locks = json(Command.run("locks", r, "--json"));
            List<Map<String, Object>> dead = ((List<Map<String, Object>>) locks.get("locks")).stream()
                    .filter(cell -> "dead".equals(cell.get("owner"))).toList();
            assertEquals(1, dead.size(), locks::toString);
            assertEquals("own lock of \"counter\"", dead.getFirst().get("usedBy"));
            assertEquals("1", num(dead.getFirst().get("holds")));
            Result locksText = Command.run("locks", r);
            assertTrue(locksText.out().contains(holder.pid() + "  "), locksText::toString);

            Result refused = Command.run("rm", r, "counter");
            assertEquals(1, refused.exit(), refused::toString);
            assertTrue(refused.err().contains("in use: its lock is held by pid " + holder.pid()), refused::toString);
            assertTrue(Command.run("ls", r).out().contains("counter "), "nothing was changed");

            Result removed = Command.run("rm", r, "ints");
            assertEquals(0, removed.exit(), removed::toString);
            Result after = Command.run("ls", r, "--json");
            assertEquals(List.of("points", "level", "greeting", "bytes", "counter", "rich").stream().sorted().toList(),
                    ((List<Map<String, Object>>) json(after).get("objects")).stream().map(o -> (String) o.get("name")).sorted().toList());
            try (SharedMemory shm = SharedMemory.open(region)) {
                assertTrue(shm.findArray("ints", dev.sharedstruct.TypeCode.INT).isEmpty());
            }
        } finally {
            holder.process().destroyForcibly();
        }
    }

    @Test
    void rmRefusesAnObjectWhoseLockOtherObjectsWereMadeWith() throws Exception {
        Path region = madeRegion();
        try (SharedMemory shm = SharedMemory.open(region)) {
            Samples.Counter counter = shm.find("counter", Samples.Counter.class).orElseThrow();
            Samples.Counter guarded = shm.value(Samples.Counter.class, dev.sharedstruct.Structs.lock(counter));
            Result refused = Command.run("rm", region.toString(), "counter");
            assertEquals(1, refused.exit(), refused::toString);
            assertTrue(refused.err().contains("its lock guards 1 other object made with it"), refused::toString);
            assertEquals(41, counter.count(), "nothing was changed");
            shm.free(guarded);
            Result removed = Command.run("rm", region.toString(), "counter");
            assertEquals(0, removed.exit(), removed::toString);
            assertTrue(shm.find("counter", Samples.Counter.class).isEmpty());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> entry(Map<String, Object> ls, String name) {
        return ((List<Map<String, Object>>) ls.get("objects")).stream().filter(o -> name.equals(o.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + ls));
    }

    @Test
    void watchShowsTheRateOfACounterAnotherProcessIncrements() throws Exception {
        Path region = madeRegion();
        ChildJvm counter = ChildJvm.start(CommandStructs.CountForever.class, region.toString());
        try {
            awaitLine(counter, "counting");
            Result watch = Command.run("watch", region.toString(), "counter", "--interval", "300ms", "--count", "4");
            assertEquals(0, watch.exit(), watch::toString);
            assertEquals(4, watch.out().split("sharedstruct watch ", -1).length - 1, "plain repeated output:\n" + watch);
            Matcher rates = Pattern.compile("count = (\\d+)  \\+(\\d+\\.\\d)/s").matcher(watch.out());
            int frames = 0;
            while (rates.find()) {
                frames++;
                assertTrue(Double.parseDouble(rates.group(2)) > 0, watch::toString);
            }
            assertTrue(frames >= 2, "a positive rate in the frames after the first:\n" + watch);
        } finally {
            counter.process().destroyForcibly();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonOutputParsesWithPythonAndStatsAddUp() throws Exception {
        Path region = madeRegion();
        String r = region.toString();
        for (String[] args : List.of(new String[] {"ls", r, "--json"}, new String[] {"locks", r, "--json"},
                new String[] {"stats", r, "--json"}, new String[] {"show", r, "rich", "--json"},
                new String[] {"verify", r, "--json"})) {
            Result result = Command.run(args);
            assertEquals(0, result.exit(), result::toString);
            Result python = Command.python("import json, sys; json.load(sys.stdin); print('ok')", result.out());
            assertEquals("ok\n", python.out(), () -> String.join(" ", args) + ": " + python + "\n" + result.out());
        }
        Map<String, Object> stats = json(Command.run("stats", r, "--json"));
        long size = Long.parseLong(num(stats.get("size")));
        long used = Long.parseLong(num(stats.get("used")));
        long free = Long.parseLong(num(stats.get("free")));
        assertEquals(1 << 16, size);
        assertEquals(size - 1280, used + free, "every byte after the header is used or free");
        Map<String, Object> verified = json(Command.run("verify", r, "--json"));
        assertEquals(true, verified.get("consistent"), verified::toString);
        assertEquals(used, Long.parseLong(num(verified.get("usedBytes"))), "verify and stats agree on used bytes");
        assertEquals(free, Long.parseLong(num(verified.get("freeBytes"))), "verify and stats agree on free bytes");
        Result plain = Command.run("verify", r);
        assertEquals(0, plain.exit(), plain::toString);
        assertTrue(plain.out().contains("consistent"), plain::toString);
        assertEquals("7", num(stats.get("namedObjects")));
        Map<String, Object> kinds = (Map<String, Object>) stats.get("blocksByKind");
        assertEquals("7", num(((Map<String, Object>) kinds.get("directory entry")).get("blocks")));
        Map<String, Object> locks = json(Command.run("locks", r, "--json"));
        assertEquals("region (allocator and directory)", ((List<Map<String, Object>>) locks.get("locks")).getFirst().get("usedBy"));
    }

    @Test
    void theReportsWriteNothingAndVerifyWritesOnlyTheRegionLockCell() throws Exception {
        Path region = madeRegion();
        String r = region.toString();
        byte[] before = Files.readAllBytes(region);
        for (List<String> args : List.of(List.of("ls", r), List.of("show", r, "rich"), List.of("locks", r), List.of("stats", r),
                List.of("watch", r, "--count", "1", "--plain"), List.of("emit", "--lang", "c", r, "rich"))) {
            Result result = Command.run(args.toArray(String[]::new));
            assertEquals(0, result.exit(), () -> args + ": " + result);
            org.junit.jupiter.api.Assertions.assertArrayEquals(before, Files.readAllBytes(region), args + " wrote to the region");
        }
        Result verified = Command.run("verify", r);
        assertEquals(0, verified.exit(), verified::toString);
        byte[] after = Files.readAllBytes(region);
        for (int i = 0; i < before.length; i++) {
            int at = i;
            assertTrue(before[i] == after[i] || (i >= REGION_LOCK && i < REGION_LOCK + 32),
                    () -> "verify changed byte " + at + ", outside the region lock cell (docs/CLI.md)");
        }
    }

    /**
     * {@code verify} on a region whose last region-lock holder was killed between the two stores of
     * a free (an allocated block with generation 0 left behind): the repair it runs first completes
     * the free, so the region is consistent and its free bytes are those of a twin region whose
     * free ran to its end (FreeCutShortTest).
     */
    @Test
    @SuppressWarnings("unchecked")
    void verifyCompletesAFreeKilledBetweenItsTwoStoresAndCallsTheRegionConsistent() throws Exception {
        Path twin = directory.resolve("cut-twin.region");
        String[] twinVictim = FreeCutShortTest.makeRegion(twin, "unnamed");
        long expectedFree;
        try (dev.sharedstruct.SharedMemory shm = dev.sharedstruct.SharedMemory.open(twin)) {
            shm.free(FreeCutShortTest.victim(shm, "unnamed", twinVictim[0]));
            expectedFree = shm.verify().freeBytes();
        }
        Path region = directory.resolve("cut.region");
        FreeCutShortTest.killMidRetire(region, "unnamed", FreeCutShortTest.makeRegion(region, "unnamed")[0]);
        Result verified = Command.run("verify", region.toString(), "--json");
        assertEquals(0, verified.exit(), verified::toString);
        Map<String, Object> report = (Map<String, Object>) JsonReader.parse(verified.out());
        assertEquals(true, report.get("consistent"), report::toString);
        assertEquals(expectedFree, Long.parseLong(num(report.get("freeBytes"))), "the repair gave the block back: " + report);
        Result again = Command.run("verify", region.toString());
        assertEquals(0, again.exit(), again::toString);
        assertTrue(again.out().contains("consistent"), again::toString);
    }

    @Test
    void verifyTakesTheRegionLockOverFromADeadHolderAndRepairsAsAnyJavaProcessWould() throws Exception {
        Path region = madeRegion();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        RegionWords.write(region, REGION_LOCK, gone.pid() << 32 | 1);
        Result verified = Command.run("verify", region.toString());
        assertEquals(0, verified.exit(), verified::toString);
        assertTrue(verified.out().contains("consistent"), verified::toString);
        assertTrue(verified.err().contains("took over lock at offset 32 of region " + region + " from dead process " + gone.pid()),
                verified::toString);
        assertEquals(0, RegionWords.read(region, REGION_LOCK), "the region lock is free again");
        assertEquals(1, RegionWords.readInt(region, REGION_LOCK + 20), "recoveries");
    }

    @Test
    void badInputIsOneLineOnStderrAndExitStatusTwo() throws Exception {
        Path region = madeRegion();
        String r = region.toString();
        Path text = Files.writeString(directory.resolve("notes.txt"), "not a region, but long enough to have a header ".repeat(10));
        Path laterVersion = patched(region, "later.region", 8, 99);
        Path corruptHeader = patched(region, "corrupt-header.region", 64, 7);
        Path corruptDirectory = patched(region, "corrupt-directory.region", 88, 1040);
        Map<List<String>, String> cases = Map.ofEntries(
                Map.entry(List.of("ls", laterVersion.toString()), "format version 99"),
                Map.entry(List.of("stats", corruptHeader.toString()), "corrupt header"),
                Map.entry(List.of("ls", corruptDirectory.toString()), "corrupt"),
                Map.entry(List.of("ls", directory.resolve("missing").toString()), "no such file"),
                Map.entry(List.of("ls", text.toString()), "is not a sharedstruct region"),
                Map.entry(List.of("show", r, "nobody"), "no object named \"nobody\""),
                Map.entry(List.of("show", r, "rich", "--field", "origin.z"), "has no field origin.z"),
                Map.entry(List.of("watch", r, "--interval", "soon"), "is not an interval"),
                Map.entry(List.of("stats"), "Missing required parameter"),
                Map.entry(List.of("frobnicate", r), "Unmatched arguments"),
                Map.entry(List.of("verify", corruptHeader.toString()), "corrupt header"));
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            Result result = Command.run(c.getKey().toArray(String[]::new));
            assertEquals(2, result.exit(), () -> c.getKey() + ": " + result);
            assertEquals("", result.out(), () -> c.getKey() + ": " + result);
            assertEquals(1, result.err().lines().count(), () -> c.getKey() + ": one line: " + result);
            assertTrue(result.err().contains(c.getValue()), () -> c.getKey() + ": " + result);
        }
        Result verbose = Command.run("show", r, "nobody", "--verbose");
        assertEquals(2, verbose.exit());
        assertTrue(verbose.err().contains("\tat dev.sharedstruct.cli."), "--verbose shows the stack trace: " + verbose);
        assertEquals(2, Command.run().exit(), "no subcommand");
    }

    @Test
    void anErrorThatStopsASubcommandIsOneLineAndStatusTwo() throws Exception {
        // 4M longs decode to some 100 MB of boxed values: more than a 24 MB heap holds.
        Path region = directory.resolve("big.region");
        try (SharedMemory shm = SharedMemory.create(region, 40 << 20, dev.sharedstruct.RegionOption.KEEP_FILE)) {
            shm.findOrCreateArray("big", dev.sharedstruct.TypeCode.LONG, 4_000_000);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (boolean verbose : List.of(false, true)) {
            List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx24m", "--enable-native-access=ALL-UNNAMED", "-jar",
                    Command.jar().toString(), "show", region.toString(), "big", "--json"));
            if (verbose) {
                command.add("--verbose");
            }
            Result result = Command.run(new ProcessBuilder(command));
            assertEquals(2, result.exit(), result::toString);
            String first = result.err().lines().findFirst().orElse("");
            assertTrue(first.startsWith("sharedstruct show: stopped by java.lang.OutOfMemoryError")
                    && first.endsWith("while reading " + region + " (--verbose shows where)"), result::toString);
            assertEquals(verbose, result.err().contains("\tat "), "the stack trace only with --verbose: " + result);
            if (!verbose) {
                assertEquals(1, result.err().lines().count(), result::toString);
            }
        }
    }

    @Test
    void everySubcommandAnswersTheHelpTheUsageErrorSuggests() throws Exception {
        for (String subcommand : List.of("ls", "show", "locks", "stats", "verify", "watch", "rm", "emit")) {
            Result help = Command.run(subcommand, "--help");
            assertEquals(0, help.exit(), () -> subcommand + " --help: " + help);
            assertTrue(help.out().startsWith("Usage: sharedstruct " + subcommand + " "), () -> subcommand + " --help: " + help);
            assertTrue(help.out().contains("REGION"), () -> subcommand + " --help names its REGION: " + help);
            assertEquals(Command.run("--version").out(), Command.run(subcommand, "--version").out(), subcommand + " --version");
        }
    }

    /** A copy of {@code region} with the 64-bit word at {@code offset} (an int when it is 8) changed to {@code value}. */
    private Path patched(Path region, String name, int offset, long value) throws Exception {
        byte[] bytes = Files.readAllBytes(region);
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.nativeOrder());
        if (offset == 8) {
            buffer.putInt(offset, (int) value);
        } else {
            buffer.putLong(offset, value);
        }
        return Files.write(directory.resolve(name), bytes);
    }

    @Test
    void onATerminalWatchRedrawsInPlace() throws Exception {
        Path region = madeRegion();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // script(1) runs the command on a pseudo-terminal, as a user's shell would.
        Result watch = Command.run(new ProcessBuilder("script", "-qec", java + " --enable-native-access=ALL-UNNAMED -jar "
                + Command.jar() + " watch " + region + " counter --interval 100ms --count 2", "/dev/null"));
        assertEquals(0, watch.exit(), watch::toString);
        assertEquals(2, watch.out().split("\u001b\\[H\u001b\\[2J", -1).length - 1, "home and clear before each frame: " + watch);
        assertTrue(watch.out().contains("count = 41"), watch::toString);
    }

    @Test
    void theLauncherFindsJdk25AndRunsTheCommand() throws Exception {
        Path region = madeRegion();
        ProcessBuilder launcher = new ProcessBuilder("sh", Command.repositoryFile("bin/sharedstruct").toString(), "ls", region.toString());
        // JAVA_HOME of an older JDK: the launcher passes it over for an installed JDK 25.
        launcher.environment().put("JAVA_HOME", "/usr/lib/jvm/java-17-openjdk-amd64");
        Result ls = Command.run(launcher);
        assertEquals(0, ls.exit(), ls::toString);
        assertTrue(ls.out().contains("7 named objects"), ls::toString);
        assertTrue(ls.out().contains("rich "), ls::toString);
        assertFalse(ls.err().contains("WARNING"), "native access is enabled: " + ls);
    }

    private static void awaitLine(ChildJvm child, String line) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!child.output().lines().toList().contains(line)) {
            if (!child.process().isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("child never said \"" + line + "\": " + child.output() + child.errorOutput());
            }
            Thread.sleep(20);
        }
    }
}
