package dev.sharedstruct.internal.region;

import dev.sharedstruct.SharedLock;
import java.util.concurrent.TimeUnit;

/**
 * The region lock, which guards the allocator and the directory, together with the repair that
 * its takeover calls for: when {@link SharedLock#acquire()} reports that the previous owner died
 * holding it, the metadata it guarded may be half-updated, and {@link RegionRepair} finishes or
 * undoes what the dead process left before the new owner goes on; so it does when a C or Python
 * peer took the lock over and left the repair owed. Reentrant, like the lock.
 */
public final class RegionGuard {
    private final SharedLock lock;
    private RegionRepair repair;

    public RegionGuard(SharedLock lock) {
        this.lock = lock;
    }

    /** Set once, after the allocator and directory it repairs exist. */
    public void repairWith(RegionRepair repair) {
        this.repair = repair;
    }

    public void lock() {
        repairIfOwed(lock.acquire().previousOwnerDied());
    }

    /**
     * {@link #lock()}, waiting at most {@code nanos} (for tools, which must not wedge): false,
     * with nothing held, when the lock stayed held. A timed acquisition does not report a
     * takeover, so it is seen in the lock's count of takeovers; one that another process made
     * meanwhile (and repaired) only costs a repair that finds nothing to do.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean tryLock(long nanos) throws InterruptedException {
        int takeovers = lock.recoveries();
        if (!lock.tryLock(nanos, TimeUnit.NANOSECONDS)) {
            return false;
        }
        repairIfOwed(lock.recoveries() != takeovers);
        return true;
    }

    /** Repairs, holding the lock, what a dead owner (or a peer's takeover) left; releases the lock if that fails. */
    private void repairIfOwed(boolean previousOwnerDied) {
        if (previousOwnerDied || repair.owedByPeer()) {
            try {
                repair.afterDeadOwner();
            } catch (RuntimeException | Error e) {
                lock.unlock();
                throw e;
            }
        }
    }

    public void unlock() {
        lock.unlock();
    }

    SharedLock sharedLock() {
        return lock;
    }
}
