package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.testsupport.ChildJvm;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.TypeCode;
import dev.sharedstruct.tests.Samples.Counter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Java, Python and C processes as peers on one named counter: one lock, one protocol, one total. */
class PeersTest {
    private static final int EACH = 100_000;

    @Test
    void twoJvmsTwoPythonsAndOneCProcessIncrementOneCounterExactly() throws Exception {
        Peers.cPeer();
        try (SharedMemory shm = SharedMemory.create(1 << 20)) {
            Counter counter = shm.findOrCreate("counter", Counter.class);
            String path = shm.path().toString();
            List<ChildJvm> jvms = new ArrayList<>();
            List<Process> peers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                jvms.add(ChildJvm.start(Children.Increment.class, Structs.handle(counter), Integer.toString(EACH)));
            }
            // One Python process with the native lock, one with the pure-ctypes fallback.
            peers.add(Peers.python("increment", path, "counter", Integer.toString(EACH)));
            peers.add(Peers.pythonWithCtypesLock("increment", path, "counter", Integer.toString(EACH)));
            peers.add(Peers.c("increment", path, "counter", Integer.toString(EACH)));
            for (ChildJvm jvm : jvms) {
                jvm.joinSuccessfully(Duration.ofMinutes(5));
            }
            for (Process peer : peers) {
                Peers.finish(peer, 300);
                assertEquals(0, peer.exitValue(), () -> "peer failed: " + errors(peer));
            }
            assertEquals(5L * EACH, counter.count(), "every locked increment of every process counted");
            assertEquals(0, Structs.lock(counter).recoveries());
        }
    }

    @Test
    void aJavaWaiterTakesOverFromAKilledPythonHolderAndIsTold() throws Exception {
        takeOverFromKilledPeer(path -> Peers.python("hold", path, "counter"));
    }

    @Test
    void aJavaWaiterTakesOverFromAKilledCHolderAndIsTold() throws Exception {
        takeOverFromKilledPeer(path -> Peers.c("hold", path, "counter"));
    }

    /** A peer started by {@code holderFor(regionPath)} takes the lock, half-updates, and is killed. */
    private static void takeOverFromKilledPeer(Function<String, Process> holderFor) throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 20)) {
            Counter counter = shm.findOrCreate("counter", Counter.class);
            counter.count(41);
            Process holder = holderFor.apply(shm.path().toString());
            assertEquals("held", Peers.firstLine(holder), () -> "holder did not report: " + errors(holder));
            SharedLock lock = Structs.lock(counter);
            assertEquals(holder.pid(), lock.ownerPid());
            long killedAt = System.nanoTime();
            holder.destroyForcibly();
            holder.waitFor();
            try (SharedLock.Held held = lock.acquire()) {
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
                assertTrue(held.previousOwnerDied(), "the Java waiter is told that the holder died");
                assertEquals(-1, counter.count(), "the half-done update is there to repair");
                assertTrue(millis < 5_000, "taken over in " + millis + " ms");
                counter.count(42);
            }
            assertEquals(1, lock.recoveries());
        }
    }

    @Test
    void aPythonWaiterTakesOverFromAKilledJavaHolderAndIsTold() throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 20)) {
            Counter counter = shm.findOrCreate("counter", Counter.class);
            counter.count(41);
            ChildJvm holder = ChildJvm.start(Children.HoldLock.class, Structs.handle(counter), "0");
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (!holder.output().contains("held")) {
                assertTrue(System.nanoTime() < deadline && holder.process().isAlive(), "the Java holder never took the lock");
                Thread.sleep(5);
            }
            Process waiter = Peers.python("wait", shm.path().toString(), "counter");
            Thread.sleep(300); // the waiter is waiting on a live holder, and must not take over
            assertTrue(waiter.isAlive(), () -> "the Python waiter did not wait for a live holder: " + errors(waiter));
            long killedAt = System.nanoTime();
            holder.process().destroyForcibly();
            String said = Peers.finish(waiter, 60).trim();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            assertEquals("previous_owner_died=True count=-1", said, () -> "waiter said " + said + errors(waiter));
            assertTrue(millis < 5_000, "taken over in " + millis + " ms");
            assertEquals(0, counter.count(), "the Python waiter repaired the half-done update");
            assertEquals(1, Structs.lock(counter).recoveries());
        }
    }

    /**
     * A C and a Python waiter behind a Java holder wait long enough to ask for a hand-off (the
     * owner word's bit 31) and are killed: the Java release then leaves the lock reserved for
     * long waiters. Nobody is left to take it, and a new peer waiter must take it once it has
     * seen it reserved for 100 ms, not wait forever.
     */
    @Test
    void peerWaitersAskForAHandOffAndTakeAReservationWhoseLongWaitersDied() throws Exception {
        Peers.cPeer();
        for (Function<String, Process> waiter : List.<Function<String, Process>>of(
                path -> Peers.c("wait", path, "counter"),
                path -> Peers.python("wait", path, "counter"),
                path -> Peers.pythonWithCtypesLock("wait", path, "counter"))) {
            try (SharedMemory shm = SharedMemory.create(1 << 20)) {
                Counter counter = shm.findOrCreate("counter", Counter.class);
                counter.count(41);
                SharedLock lock = Structs.lock(counter);
                String path = shm.path().toString();
                lock.lock();
                Process longWaiter = waiter.apply(path);
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
                while (lock.waiters() == 0) {
                    assertTrue(System.nanoTime() < deadline && longWaiter.isAlive(),
                            () -> "the peer never waited: " + errors(longWaiter));
                    Thread.sleep(5);
                }
                Thread.sleep(300); // well past the 20 ms after which a waiter asks for a hand-off
                longWaiter.destroyForcibly();
                longWaiter.waitFor();
                lock.unlock();
                assertTrue(lock.isLocked(), "the peer asked for a hand-off, so the release reserved the lock");
                assertEquals(0, lock.ownerPid(), "reserved, for no process");

                long started = System.nanoTime();
                String said = Peers.finish(waiter.apply(path), 60).trim();
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                assertEquals("previous_owner_died=False count=41", said);
                assertTrue(millis < 10_000, "took the abandoned reservation after " + millis + " ms");
                assertFalse(lock.isLocked(), "released again");
            }
        }
    }

    /**
     * Two Java processes, a C and a Python process take one lock over and over and keep it
     * 200 µs each time. Newcomers barge past sleepers; a peer waiter is not starved because it
     * asks for a hand-off after 20 ms, as a Java waiter does. The bound is generous for a busy
     * machine: without hand-offs to peers, a peer waits for the whole run.
     */
    @Test
    void noProcessOfAnyLanguageWaitsLongForABusyLock() throws Exception {
        Peers.cPeer();
        int millis = 4_000;
        try (SharedMemory shm = SharedMemory.create(1 << 20)) {
            Counter counter = shm.findOrCreate("counter", Counter.class);
            var results = shm.array(TypeCode.LONG, 4);
            String path = shm.path().toString();
            List<ChildJvm> jvms = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                jvms.add(ChildJvm.start(Children.BusyHolds.class, Structs.handle(counter), "4", Integer.toString(millis),
                        Integer.toString(i), Structs.handle(results)));
            }
            List<Process> peers = List.of(Peers.c("busy", path, "counter", "4", Integer.toString(millis)),
                    Peers.python("busy", path, "counter", "4", Integer.toString(millis)));
            for (ChildJvm jvm : jvms) {
                jvm.joinSuccessfully(Duration.ofMinutes(5));
            }
            List<String> said = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                said.add("java longest=" + TimeUnit.NANOSECONDS.toMillis(results.get(2 * i)) + " acquisitions="
                        + results.get(2 * i + 1));
            }
            for (Process peer : peers) {
                String out = Peers.finish(peer, 120).trim();
                assertEquals(0, peer.exitValue(), () -> "peer failed: " + errors(peer));
                said.add(out);
            }
            for (String line : said) {
                var matcher = java.util.regex.Pattern.compile(".*longest=(\\d+) acquisitions=(\\d+)").matcher(line);
                assertTrue(matcher.matches(), () -> "unexpected report: " + said);
                assertTrue(Long.parseLong(matcher.group(1)) < 1_500, () -> "a process waited too long: " + said);
                assertTrue(Long.parseLong(matcher.group(2)) > 0, () -> "a process never got the lock: " + said);
            }
        }
    }

    static String errors(Process process) {
        return Peers.errors(process);
    }
}
