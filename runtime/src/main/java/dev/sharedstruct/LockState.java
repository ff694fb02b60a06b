package dev.sharedstruct;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import dev.sharedstruct.internal.lock.ProcessLiveness;
import dev.sharedstruct.internal.lock.ThreadToken;

/**
 * What a lock cell held at one moment, read (never acquired) by a tool: its owner and whether the
 * owner's process is still there, its holds, waiters and recoveries.
 *
 * @param offset the cell's offset in the region
 * @param usedBy what the lock guards: "region", "own lock of \"name\"", "shared lock of ...",
 *     "condition of the lock at offset ..." (a condition's cell), ...
 * @param ownerPid the owner's process id; 0 when free
 * @param ownerThread the owner's thread id (the low 32 bits of it); 0 when free
 * @param owner whether the owner's process is alive
 * @param holds how many times the owner holds it (reentrant holds); 0 when free
 * @param waiters threads, in all processes, waiting for it
 * @param recoveries times it was taken over from an owner that died
 */
public record LockState(long offset, String usedBy, long ownerPid, long ownerThread, Owner owner, int holds, int waiters,
        int recoveries) {

    /** The owner's process, as far as /proc tells. */
    public enum Owner {
        /** Nobody holds the lock. */
        NONE,
        /** The owner's process is running. */
        ALIVE,
        /** The owner's process is gone: the next acquirer takes the lock over. */
        DEAD,
        /** A process with the owner's id runs, but started after the owner took the lock (its id was reused). */
        PID_REUSED;

        /**
         * {@code alive}, {@code dead}, {@code pid reused}, {@code none}.
         *
         * @return the label
         */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }

    private static final VarHandle OWNER = SharedLock.CELL.varHandle(groupElement("owner"));
    private static final VarHandle EXTRA_HOLDS = SharedLock.CELL.varHandle(groupElement("extra_holds"));
    private static final VarHandle WAITERS = SharedLock.CELL.varHandle(groupElement("waiters"));
    private static final VarHandle RECOVERIES = SharedLock.CELL.varHandle(groupElement("recoveries"));
    private static final VarHandle OWNER_START = SharedLock.CELL.varHandle(groupElement("owner_start"));

    /**
     * Whether some thread holds the lock.
     *
     * @return whether the lock is held
     */
    public boolean held() {
        return owner != Owner.NONE;
    }

    /**
     * {@code free}, or {@code held by pid 123 thread 4 (alive)}.
     *
     * @return a one-line description
     */
    public String summary() {
        return held() ? "held by pid " + ownerPid + " thread " + ownerThread + " (" + owner.label() + ")" : "free";
    }

    /**
     * Reads the cell at {@code offset} of {@code region} with volatile reads; takes nothing. The
     * cell is free when its owner word is the free word of its block's {@code generation} (0 for
     * the region header's cell, which has no block).
     */
    static LockState read(MemorySegment region, long offset, long generation, String usedBy) {
        MemorySegment cell = region.asSlice(offset, SharedLock.CELL);
        long token = (long) OWNER.getVolatile(cell, 0L);
        int extra = (int) EXTRA_HOLDS.getVolatile(cell, 0L);
        // The low half counts waiters; the high half is the generation of the count (docs/LOCK.md).
        int waiters = (int) WAITERS.getVolatile(cell, 0L) & 0xFFFF;
        int recoveries = (int) RECOVERIES.getVolatile(cell, 0L);
        long start = (long) OWNER_START.getVolatile(cell, 0L);
        if (token == ThreadToken.free(generation) || token == ThreadToken.RESERVED) {
            return new LockState(offset, usedBy, 0, 0, Owner.NONE, 0, waiters, recoveries);
        }
        long pid = ThreadToken.pidOf(token);
        Owner owner = switch (ProcessLiveness.of(pid, start)) {
            case ALIVE -> Owner.ALIVE;
            case DEAD -> Owner.DEAD;
            case OTHER_PROCESS -> Owner.PID_REUSED;
        };
        return new LockState(offset, usedBy, pid, ThreadToken.threadOf(token), owner, extra + 1, waiters, recoveries);
    }
}
