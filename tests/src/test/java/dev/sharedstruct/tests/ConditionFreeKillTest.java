package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.Handle;
import dev.sharedstruct.SharedCondition;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedLongArray;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;
import dev.sharedstruct.TypeCode;
import dev.sharedstruct.testsupport.ChildJvm;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * A child JVM makes and frees conditions as fast as it can and is SIGKILLed at a random moment,
 * {@code -Dsharedstruct.conditionFreeKillRounds=N} times (4 by default, a JVM each: raise it to
 * hunt; the exact window is ConditionFreeAttackTest's, made on purpose). After each kill the condition it published last is freed here if it is still
 * live: whatever moment of a free the kill cut, the condition can be freed and its memory comes
 * back. Before the fix, a kill between the free's claim of the cell and the block's retirement
 * left a condition no free could ever free ("its lock is held, by process [dead]").
 */
class ConditionFreeKillTest {
    private static final int ROUNDS = Integer.getInteger("sharedstruct.conditionFreeKillRounds", 4);

    /** Args: a long array's handle. Forever: a condition of its lock, its id in word 0, its free. */
    static final class Churner {
        public static void main(String[] args) {
            SharedMemory shm = SharedMemory.open(Handle.parse(args[0]).region());
            SharedLongArray words = shm.attach(args[0], SharedLongArray.class);
            SharedLock lock = Structs.lock(words);
            System.out.println("ready");
            System.out.flush();
            while (true) {
                SharedCondition condition = lock.newCondition();
                lock.lock();
                try {
                    words.set(0, condition.id());
                } finally {
                    lock.unlock();
                }
                shm.free(condition);
            }
        }
    }

    @Test
    void aConditionWhoseFreeWasKilledAtAnyMomentCanBeFreed() throws Exception {
        int refused = 0;
        int live = 0;
        StringBuilder refusals = new StringBuilder();
        try (SharedMemory shm = SharedMemory.create(1 << 20)) {
            SharedLongArray words = shm.array(TypeCode.LONG, 1);
            SharedLock lock = Structs.lock(words);
            for (int round = 0; round < ROUNDS; round++) {
                ChildJvm child = ChildJvm.start(Churner.class, Structs.handle(words));
                child.awaitOutput("ready", Duration.ofMinutes(1));
                Thread.sleep(ThreadLocalRandom.current().nextInt(100, 400));
                child.process().destroyForcibly();
                child.process().waitFor();
                long id;
                lock.lock();
                try {
                    id = words.get(0);
                } finally {
                    lock.unlock();
                }
                SharedCondition condition;
                try {
                    condition = lock.condition(id);
                } catch (IllegalArgumentException | IllegalStateException gone) {
                    continue; // freed (the kill came after the free's commit point, or before the condition was made)
                }
                live++;
                try {
                    shm.free(condition);
                } catch (IllegalStateException e) {
                    refused++;
                    refusals.append("\nround ").append(round).append(": ").append(e.getMessage());
                }
            }
            System.out.println("live after the kill: " + live + ", refused: " + refused + refusals);
            assertEquals(0, refused, "conditions no free can free:" + refusals);
            assertTrue(shm.verify().consistent());
        }
    }
}
