package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.Handle;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.annotation.SharedStruct;
import dev.sharedstruct.testsupport.ChildJvm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Kill storm across languages: a Java child, a C peer (built with ASan and UBSan when gcc can),
 * a Python peer with the native lock and one with the ctypes lock take one lock every way their
 * APIs offer (blocking, timed with 0, a few ms and no limit, re-entering it), each checking that
 * nobody else is inside, while this process SIGKILLs one of them at random moments (holding,
 * waiting, registering, releasing) and starts another of the same language. Proves, whichever
 * language died: mutual exclusion (no survivor finds another inside unless it was told the
 * previous owner died), no wedge (every blocking wait of a survivor under 2 s against the
 * documented 20 ms liveness check and 100 ms reservation bound), the waiter count healed back
 * to 0, and exact totals from the processes of every language on the lock afterwards.
 * Runs {@code -Dsharedstruct.attack.runs=N} times (default 1).
 */
class PeersKillStormTest {
    private static final int RUNS = Integer.getInteger("sharedstruct.attack.runs", 1);
    private static final int STORM_MILLIS = 5_000;
    private static final long WEDGE_MILLIS = 2_000;
    private static final Pattern REPORT = Pattern.compile("ok (\\d+) died (\\d+) bad (\\d+) timeouts (\\d+) longest (\\d+)");

    /** The lock's data: {@code count == mirror} and {@code inside == 0} whenever nobody is in the critical section. */
    @SharedStruct
    public interface Guarded {
        long count();
        void count(long value);
        long mirror();
        void mirror(long value);
        long inside();
        void inside(long value);
    }

    /** args: the handle, milliseconds, a seed. The Java side of {@code peer churn}: the same checks, the same report. */
    static final class Churn {
        public static void main(String[] args) throws Exception {
            try (SharedMemory shm = SharedMemory.open(Handle.parse(args[0]).region())) {
                Guarded g = shm.attach(args[0], Guarded.class);
                SharedLock lock = Structs.lock(g);
                Random random = new Random(Long.parseLong(args[2]));
                long me = ProcessHandle.current().pid() << 32 | Thread.currentThread().threadId();
                long ok = 0, died = 0, bad = 0, timeouts = 0, longest = 0;
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[1]));
                System.out.println("ready");
                while (System.nanoTime() - end < 0) {
                    int how = random.nextInt(3);
                    long asked = System.nanoTime();
                    SharedLock.Held held = null;
                    boolean taken;
                    if (how == 0) {
                        held = lock.acquire();
                        taken = true;
                    } else if (how == 1) {
                        taken = lock.tryLock();
                    } else {
                        taken = lock.tryLock(random.nextInt(3_000), TimeUnit.MICROSECONDS);
                    }
                    long waited = System.nanoTime() - asked;
                    if (!taken) {
                        timeouts++;
                        continue;
                    }
                    if (how != 1) {
                        longest = Math.max(longest, waited);
                    }
                    // tryLock does not say whether it took the lock over; a recovery since the last look (maybe by another process) may have been this one
                    int recovered = lock.recoveriesSinceLastLook();
                    boolean previousDied = held != null ? held.previousOwnerDied() : recovered > 0;
                    if (previousDied) {
                        died++;
                    } else if (g.inside() != 0 || g.count() != g.mirror()) {
                        System.err.println("not alone: inside=" + g.inside() + " count=" + g.count() + " mirror=" + g.mirror());
                        bad++;
                    }
                    g.mirror(g.count());
                    g.inside(me);
                    g.count(g.count() + 1);
                    for (int i = random.nextInt(2_000); i > 0 && g.inside() == me; i--) {
                        Thread.onSpinWait();
                    }
                    if (random.nextInt(8) == 0) {
                        Thread.sleep(1 + random.nextInt(3)); // held a while: a kill lands here more often
                    }
                    if (g.inside() != me) {
                        System.err.println("somebody else came in: inside=" + g.inside());
                        bad++;
                    }
                    g.mirror(g.mirror() + 1);
                    g.inside(0);
                    ok++;
                    if (held != null) {
                        held.close();
                    } else {
                        lock.unlock();
                    }
                }
                System.out.println("ok " + ok + " died " + died + " bad " + bad + " timeouts " + timeouts + " longest "
                        + TimeUnit.NANOSECONDS.toMillis(longest));
            }
        }
    }

    /** A process of the storm, and how to read what it said once it ended (ChildJvm reads a child JVM's output itself). */
    private record Started(Process process, Supplier<String> out, Supplier<String> errors) {
        static Started peer(Process process) {
            return new Started(process, () -> Peers.finish(process, 120), () -> Peers.errors(process));
        }

        static Started jvm(ChildJvm child) {
            return new Started(child.process(), () -> {
                try {
                    child.join(Duration.ofMinutes(2));
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                return child.output();
            }, child::errorOutput);
        }
    }

    /** One process of the storm: how to start one more of its language, and the one running. */
    private static final class Slot {
        final String language;
        final Supplier<Started> start;
        Started current;
        final List<Process> all = new ArrayList<>();

        Slot(String language, Supplier<Started> start) {
            this.language = language;
            this.start = start;
        }

        void restart() {
            current = start.get();
            all.add(current.process());
        }
    }

    @Test
    void killedHoldersAndWaitersOfEveryLanguageAreTakenOverWithoutLosingMutualExclusion() throws Exception {
        Peers.cPeerSanitized();
        for (int run = 0; run < RUNS; run++) {
            storm(run, new Random(System.nanoTime()));
        }
    }

    private static void storm(int run, Random random) throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 20)) {
            Guarded g = shm.findOrCreate("guarded", Guarded.class);
            String path = shm.path().toString();
            String handle = Structs.handle(g);
            long stormEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STORM_MILLIS);
            // Each process works until the storm's end, whenever it started.
            Supplier<String> left = () -> Long.toString(Math.max(1, TimeUnit.NANOSECONDS.toMillis(stormEnd - System.nanoTime())));
            List<Slot> slots = List.of(
                    new Slot("java", () -> Started.jvm(ChildJvm.start(List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1"), Churn.class,
                            handle, left.get(), Long.toString(random.nextLong())))),
                    new Slot("c", () -> Started.peer(Peers.cSanitized("churn", path, "guarded", left.get(),
                            Integer.toString(random.nextInt(1 << 30))))),
                    new Slot("python", () -> Started.peer(Peers.python("churn", path, "guarded", left.get(),
                            Integer.toString(random.nextInt())))),
                    new Slot("python-ctypes", () -> Started.peer(Peers.pythonWithCtypesLock("churn", path, "guarded", left.get(),
                            Integer.toString(random.nextInt())))));
            try {
                for (Slot slot : slots) {
                    slot.restart();
                }
                int kills = 0;
                List<String> killed = new ArrayList<>();
                while (System.nanoTime() - stormEnd < -TimeUnit.MILLISECONDS.toNanos(600)) {
                    Thread.sleep(20 + random.nextInt(120));
                    Slot victim = slots.get(random.nextInt(slots.size()));
                    if (victim.current.process().isAlive()) {
                        victim.current.process().destroyForcibly();
                        victim.current.process().waitFor();
                        kills++;
                        killed.add(victim.language);
                        victim.restart();
                    }
                }
                StringBuilder said = new StringBuilder();
                long survivorsOk = 0;
                for (Slot slot : slots) {
                    String out = slot.current.out().get().strip();
                    String errors = slot.current.errors().get();
                    said.append(slot.language).append(": ").append(out.replace('\n', ' ')).append("; ");
                    assertEquals(0, slot.current.process().exitValue(), "run " + run + ": " + slot.language + " failed: " + out + errors);
                    Matcher m = REPORT.matcher(out.lines().reduce((a, b) -> b).orElse(""));
                    assertTrue(m.matches(), "run " + run + ": " + slot.language + " said " + out + errors);
                    assertEquals("0", m.group(3), "run " + run + ": " + slot.language + " found another inside: " + errors);
                    assertTrue(Long.parseLong(m.group(5)) < WEDGE_MILLIS, "run " + run + ": " + slot.language
                            + " waited " + m.group(5) + " ms: " + said);
                    survivorsOk += Long.parseLong(m.group(1));
                }
                assertTrue(survivorsOk > 0, "run " + run + ": the survivors took no lock: " + said);
                SharedLock lock = Structs.lock(g);
                lock.recoveriesSinceLastLook();
                assertTrue(lock.tryLock(WEDGE_MILLIS, TimeUnit.MILLISECONDS), "run " + run + ": wedged: " + lock);
                try {
                    if (lock.recoveriesSinceLastLook() == 0) {
                        assertEquals(0, g.inside(), "run " + run + ": " + said);
                        assertEquals(g.count(), g.mirror(), "run " + run + ": " + said);
                    }
                    g.inside(0);
                    g.mirror(g.count());
                } finally {
                    lock.unlock();
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (lock.waiters() != 0) {
                    assertTrue(System.nanoTime() - deadline < 0, "run " + run + ": waiters left: " + lock);
                    Thread.sleep(10);
                }
                assertFalse(lock.isLocked(), "run " + run + ": " + lock);
                exactTotals(run, g, handle, path);
                System.out.println("PeersKillStormTest run " + run + ": kills " + kills + " " + killed + " recoveries "
                        + lock.recoveries() + "; survivors: " + said);
            } finally {
                for (Slot slot : slots) {
                    for (Process p : slot.all) {
                        p.destroyForcibly();
                    }
                }
            }
        }
    }

    /** After the storm, a process of each language adds its share: the lock the storm left counts every one. */
    private static void exactTotals(int run, Guarded g, String handle, String path) throws Exception {
        long before = g.count();
        int each = 5_000;
        ChildJvm java = ChildJvm.start(PeersKillStormTest.Add.class, handle, Integer.toString(each));
        List<Process> peers = List.of(Peers.cSanitized("increment", path, "guarded", Integer.toString(each)),
                Peers.python("increment", path, "guarded", Integer.toString(each)),
                Peers.pythonWithCtypesLock("increment", path, "guarded", Integer.toString(each)));
        SharedLock lock = Structs.lock(g);
        for (int i = 0; i < each; i++) {
            try (var _ = lock.acquire()) {
                g.count(g.count() + 1);
                g.mirror(g.count());
            }
        }
        java.joinSuccessfully(Duration.ofMinutes(2));
        for (Process peer : peers) {
            Peers.finish(peer, 120);
            assertEquals(0, peer.exitValue(), () -> "run " + run + ": " + Peers.errors(peer));
        }
        assertEquals(before + 5L * each, g.count(), "run " + run + ": every increment of every language counted");
    }

    /** args: the handle, a count: adds 1 to count that many times under the lock. */
    static final class Add {
        public static void main(String[] args) throws Exception {
            try (SharedMemory shm = SharedMemory.open(Handle.parse(args[0]).region())) {
                Guarded g = shm.attach(args[0], Guarded.class);
                for (int i = Integer.parseInt(args[1]); i > 0; i--) {
                    try (var _ = Structs.lock(g).acquire()) {
                        g.count(g.count() + 1);
                    }
                }
            }
        }
    }
}
