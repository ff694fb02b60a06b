package dev.sharedstruct.internal.region;

import dev.sharedstruct.SharedLock;

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
        if (lock.acquire().previousOwnerDied() || repair.owedByPeer()) {
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
