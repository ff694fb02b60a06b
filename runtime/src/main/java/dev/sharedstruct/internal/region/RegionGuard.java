package dev.sharedstruct.internal.region;

import dev.sharedstruct.SharedLock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The region lock, which guards the allocator and the directory, together with the repair that
 * its takeover calls for: when {@link SharedLock#acquire()} reports that the previous owner died
 * holding it, the metadata it guarded may be half-updated, and {@link RegionRepair} finishes or
 * undoes what the dead process left before the new owner goes on; so it does when a C or Python
 * peer took the lock over and left the repair owed. Reentrant, like the lock.
 *
 * <p>Every hold also holds a process-local gate, which {@link #closeUnlessBusy} takes exclusively: the
 * region is unmapped only while no thread of this process holds its lock, and none takes it
 * until the unmapping is done (a hold that lost the mapping could never be released, and every
 * other process would wait for it until this one exits).
 */
public final class RegionGuard {
    private final SharedLock lock;
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    private RegionRepair repair;

    public RegionGuard(SharedLock lock) {
        this.lock = lock;
    }

    /** Set once, after the allocator and directory it repairs exist. */
    public void repairWith(RegionRepair repair) {
        this.repair = repair;
    }

    public void lock() {
        gate.readLock().lock();
        try {
            repairIfOwed(lock.acquire().previousOwnerDied());
        } catch (RuntimeException | Error e) {
            gate.readLock().unlock();
            throw e;
        }
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
        gate.readLock().lock();
        try {
            int takeovers = lock.recoveries();
            if (!lock.tryLock(nanos, TimeUnit.NANOSECONDS)) {
                gate.readLock().unlock();
                return false;
            }
            repairIfOwed(lock.recoveries() != takeovers);
            return true;
        } catch (InterruptedException | RuntimeException | Error e) {
            gate.readLock().unlock();
            throw e;
        }
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
        try {
            lock.unlock();
        } finally {
            gate.readLock().unlock();
        }
    }

    /**
     * Runs {@code close} (which unmaps the region) if no thread of this process holds or waits
     * for the region lock, keeping every thread from taking it until {@code close} returns (they
     * then find the region closed, or, if {@code close} refused, go on); false, without running
     * it, while one does. Not waited for: the lock may be held by a stopped process for as long.
     *
     * @return whether {@code close} ran
     */
    public boolean closeUnlessBusy(Runnable close) {
        if (!gate.writeLock().tryLock()) {
            return false;
        }
        try {
            close.run();
            return true;
        } finally {
            gate.writeLock().unlock();
        }
    }

    /**
     * Runs {@code work} holding the gate (shared), so that no close of this mapping runs meanwhile.
     * Waits for a close that is running: it holds the gate only while it unmaps or refuses, and
     * a close that refuses may refuse for the very hold the work is to end, so the work must not
     * give up on it.
     */
    public void runHoldingTheGate(Runnable work) {
        gate.readLock().lock();
        try {
            work.run();
        } finally {
            gate.readLock().unlock();
        }
    }

    SharedLock sharedLock() {
        return lock;
    }
}
