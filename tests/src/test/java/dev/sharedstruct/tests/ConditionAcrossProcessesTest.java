package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.RegionInspector;
import dev.sharedstruct.SharedCondition;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedLongArray;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.TypeCode;
import dev.sharedstruct.testsupport.ChildJvm;
import dev.sharedstruct.tests.Samples.Counter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * SharedCondition between real JVMs: many producers and consumers of a small ring in three
 * JVMs, a waiter killed while asleep, a signaller killed holding the lock, and a lock freed
 * under a waiter in another process. Runs with and without native access (tests/pom.xml).
 */
class ConditionAcrossProcessesTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    /** Waits (at most a minute) until {@code done}, failing with {@code what} and the children's output. */
    private static void awaitThat(BooleanSupplier done, String what, ChildJvm... children) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!done.getAsBoolean()) {
            for (ChildJvm child : children) {
                assertTrue(child.process().isAlive(), what + ": " + child + " ended: " + child.output() + child.errorOutput());
            }
            assertTrue(System.nanoTime() < deadline, what + " within a minute");
            Thread.sleep(2);
        }
    }

    /**
     * Three JVMs of two producers and two consumers each pass 3 x 2 x 400 values through a ring
     * of 3 slots under one lock and its two conditions, every thread with another await form and
     * every wake-up a single signal: a lost wake-up would hang a thread (the join's timeout), a
     * lost or doubled value would change the totals.
     */
    @Test
    void producersAndConsumersInThreeJvmsPassEveryValueExactlyOnce() throws Exception {
        int jvms = 3;
        int producers = 2;
        int consumers = 2;
        int values = 400;
        long total = (long) jvms * producers * values;
        long sum = 0;
        long squares = 0;
        for (int jvm = 0; jvm < jvms; jvm++) {
            for (int producer = 0; producer < producers; producer++) {
                for (int i = 1; i <= values; i++) {
                    long value = ConditionChildren.value(jvm, producer, i);
                    sum += value;
                    squares += value * value;
                }
            }
        }
        try (SharedMemory shm = SharedMemory.create(1 << 20)) {
            SharedLongArray ring = shm.array(TypeCode.LONG, ConditionChildren.RING_LENGTH);
            SharedLock lock = Structs.lock(ring);
            SharedCondition notFull = lock.newCondition();
            SharedCondition notEmpty = lock.newCondition();
            List<ChildJvm> children = new ArrayList<>();
            for (int jvm = 0; jvm < jvms; jvm++) {
                children.add(ChildJvm.start(ConditionChildren.RingWorker.class, Structs.handle(ring),
                        Long.toString(notFull.id()), Long.toString(notEmpty.id()), Integer.toString(producers),
                        Integer.toString(consumers), Integer.toString(values), Long.toString(total), Integer.toString(jvm)));
            }
            for (ChildJvm child : children) {
                child.joinSuccessfully(TIMEOUT);
            }
            assertEquals(total, ring.get(ConditionChildren.HEAD), "values taken");
            assertEquals(total, ring.get(ConditionChildren.TAIL), "values put");
            assertEquals(sum, ring.get(ConditionChildren.SUM), "sum of the values taken");
            assertEquals(squares, ring.get(ConditionChildren.SQUARES), "sum of their squares");
            assertFalse(lock.isLocked());
            assertEquals(0, lock.recoveries());
        }
    }

    /**
     * Two waiters in two JVMs sleep on one condition, each inside two holds of the lock, which
     * await releases (this JVM takes the lock to signal) and restores; the first to wait is
     * killed (SIGKILL). One signal (not signalAll) then still wakes the live one: the dead one
     * swallows nothing.
     */
    @Test
    void aSingleSignalAfterAWaiterIsKilledWakesTheLiveOne() throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 20)) {
            SharedLongArray words = shm.array(TypeCode.LONG, ConditionChildren.MARKS + 2);
            SharedLock lock = Structs.lock(words);
            SharedCondition condition = lock.newCondition();
            String handle = Structs.handle(words);
            String id = Long.toString(condition.id());
            ChildJvm doomed = ChildJvm.start(ConditionChildren.Waiter.class, handle, id, "0");
            awaitThat(() -> words.get(ConditionChildren.MARKS) == doomed.pid() && !lock.isLocked(),
                    "the first waiter waits", doomed);
            ChildJvm live = ChildJvm.start(ConditionChildren.Waiter.class, handle, id, "1");
            awaitThat(() -> words.get(ConditionChildren.MARKS + 1) == live.pid() && !lock.isLocked(),
                    "the second waiter waits", live);
            Thread.sleep(50); // both asleep on the sequence word
            doomed.process().destroyForcibly();
            doomed.process().waitFor();
            try (var _ = lock.acquire()) {
                words.set(ConditionChildren.GO, 1);
                condition.signal();
            }
            live.joinSuccessfully(TIMEOUT);
            assertEquals(1, words.get(ConditionChildren.WENT_ON));
            assertTrue(live.output().contains("went on after 0 takeovers, holding 2"), live.output());
            assertFalse(lock.isLocked());
            assertEquals(0, lock.recoveries(), "the killed waiter held nothing");
        }
    }

    /**
     * A waiter in one JVM is signalled by another JVM that is then killed still holding the
     * lock: the waiter takes the lock over, returns from await with its two holds, and is told of
     * the takeover by recoveriesSinceLastLook.
     */
    @Test
    void aWaiterSignalledByAHolderThatIsKilledTakesTheLockOver() throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 20)) {
            SharedLongArray words = shm.array(TypeCode.LONG, ConditionChildren.MARKS + 1);
            SharedLock lock = Structs.lock(words);
            SharedCondition condition = lock.newCondition();
            String handle = Structs.handle(words);
            String id = Long.toString(condition.id());
            ChildJvm waiter = ChildJvm.start(ConditionChildren.Waiter.class, handle, id, "0");
            awaitThat(() -> words.get(ConditionChildren.MARKS) == waiter.pid() && !lock.isLocked(), "the waiter waits", waiter);
            ChildJvm signaller = ChildJvm.start(ConditionChildren.SignalAndHold.class, handle, id);
            signaller.awaitOutput("held", TIMEOUT);
            signaller.process().destroyForcibly();
            signaller.process().waitFor();
            waiter.joinSuccessfully(TIMEOUT);
            assertTrue(waiter.output().contains("went on after 1 takeovers, holding 2"), waiter.output());
            assertEquals(1, lock.recoveries());
            assertFalse(lock.isLocked());
        }
    }

    /**
     * A struct is freed in this JVM while another JVM awaits a condition of its lock: nobody can
     * signal that condition again, so the await ends with "was freed" instead of lasting forever,
     * and the memory's next object, made at once, is left as it was written.
     */
    @Test
    void freeingAStructEndsAnAwaitOnItsLocksConditionInAnotherJvm() throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 20)) {
            Counter counter = shm.value(Counter.class);
            SharedLock lock = Structs.lock(counter);
            SharedCondition condition = lock.newCondition();
            ChildJvm waiter = ChildJvm.start(ConditionChildren.AwaitForever.class, Structs.handle(counter),
                    Long.toString(condition.id()));
            awaitThat(() -> !lock.isLocked() && counter.count() == waiter.pid(), "the waiter waits", waiter);
            Thread.sleep(50);
            shm.free(counter);
            Counter next = shm.value(Counter.class);
            next.count(12345);
            assertEquals(3, waiter.join(TIMEOUT), "the waiter's exit: " + waiter.output() + waiter.errorOutput());
            assertTrue(waiter.output().contains("was freed"), waiter.output());
            assertEquals(12345, next.count(), "the next object's memory was written");
            assertFalse(Structs.lock(next).isLocked(), "the next object's lock was taken");
        }
    }

    /**
     * A condition is freed in this JVM while another JVM awaits it: the await ends with "was
     * freed" (the waiter woken by the free, not left to sleep on memory that is another object's
     * now), and the lock cell made next in the condition's memory is left as it was.
     */
    @Test
    void freeingAConditionEndsAnAwaitOnItInAnotherJvm() throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 20)) {
            Counter counter = shm.value(Counter.class);
            SharedLock lock = Structs.lock(counter);
            SharedCondition condition = lock.newCondition();
            long id = condition.id();
            ChildJvm waiter = ChildJvm.start(ConditionChildren.AwaitForever.class, Structs.handle(counter), Long.toString(id));
            awaitThat(() -> !lock.isLocked() && counter.count() == waiter.pid(), "the waiter waits", waiter);
            Thread.sleep(50);
            shm.free(condition);
            SharedLock next = shm.newLock();
            assertTrue(RegionInspector.of(shm).locks().stream().anyMatch(state -> state.offset() == id
                    && state.usedBy().equals("shared lock")), "the next lock cell is made in the condition's memory: "
                    + RegionInspector.of(shm).locks());
            assertEquals(3, waiter.join(TIMEOUT), "the waiter's exit: " + waiter.output() + waiter.errorOutput());
            assertTrue(waiter.output().contains("condition " + id) && waiter.output().contains("was freed"), waiter.output());
            assertFalse(next.isLocked(), "the next lock was taken");
            assertEquals(0, next.waiters());
            assertTrue(next.tryLock(), "the next lock cannot be taken");
            next.unlock();
        }
    }
}
