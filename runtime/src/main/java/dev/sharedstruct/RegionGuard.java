package dev.sharedstruct;

/**
 * The region lock, which guards the allocator and the directory, together with the repair that
 * its takeover calls for: when {@link SharedLock#acquire()} reports that the previous owner died
 * holding it, the metadata it guarded may be half-updated, and {@link RegionRepair} finishes or
 * undoes what the dead process left before the new owner goes on. Reentrant, like the lock.
 */
final class RegionGuard {
    private final SharedLock lock;
    private RegionRepair repair;

    RegionGuard(SharedLock lock) {
        this.lock = lock;
    }

    /** Set once, after the allocator and directory it repairs exist. */
    void repairWith(RegionRepair repair) {
        this.repair = repair;
    }

    void lock() {
        if (lock.acquire().previousOwnerDied()) {
            try {
                repair.afterDeadOwner();
            } catch (RuntimeException | Error e) {
                lock.unlock();
                throw e;
            }
        }
    }

    void unlock() {
        lock.unlock();
    }

    SharedLock sharedLock() {
        return lock;
    }
}
