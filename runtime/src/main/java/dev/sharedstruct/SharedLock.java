package dev.sharedstruct;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import dev.sharedstruct.internal.lock.Futex;
import dev.sharedstruct.internal.lock.ProcessLiveness;
import dev.sharedstruct.internal.lock.ThreadToken;
import dev.sharedstruct.internal.lock.Waiting;
import dev.sharedstruct.internal.region.BlockHeader;
import dev.sharedstruct.internal.region.ClosedScopes;
import dev.sharedstruct.internal.region.Liveness;

/**
 * A reentrant lock whose state lives in shared memory, safe between threads of any processes
 * that map its region: the counterpart of Python's {@code multiprocessing.RLock} behind
 * {@code Value(...).get_lock()}, without its flaw of staying taken when its holder crashes.
 *
 * <p>The state is a 32-byte cell ({@link #CELL}):
 * <pre>
 * struct shared_lock {
 *     int64_t owner;        // free: 1 &lt;&lt; 63 | block generation (0 in no block); else process id &lt;&lt; 32 | thread id
 *     int32_t extra_holds;  // reentrant acquisitions beyond the first, owner-only
 *     int32_t waiters;      // threads blocked on the lock, in any process
 *     int32_t wakeups;      // the futex word: odd while a wake-up is on its way to a sleeper
 *     int32_t recoveries;   // how many times a dead owner's lock was taken over
 *     int64_t owner_start;  // owner process start time, tells a reused process id apart
 * };
 * </pre>
 * The whole protocol, for programs in other languages too, is in {@code docs/LOCK.md}.
 * An uncontended {@link #lock()} is one compare-and-set on {@code owner} from the cell's free
 * word, which carries the generation of the cell's block, and one look at that generation after
 * it, so that a lock of a freed object is never claimed (see {@code docs/LOCK.md}, "Freeing a
 * block with a lock cell"); an uncontended
 * {@link #unlock()} is one release store, followed by a wake-up only when {@code waiters} is
 * non-zero. Re-entry by the owning thread is counted in this JVM, in this object, and touches
 * no shared memory: the accessors of a struct whose lock is held cost a field read each.
 * A contended waiter spins briefly, then sleeps: on a futex when native access is enabled (a
 * release wakes it at once), otherwise parked with back-off up to 1 ms. Sleeps never last
 * longer than 1 ms, which bounds the delay when a waiter registers at the very moment of a
 * release (the release has no full fence between its store and its look at {@code waiters}).
 *
 * <p>While it waits, a thread checks every 20 ms whether the owner's process still exists. If
 * it died (killed, crashed, halted), the waiter takes the lock over and is told so:
 * {@link Held#previousOwnerDied()} is true and {@link #recoveries()} goes up; the data the lock
 * guards may be half-updated, and the new holder should repair it. Every takeover is logged as a
 * {@link System.Logger.Level#WARNING} naming the region, the cell and the dead process, and
 * {@link #recoveriesSinceLastLook()} tells a user who took the lock with {@link #lock()} (as
 * every generated accessor does) that it happened. A live owner is never robbed,
 * however long it holds the lock. (A process id reused by a newer process is told apart by the
 * start time the owner records right after acquiring; a reuse is assumed only when the recorded
 * time disagrees for a whole second.)
 *
 * <p>Use it with try-with-resources: {@code try (var _ = lock.acquire()) { ... }}. Conditions
 * work across processes too ({@link #newCondition()}, {@link SharedCondition}).
 */
public final class SharedLock implements Lock {

    /** The layout of a lock cell in shared memory. */
    public static final StructLayout CELL = MemoryLayout.structLayout(
            JAVA_LONG.withName("owner"),
            JAVA_INT.withName("extra_holds"),
            JAVA_INT.withName("waiters"),
            JAVA_INT.withName("wakeups"),
            JAVA_INT.withName("recoveries"),
            JAVA_LONG.withName("owner_start"));

    private static final VarHandle OWNER = CELL.varHandle(groupElement("owner"));
    private static final VarHandle EXTRA_HOLDS = CELL.varHandle(groupElement("extra_holds"));
    private static final VarHandle WAITERS = CELL.varHandle(groupElement("waiters"));
    private static final long WAKEUPS_OFFSET = CELL.byteOffset(groupElement("wakeups"));
    private static final VarHandle WAKEUPS = CELL.varHandle(groupElement("wakeups"));
    private static final VarHandle RECOVERIES = CELL.varHandle(groupElement("recoveries"));
    private static final VarHandle OWNER_START = CELL.varHandle(groupElement("owner_start"));

    private static final System.Logger LOG = System.getLogger(SharedLock.class.getName());

    static {
        // Link the futex downcall now rather than at the first contended release (see Futex.prepare).
        Futex.prepare();
    }

    /**
     * Looks at the lock before a waiter goes to sleep: a microsecond or two, for holds shorter
     * than a system call. Longer spinning (2,000 pauses, tens of microseconds) measured no better
     * and often worse with 2 and 4 processes: a spinning waiter keeps pulling the cell's cache line
     * from a holder that would otherwise run alone, and on a busy machine it takes a core the
     * holder needs. Sleeping waiters leave the holder alone, as glibc's robust mutex does.
     */
    private static final int SPINS = 64;
    /** The longest pause between two looks while spinning, in spin-wait hints. */
    private static final int MAX_PAUSE = 64;
    /**
     * The longest single sleep of a waiter. A release does not fence between its store and its
     * look at {@code waiters}, so a waiter registering at that moment may miss its wake-up; it
     * then finds the lock free when this sleep ends. Longer sleeps cost latency, shorter ones CPU.
     */
    static final long MAX_SLEEP_NANOS = 1_000_000;
    /** How often a sleeping waiter looks at the owner's process. */
    private static final long OWNER_CHECK_NANOS = 20_000_000;
    /** How long a recorded start time must disagree with the process before it counts as another process. */
    private static final long REUSED_PID_GRACE_NANOS = 1_000_000_000;
    /** Linux never hands out process ids above 2^22; a larger one in {@code owner} is corrupt. */
    private static final long MAX_PID = 1L << 22;

    /** A waiter that has waited this long asks for the lock to be handed to a long waiter. */
    static final long STARVING_NANOS = 20_000_000;
    /** A lock reserved for long waiters that none of them took for this long is free for anyone. */
    private static final long ABANDONED_RESERVATION_NANOS = 100_000_000;
    /** The low half of {@code waiters} counts waiters; the high half is the generation of the count. */
    private static final int COUNT_MASK = 0xFFFF;
    /**
     * The bits of {@link #SPAN_HOLDS_AND_WAITERS} that send a release out of line: all of
     * {@code extra_holds} and the count part of {@code waiters}, wherever native byte order puts them.
     */
    private static final long RELEASE_MASK = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
            ? 0xFFFF_FFFFL | ((long) COUNT_MASK << 32)
            : (0xFFFF_FFFFL << 32) | COUNT_MASK;
    /** An unanswered wake-up this old at a release suggests registered waiters that are gone. */
    private static final long STALE_WAKE_UP_NANOS = 50_000_000;
    /** How long {@link #waiters()} watches a free lock with registered waiters before recounting. */
    private static final long IDLE_WAITERS_NANOS = 5_000_000;

    /**
     * One uncontended claim and one uncontended release in {@code SAMPLE_MASK + 1} take the out-of-line
     * path that contention takes. The JIT compiles a branch that warm-up never took as a trap
     * (and inlines the code behind a branch it saw taken often); a trap hit at the first contended
     * acquire or release throws the caller's whole compiled loop back to the interpreter until it
     * is compiled again: milliseconds each time on a busy machine, as long as a short run. With
     * the branch seen both ways, and rarely, the slow paths are compiled as calls, and contention
     * arriving later finds the compiled loop ready for it.
     */
    private static final int SAMPLE_MASK = 0xFF;
    /**
     * Each lock object samples its first this many claims and then stops counting: the JIT reads
     * a branch's profile while it compiles (after some thousands of calls), so a sample taken
     * later only kept a store on every claim, which the next compare-and-set waits for (about 5%
     * of one process's locked increments on an AMD EPYC). Every new lock object samples again,
     * and a caller compiled before the first lock reached the count recompiles once when it does.
     */
    private static final int SAMPLED_CLAIMS = 1 << 14;

    private static final int FAILED = 0;
    private static final int ACQUIRED = 1;
    private static final int RECOVERED = 2;

    /**
     * Where the cell starts in a lock's {@link #span}: after its block's generation word and the
     * rest of the block header (the cell starts the block's payload).
     */
    private static final long CELL_IN_SPAN = BlockHeader.GENERATION_TO_PAYLOAD;
    /** The bytes of a lock's {@link #span}: its block's generation word through the end of its cell. */
    static final long SPAN_BYTES = CELL_IN_SPAN + CELL.byteSize();
    /*
     * The fast paths' handles: each reaches one word of a lock's span at base offset 0, through a
     * layout of the whole span (spanWord). FFM checks an access against its layout's
     * bounds, so accesses through layouts of one size share one bounds check between two memory
     * barriers; per-field layouts of the cell and the generation word paid one each. The plain
     * reads go through byte-aligned layouts, which spare FFM's alignment check (a span starts
     * on its block's 8-aligned generation word); the compare-and-set and the release store, which
     * must be aligned, keep it.
     */
    private static final VarHandle SPAN_OWNER = spanWord(CELL_IN_SPAN + CELL.byteOffset(groupElement("owner")), JAVA_LONG);
    private static final VarHandle SPAN_GENERATION = spanWord(0, JAVA_LONG_UNALIGNED);
    /** The word of the block-start map holding the block's bit (8-aligned; unaligned spares the check). */
    private static final VarHandle START_WORD = JAVA_LONG_UNALIGNED.varHandle();
    private static final VarHandle SPAN_EXTRA_HOLDS = spanWord(CELL_IN_SPAN + CELL.byteOffset(groupElement("extra_holds")),
            JAVA_INT_UNALIGNED);
    private static final VarHandle SPAN_OWNER_START = spanWord(CELL_IN_SPAN + CELL.byteOffset(groupElement("owner_start")),
            JAVA_LONG_UNALIGNED);
    /** {@code extra_holds} and {@code waiters} in one read: a release looks at both. */
    private static final VarHandle SPAN_HOLDS_AND_WAITERS = spanWord(CELL_IN_SPAN + CELL.byteOffset(groupElement("extra_holds")),
            JAVA_LONG_UNALIGNED);

    /** A handle on the word {@code word} at {@code offset} of a span, through a layout of the whole span. */
    private static VarHandle spanWord(long offset, ValueLayout word) {
        List<MemoryLayout> members = new ArrayList<>();
        if (offset > 0) {
            members.add(MemoryLayout.paddingLayout(offset));
        }
        members.add(word.withName("word"));
        long after = SPAN_BYTES - offset - word.byteSize();
        if (after > 0) {
            members.add(MemoryLayout.paddingLayout(after));
        }
        return MemoryLayout.structLayout(members.toArray(MemoryLayout[]::new)).varHandle(groupElement("word"));
    }

    private final SharedMemory memory;
    private final MemorySegment cell;
    /**
     * For a lock in a block, one segment from the block's generation word (at 0) through the end
     * of the cell (at {@link #CELL_IN_SPAN}), in the cell's scope; null for the region header's
     * lock, which is in no block. The fast paths reach the cell and the generation through this
     * one segment at constant offsets: FFM checks a segment's scope, bounds and alignment once
     * per segment per stretch of code between two memory barriers, so the claim's look at the
     * generation and at the cell's words, after the compare-and-set, costs one such check rather
     * than two (about 0.5 ns of a 9 ns locked increment, JMH).
     */
    private final MemorySegment span;
    /** The generation of the lock's block (0 in no block): what {@link #span}'s first word holds while it lives. */
    private final long generation;
    /**
     * Whether the block the cell lives in (a lock's own block, or the object whose own lock it is)
     * is still allocated, in any process; null for a cell that is never freed (the region header's,
     * a local struct's). Every claim looks at it, so a hold of a live lock means a live block for
     * the whole hold: {@code free} refuses a block whose lock is held, and claims the lock itself
     * before freeing, so no claim can slip in between.
     */
    final Liveness block;
    /**
     * The owner word of this cell when nobody holds it ({@link ThreadToken#free}): tagged with
     * the generation of the cell's block, or 0 for a cell in no block. A claim compares-and-sets from this
     * value, so it can only succeed on the live cell of the block generation the lock was made
     * for: freed memory (free-list links) and memory another allocation reused never hold it.
     */
    private final long free;
    /**
     * {@link Liveness#startWord()} and {@link Liveness#startBit()} of {@link #block} (null and 0
     * in no block), held here for the fast claim: reached through {@code block}, the look cost one
     * more load after the compare-and-set's barrier, and one process's locked increments ran 10%
     * slower (67.7 to 72.1 against 73.6 to 81.7 M/s, {@code benchmarks/ab.sh}, six rounds, AMD EPYC).
     */
    private final MemorySegment startWord;
    private final long startBit;

    /**
     * The id ({@link Thread#threadId()}, never 0) of the thread of this JVM that holds the lock
     * through this object, 0 for none; with {@link #nested}, how many times: re-entry is counted
     * here, without shared-memory traffic. Written only by the holding thread while it holds the
     * lock, so another thread never reads itself here by mistake. An id rather than the
     * {@code Thread}: storing a reference costs the collector's write barrier on every claim and
     * release (about 0.6 ns of a 9 ns locked increment, measured with JMH).
     */
    private long holder;
    /**
     * The holder's holds beyond its first (so that a first hold writes nothing here: every store
     * of a claim is paid again by the next compare-and-set, which waits for the stores before it).
     */
    private int nested;
    /** Claims through this object, counted for {@link #SAMPLE_MASK} up to {@link #SAMPLED_CLAIMS}. */
    private int claims;
    /**
     * 1 while a hold that the fast claim sent out of line (sampled, or a cell's words rewritten)
     * is held, else 0: its release goes out of line too, so that the release's branch is seen both
     * ways as well (see {@link #SAMPLE_MASK}). One field read on the fast release, cheaper than
     * counting there again.
     */
    private int releaseOutOfLine;
    /** The handle {@link #acquire()} returns for a first hold, so that acquiring allocates nothing. */
    private final Held firstHold = new Held(false);
    /** Since when (nanoTime, 0 for not) releases through this object found a wake-up unanswered; written by holders only. */
    private long unansweredSince;
    private int unansweredReleases;
    /** When (nanoTime, 0 for not) {@link #tryLock()} first saw the lock reserved; see {@link #takeAbandonedReservation}. */
    private long reservationSeenAt;
    /** {@link #recoveries()} when this object last reported them through {@link #recoveriesSinceLastLook()}. */
    private int recoveriesSeen;

    /**
     * The lock whose cell starts the payload at {@code block} of {@code region}, its span sliced
     * from the region's own mapping (no scope of the block's: for a lock held while its block is
     * looked at or freed).
     */
    static SharedLock inBlock(SharedMemory memory, MemorySegment region, long block, Liveness liveness) {
        return new SharedLock(memory, region.asSlice(spanOffset(block), SPAN_BYTES), liveness);
    }

    /** Where in the region the span of the lock whose cell starts the payload at {@code block} begins. */
    static long spanOffset(long block) {
        return BlockHeader.generationWord(block);
    }

    /** The lock whose cell is {@code cell}, in no block: the region header's. */
    SharedLock(SharedMemory memory, MemorySegment cell) {
        this(memory, null, cell, null);
    }

    /**
     * The lock whose cell starts the payload of the block {@code block} watches; {@code span} is
     * the block's memory from its generation word through the end of the cell
     * ({@link #SPAN_BYTES}, at {@link BlockHeader#generationWord}), in the scope the cell should have.
     */
    SharedLock(SharedMemory memory, MemorySegment span, Liveness block) {
        this(memory, span, span.asSlice(CELL_IN_SPAN, CELL.byteSize()), Objects.requireNonNull(block, "block"));
    }

    private SharedLock(SharedMemory memory, MemorySegment span, MemorySegment cell, Liveness block) {
        this.memory = memory;
        this.span = span;
        this.cell = cell;
        this.block = block;
        this.generation = block == null ? 0L : block.generation();
        this.free = ThreadToken.free(generation);
        this.startWord = block == null ? null : block.startWord();
        this.startBit = block == null ? 0L : block.startBit();
        this.recoveriesSeen = Math.max(0, (int) RECOVERIES.getVolatile(cell, 0L));
        if (memory != null && span != null) {
            memory.register(this);
        }
    }

    SharedMemory memory() {
        return memory;
    }

    MemorySegment cell() {
        return cell;
    }

    /** The lock's {@link #span}: null for the region header's lock. */
    MemorySegment span() {
        return span;
    }

    /**
     * Acquires the lock and returns a handle whose {@code close()} releases it, and which tells
     * whether the lock was taken over from a dead owner. A first hold allocates nothing: the
     * handle is this lock's own, reused by the next first hold. Close it once, as
     * try-with-resources does: a second close before the lock is acquired again does nothing, but
     * once this thread acquires it again the same handle stands for the new hold.
     *
     * @return the handle to close to release the lock
     */
    public Held acquire() {
        Thread thread = Thread.currentThread();
        MemorySegment span = this.span;
        if (span == null) {
            // The region header's lock: never on a hot path, always the general way.
            return acquireOutOfLine(thread, claimFreeCell(ThreadToken.of(thread)));
        }
        // Succeeds only on the live cell of this lock's block generation (see free), or on user
        // data forging its free word, which the look at the block (staleness) catches.
        long witness = claimFree(span, ThreadToken.of(thread));
        try {
            // One branch, not four: "lost the compare-and-set", "sampled" (see SAMPLE_MASK), "the
            // block was freed" and "the owner-private words need rewriting" in one word.
            if (((witness ^ free) | sampled() | staleness(span) | staleWords(span)) == 0L) {
                holder = thread.threadId();
                firstHold.open = true;
                return firstHold;
            }
        } catch (IllegalStateException closed) {
            throw cutOffClaim(witness == free, ThreadToken.of(thread), free, closed);
        }
        return acquireOutOfLine(thread, witness);
    }

    /**
     * The fast claim, {@code CAS(owner, free, me)} on the cell of {@code span}: returns the word it
     * found, {@link #free} when it won. In the process that freed the cell's block the cell's
     * scope is closed, and the access throws; that is reported as the lock's "was freed". (FFM
     * reports a scope closed during an access at the thread's next safepoint poll, which may come
     * after the access: a claim that throws may have been made. A free claims the lock first, so
     * such a claim lost; one cut off by the region's close is {@link #finishClaimMaybeMade}'s.)
     */
    private long claimFree(MemorySegment span, long me) {
        try {
            return (long) SPAN_OWNER.compareAndExchange(span, 0L, free, me);
        } catch (IllegalStateException closed) {
            if (!cell.scope().isAlive()) {
                finishClaimMaybeMade(me);
            }
            throw closedOrFreed(closed);
        }
    }

    /**
     * The fast claim threw as the region's close closed the scope, and may or may not have been
     * made (see {@link #claimFree}). The owner word naming this thread then means either that claim,
     * which can never be released through this mapping, or a hold this thread has through another
     * lock object for the cell. Only when no lock object of any mapping of the region in this
     * process holds it for this thread, and no hold is recorded in the cell, is it that claim:
     * finished through another open mapping, as {@link #cutOffClaim} does.
     */
    private void finishClaimMaybeMade(long me) {
        if (memory == null
                || memory.heldThroughAnotherLockObject(memory.offsetOf(cell), Thread.currentThread().threadId(), this)) {
            return;
        }
        holder = 0;
        nested = 0;
        throughAnotherMapping(same -> {
            if ((int) EXTRA_HOLDS.get(same.cell, 0L) == 0) {
                same.finishCutOffClaim(me, free);
            }
        });
    }

    /** {@link #claimFree(MemorySegment, long)} for the region header's lock, which has no span. */
    private long claimFreeCell(long me) {
        try {
            return (long) OWNER.compareAndExchange(cell, 0L, free, me);
        } catch (IllegalStateException closed) {
            throw closedOrFreed(closed);
        }
    }

    /** {@code e}, or "region ... is closed" when it came from the region's mapping closed in this process. */
    IllegalStateException closedOr(IllegalStateException e) {
        return memory == null ? e : memory.closedOr(e);
    }

    /**
     * 1 for one call in {@code SAMPLE_MASK + 1} of this object's first {@link #SAMPLED_CLAIMS},
     * else 0. Called before the caller knows whether
     * it won the lock, so two threads may count at once and lose a count: harmless for a sample.
     */
    private long sampled() {
        int count = claims;
        if (count >= SAMPLED_CLAIMS) {
            return 0L;
        }
        claims = ++count;
        return isSample(count);
    }

    /** 1 when {@code count} is a multiple of {@code SAMPLE_MASK + 1}, else 0; computed, not branched on. */
    private static long isSample(int count) {
        return ((count & SAMPLE_MASK) - 1) >>> 31;
    }

    /**
     * Non-zero when the cell's block was freed (in any process), else 0; see {@link #block}.
     * Read through the whole region's mapping, which outlives the block's scope, so it answers
     * in the process that freed the block too.
     */
    private long freedFlag() {
        Liveness live = block;
        return live == null ? 0L : live.staleness();
    }

    /**
     * {@link #freedFlag()} on the fast paths, through {@link #span}: non-zero when the block's
     * generation word no longer holds this lock's generation, or no block starts there any more
     * ({@link Liveness#staleness()}). (In the process that freed the
     * block the span's scope is closed; the claim before it has thrown already.)
     */
    private long staleness(MemorySegment span) {
        return ((long) SPAN_GENERATION.get(span, 0L) ^ generation) | (((long) START_WORD.get(startWord, 0L) & startBit) ^ startBit);
    }

    /**
     * Non-zero unless the owner-private words of the cell are what a claim by this process
     * writes: {@code extra_holds} 0 and {@code owner_start} this process's start time. Read, not
     * written, on the fast path: they stay right while one process claims again and again, and a
     * store there would be paid again by the next compare-and-set, which waits for the stores
     * before it. Computed, not branched on, for the one-branch rule of {@link #acquire()}.
     */
    private long staleWords(MemorySegment span) {
        return (int) SPAN_EXTRA_HOLDS.get(span, 0L) | ((long) SPAN_OWNER_START.get(span, 0L) ^ ThreadToken.START);
    }

    /**
     * An access that failed after this thread's claim, {@code CAS(owner, replaced, me)}, if it
     * {@code won}. When the cell's scope was closed under it (the region's close, between its
     * look for held locks and the unmapping), this thread can never release the claim through
     * this mapping. Through another mapping of the region that is open in this process, the claim
     * is finished (its words rewritten and the lock released, or the claim undone on a freed
     * block); with none, the close leaves it to be taken over ({@link #disown}). Returns what to
     * throw.
     */
    private IllegalStateException cutOffClaim(boolean won, long me, long replaced, IllegalStateException e) {
        if (won && !cell.scope().isAlive()) {
            holder = 0;
            nested = 0;
            throughAnotherMapping(same -> same.finishCutOffClaim(me, replaced));
        }
        return closedOrFreed(e);
    }

    /**
     * What to throw for FFM's bare "Already closed" from the cell: the region's "is closed", or
     * this lock's "was freed" when a free of its block (in this process) closed the cell's scope.
     */
    private IllegalStateException closedOrFreed(IllegalStateException e) {
        IllegalStateException translated = closedOr(e);
        if (translated == e && freedQuietly()) {
            IllegalStateException freed = freed();
            freed.initCause(e);
            return ClosedScopes.forgetInterrupt(freed);
        }
        return translated;
    }

    /** {@link #wasFreed()}, false when even that cannot be read (the region's mapping closed). */
    private boolean freedQuietly() {
        try {
            return wasFreed();
        } catch (IllegalStateException unmapped) {
            return false;
        }
    }

    /**
     * A release refused because the cell's scope was closed under a hold of this thread (see
     * {@link #cutOffClaim}): released through another open mapping of the region, if any. Returns
     * what to throw.
     */
    private IllegalStateException cutOffRelease(IllegalStateException e) {
        if (!cell.scope().isAlive()) {
            long me = ThreadToken.current();
            throughAnotherMapping(same -> same.finishCutOffRelease(me));
        }
        return closedOr(e);
    }

    /**
     * Runs {@code work} on this lock reached through another open mapping of its region's file in
     * this process, while that mapping cannot close: its close would otherwise unmap the cell
     * under the work, or disown (as cut off) the hold the work is finishing. One that closed
     * first is passed over for the next; with none open, the work is left to the next mapping of
     * the file this process opens ({@code SharedMemory.anotherOpenMappingOrLeave}).
     */
    private void throughAnotherMapping(java.util.function.Consumer<SharedLock> work) {
        if (memory == null) {
            return;
        }
        long offset = memory.offsetOf(cell);
        SharedMemory other;
        do {
            other = memory.anotherOpenMappingOrLeave(offset, generation, work);
        } while (other != null && !other.withLockAt(offset, generation, work));
    }

    /** {@link #cutOffClaim}'s work, on this lock object of the open mapping (which cannot close meanwhile). */
    private void finishCutOffClaim(long me, long replaced) {
        if (ThreadToken.holderOf((long) OWNER.getVolatile(cell, 0L)) != me || isDisowned(cell)) {
            return;
        }
        if (freedFlag() != 0L) {
            claimedFreed(me, replaced);
            return;
        }
        EXTRA_HOLDS.set(cell, 0L, 0);
        OWNER_START.set(cell, 0L, ThreadToken.START);
        releaseOutOfLine = 1;
        releaseThroughCell();
    }

    /** {@link #cutOffRelease}'s work, on this lock object of the open mapping (which cannot close meanwhile). */
    private void finishCutOffRelease(long me) {
        if (ThreadToken.holderOf((long) OWNER.getVolatile(cell, 0L)) == me && !isDisowned(cell) && freedFlag() == 0L) {
            releaseOutOfLine = 1;
            releaseThroughCell();
        }
    }

    /**
     * A claim won on a cell whose block was freed: the owner word is the freed memory's (or a
     * new object's) now, so put back what the claim replaced, and refuse.
     */
    private IllegalStateException claimedFreed(long me, long replaced) {
        OWNER.compareAndSet(cell, 0L, me, replaced);
        return freed();
    }

    private IllegalStateException freed() {
        return new IllegalStateException(where() + " was freed (with the object it belongs to, if any);"
                + " its memory may belong to another object now, so it is not touched");
    }

    /**
     * The rest of {@link #acquire()}: a sampled claim ({@code witness} 0: the compare-and-set
     * won), re-entry, or a wait. Kept out
     * of line and reached now and then even without contention, so that the JIT sees both ways of
     * the branch in {@code acquire()} and compiles this as a call rather than as a trap (see
     * {@link #SAMPLE_MASK}).
     */
    private Held acquireOutOfLine(Thread thread, long witness) {
        if (witness == free) {
            wonOutOfLine(thread);
            firstHold.open = true;
            return firstHold;
        }
        if (holder == thread.threadId()) {
            reenterLocally();
            return new Held(false).opened();
        }
        int outcome = acquireSlowly(thread, false, Long.MAX_VALUE);
        if (outcome == RECOVERED) {
            return new Held(true).opened();
        }
        if (nested == 0 && holder == thread.threadId()) {
            firstHold.open = true;
            return firstHold;
        }
        return new Held(false).opened();
    }

    @Override
    public void lock() {
        Thread thread = Thread.currentThread();
        if (holder == thread.threadId()) {
            reenterLocally();
            return;
        }
        MemorySegment span = this.span;
        if (span == null) {
            lockOutOfLine(thread, claimFreeCell(ThreadToken.of(thread)));
            return;
        }
        long witness = claimFree(span, ThreadToken.of(thread));
        try {
            if (((witness ^ free) | sampled() | staleness(span) | staleWords(span)) == 0L) {
                holder = thread.threadId();
                return;
            }
        } catch (IllegalStateException closed) {
            throw cutOffClaim(witness == free, ThreadToken.of(thread), free, closed);
        }
        lockOutOfLine(thread, witness);
    }

    /**
     * The fast claim won, but out of line (sampled, a freed block, or the cell's owner-private
     * words to rewrite): refuses a freed block, else records the hold.
     */
    private void wonOutOfLine(Thread thread) {
        long me = ThreadToken.of(thread);
        try {
            if (freedFlag() != 0L) {
                throw claimedFreed(me, free);
            }
            claimed(thread);
        } catch (IllegalStateException e) {
            throw cutOffClaim(true, me, free, e);
        }
        releaseOutOfLine = 1;
    }

    /** The rest of {@link #lock()}, out of line as {@link #acquireOutOfLine} is. */
    private void lockOutOfLine(Thread thread, long witness) {
        if (witness == free) {
            wonOutOfLine(thread);
        } else if (freedFlag() != 0L) {
            throw freed();
        } else if (ThreadToken.holderOf(witness) == ThreadToken.of(thread)) {
            reenterThroughCell();
        } else {
            acquireSlowly(thread, false, Long.MAX_VALUE);
        }
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        Thread thread = Thread.currentThread();
        if (holder == thread.threadId()) {
            reenterLocally();
        } else if (claim(thread, ThreadToken.of(thread), free)) {
            return;
        } else if (acquireSlowly(thread, true, Long.MAX_VALUE) == FAILED) {
            // As Lock says and ReentrantLock does: the flag is cleared when the exception is thrown.
            Thread.interrupted();
            throw new InterruptedException();
        }
    }

    /**
     * Takes the lock if it is free at this moment, or adds a hold when this thread holds it.
     * Unlike {@code ReentrantLock.tryLock()} it does not barge past a reservation for a thread
     * that has waited long (the anti-starvation rule, docs/LOCK.md), unless this object has seen
     * the reservation stand for 100 ms: then the waiters it was made for are gone.
     *
     * @return whether the lock was taken
     */
    @Override
    public boolean tryLock() {
        Thread thread = Thread.currentThread();
        if (holder == thread.threadId()) {
            reenterLocally();
            return true;
        }
        long me = ThreadToken.of(thread);
        if (claim(thread, me, free)) {
            return true;
        }
        if (holdsThroughCell(me)) {
            return reenterThroughCell();
        }
        return takeAbandonedReservation(thread, me);
    }

    /**
     * A reservation for long waiters ({@link #handOff()}) is left alone while it is fresh: a live
     * long waiter looks at least every millisecond and takes it. One that this object has seen
     * standing for {@link #ABANDONED_RESERVATION_NANOS} was left by waiters that are gone (killed
     * while they waited), and is taken like a free lock, as a blocking acquisition would after
     * the same time; else {@code tryLock} would fail for as long as nobody blocks on the lock.
     * The clock is this object's, since the cell has no word for it: taking a reservation early
     * costs a long waiter its turn, never mutual exclusion.
     */
    private boolean takeAbandonedReservation(Thread thread, long me) {
        if ((long) OWNER.getVolatile(cell, 0L) != ThreadToken.RESERVED) {
            reservationSeenAt = 0;
            return false;
        }
        long now = System.nanoTime();
        long seenAt = reservationSeenAt;
        if (seenAt == 0) {
            reservationSeenAt = now | 1;
            return false;
        }
        return now - seenAt >= ABANDONED_RESERVATION_NANOS && claim(thread, me, ThreadToken.RESERVED);
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (tryLock()) {
            return true;
        }
        long nanos = unit.toNanos(time);
        if (nanos <= 0) {
            return false;
        }
        boolean acquired = acquireSlowly(Thread.currentThread(), true, System.nanoTime() + nanos) != FAILED;
        if (!acquired && Thread.interrupted()) {
            throw new InterruptedException();
        }
        return acquired;
    }

    /**
     * Releases one hold.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock, naming
     *     the thread that does
     */
    @Override
    public void unlock() {
        if (holder == Thread.currentThread().threadId()) {
            if (nested == 0) {
                holder = 0;
                release();
            } else {
                nested--;
            }
        } else {
            unlockThroughCell();
        }
    }

    /**
     * The last local hold is gone: hand a hold recorded in the cell back, or free the lock (with
     * waiters registered, {@link #freeCellOutOfLine()} does the rest). The uncontended release is
     * one read of {@code extra_holds} and {@code waiters} together, one branch and one release
     * store, with no full fence (see {@link #MAX_SLEEP_NANOS}).
     *
     * <p>Why one branch: the JIT compiles a branch that warm-up never took as a trap, and the first
     * contended release then throws the caller's whole compiled loop back to the interpreter until
     * it is compiled again (milliseconds on a busy machine, each time). Contention flips only this
     * branch here (and only the compare-and-set's in {@link #acquire()}); everything that depends
     * on waiters is out of line. A hand-off request comes from a registered waiter, so with no
     * waiters there is none to honour (one that raced in is lost; its waiter asks again).
     */
    private void release() {
        try {
            releaseThroughCell();
        } catch (IllegalStateException e) {
            if (freedQuietly()) {
                // A free of the block closed the cell's scope under this release, after its store:
                // free claims the lock first and never while it is held, so the hold is given back.
                ClosedScopes.forgetInterrupt(e);
                return;
            }
            throw cutOffRelease(e);
        }
    }

    /** {@link #release()}'s work: refused by FFM, touching nothing, when the cell's scope is closed. */
    private void releaseThroughCell() {
        MemorySegment span = this.span;
        if (span != null) {
            // A plain read: loads before a release store stay before it, which is all the read
            // needs. (An opaque read is a memory barrier to C2, after which FFM checks the span
            // again for the store: 5% of the locked increments with one process.) A waiter that
            // registers after the read, whichever way it is made, sleeps at most MAX_SLEEP_NANOS.
            long words = (long) SPAN_HOLDS_AND_WAITERS.get(span, 0L);
            // One branch: "a recorded hold or waiters" and "sampled" (see SAMPLE_MASK) in one word.
            if (((words & RELEASE_MASK) | releaseOutOfLine) == 0L) {
                SPAN_OWNER.setRelease(span, 0L, free);
                return;
            }
        }
        releaseOutOfLine = 0;
        if ((int) EXTRA_HOLDS.get(cell, 0L) != 0) {
            releaseRecordedHold();
            return;
        }
        freeCellOutOfLine();
    }

    /**
     * Frees the lock, or hands it to a long waiter that asked for it, and wakes a sleeper if one
     * is registered. Also reached now and then without waiters (see {@link #SAMPLE_MASK}).
     *
     * <p>Everything written to the cell is written before the store that gives it up: once the
     * lock is free, a waiter may take it and release it, and another process may then free the
     * block and reuse its memory, all before this thread's next instruction. So the wake-up is
     * announced in {@code wakeups} while the lock is still held, and only the system call, which
     * writes nothing, comes after. (A waiter that reads {@code wakeups} between the two and then
     * sleeps on it may miss that call; it finds the lock free when its sleep of at most 1 ms ends.)
     *
     * <p>The looks at {@code owner}, {@code waiters} and {@code wakeups} are plain reads, as the
     * fast release's is: loads before the release store stay before it, and an opaque or volatile
     * read is a memory barrier to C2, after which FFM checks the cell again for each access (with
     * waiters registered, nearly every release comes here: 10.5 against 11.4 ns a release, +8%
     * locked increments with 4 processes). What one of them misses, a request or a registration
     * made at that moment, is what the fast release may miss too: a hand-off request is asked
     * again, a sleeper wakes within {@link #MAX_SLEEP_NANOS}.
     */
    private void freeCellOutOfLine() {
        if (((long) OWNER.get(cell, 0L) & ThreadToken.HANDOFF) != 0) {
            handOff();
            return;
        }
        boolean wake = ((int) WAITERS.get(cell, 0L) & COUNT_MASK) != 0 && announceWakeUp();
        OWNER.setRelease(cell, 0L, free);
        if (wake) {
            Waiting.wake(cell, WAKEUPS_OFFSET);
        }
    }

    /**
     * A waiter waited too long and asked for the lock: leave it reserved, so that newcomers
     * cannot barge past, and wake every sleeper so that a long waiter takes it at once. The
     * wake-up word moves first, while the lock is held (see {@link #freeCellOutOfLine()}).
     */
    private void handOff() {
        WAKEUPS.getAndAdd(cell, 0L, 2);
        OWNER.setVolatile(cell, 0L, ThreadToken.RESERVED);
        Waiting.wakeAll(cell, WAKEUPS_OFFSET);
    }

    /**
     * An unlock by a thread that holds no hold through this object: it may hold the lock through
     * another {@code SharedLock} object for the same cell (a second attach of the same struct),
     * whose re-entry this object recorded in the cell's {@code extra_holds}.
     */
    private void unlockThroughCell() {
        long me = ThreadToken.current();
        long owner = ThreadToken.holderOf(ownerWord());
        if (owner == me && freedFlag() != 0L) {
            // Read from memory that is not this lock any more: a hold of the lock would have kept it.
            throw freed();
        }
        if (owner != me) {
            throw new IllegalMonitorStateException("unlock of " + where() + " by " + ThreadToken.describe(me)
                    + ", but the lock is held by " + describeOwner(owner));
        }
        release();
    }

    /** Drops one hold recorded in the cell; a negative count is corrupt, reset so that the lock can still be freed. */
    private void releaseRecordedHold() {
        int extra = (int) EXTRA_HOLDS.get(cell, 0L);
        if (extra > 0) {
            EXTRA_HOLDS.set(cell, 0L, extra - 1);
            return;
        }
        EXTRA_HOLDS.set(cell, 0L, 0);
        release();
        throw new InvalidRegionException(where() + " is corrupt: extra_holds was " + extra
                + " (negative); reset to 0 and the lock released");
    }

    /**
     * Announces a wake-up of one sleeper by making {@code wakeups} odd, unless one is already on
     * its way: a busy lock released over and over then costs one system call per wake-up, not one
     * per release. Changing the word also keeps a waiter that is about to sleep from sleeping
     * through the release. Called while the cell is still this thread's to write (see
     * {@link #freeCellOutOfLine()}); returns whether the caller must then wake a sleeper.
     */
    private boolean announceWakeUp() {
        int word = (int) WAKEUPS.get(cell, 0L);
        if ((word & 1) == 0) {
            unansweredSince = 0;
            return WAKEUPS.compareAndSet(cell, 0L, word, word + 1);
        }
        noticeUnansweredWakeUp();
        return false;
    }

    /**
     * A wake-up is on its way and no waiter has taken the lock since. Live waiters look at least
     * every millisecond, so when that lasts, the registered waiters are likely gone (killed while
     * asleep): start the count again, and the live ones register anew on their next look.
     * Looks at the clock only on every 64th such release.
     */
    private void noticeUnansweredWakeUp() {
        if (unansweredSince == 0) {
            unansweredSince = System.nanoTime() | 1;
            unansweredReleases = 0;
        } else if ((++unansweredReleases & 63) == 0 && System.nanoTime() - unansweredSince > STALE_WAKE_UP_NANOS) {
            restartCount((int) WAITERS.getVolatile(cell, 0L));
            unansweredSince = 0;
        }
    }

    /** Sets the waiter count to 0 in a new generation, unless it changed from {@code seen}. */
    private boolean restartCount(int seen) {
        return WAITERS.compareAndSet(cell, 0L, seen, restarted(seen));
    }

    /** The count word started again from {@code seen}: count 0, the next generation. */
    private static int restarted(int seen) {
        // Generation 0 is never started again: a cell's count only reads 0 there before its first
        // use or when its memory is not a lock any more (see Registration.register).
        return Math.max(1, ((seen >>> 16) + 1) & 0xFFFF) << 16;
    }

    /**
     * Whether the calling thread holds this lock.
     *
     * @return whether the calling thread holds it
     * @throws IllegalStateException if the lock was freed, in any process, or its region closed here
     */
    public boolean isHeldByCurrentThread() {
        return holder == Thread.currentThread().threadId() || ThreadToken.holderOf(ownerWord()) == ThreadToken.current();
    }

    /**
     * The owner word, for the questions asked of the lock: a cell freed (in any process) or
     * unmapped in this process is refused by name ("was freed", "region ... is closed"), as a
     * claim is, rather than with FFM's bare "Already closed" or a word of another object.
     */
    private long ownerWord() {
        long word;
        try {
            word = (long) OWNER.getVolatile(cell, 0L);
        } catch (IllegalStateException e) {
            throw closedOrFreed(e);
        }
        if (freedFlag() != 0L) {
            // Freed in another process (or without native access): the word read is the memory's
            // next owner's, perhaps a lock this very thread holds; it says nothing of this lock.
            throw freed();
        }
        return word;
    }

    /**
     * Whether the lock is not free at this moment: held by a thread of any process, or reserved
     * for a thread that has waited long for it (which newcomers do not take, see {@link #tryLock()}).
     *
     * @return whether it is held or reserved
     * @throws IllegalStateException if the lock was freed, in any process, or its region closed here
     */
    public boolean isLocked() {
        return ownerWord() != free;
    }

    /**
     * The token of the thread of this process that holds the lock cell {@code cell}, or 0: a
     * token with this process's id and {@code owner_start} this process's start time (not a dead
     * earlier process whose id this one reuses).
     */
    static long holderInThisProcess(MemorySegment cell) {
        long holder = ThreadToken.holderOf((long) OWNER.getVolatile(cell, 0L));
        boolean ours = (holder & ThreadToken.FREE_TAG) == 0 && holder != 0 && ThreadToken.pidOf(holder) == ThreadToken.PID
                && (long) OWNER_START.getVolatile(cell, 0L) == ThreadToken.START;
        return ours ? holder : 0;
    }

    /**
     * Leaves the cell {@code cell}, held by a thread of this process that can never release it
     * (close cut it off, see {@code SharedMemory.close}), to be taken over as a dead owner's:
     * its {@code owner_start} stops being this process's start time, so waiters in other
     * processes take the owner for a reused pid and, after a second, take the lock over, told
     * that the previous owner died. A compare-and-set from this process's start time, or from 0
     * (see {@link #claimedInThisProcess}): a cell released and claimed by another process
     * meanwhile keeps that process's.
     */
    static void disown(MemorySegment cell) {
        if (!OWNER_START.compareAndSet(cell, 0L, ThreadToken.START, ~ThreadToken.START)) {
            OWNER_START.compareAndSet(cell, 0L, 0L, ~ThreadToken.START);
        }
    }

    /** The owner word of the lock cell at {@code offset} of {@code region}: negative when free (see {@link ThreadToken#free}). */
    static long ownerWordAt(MemorySegment region, long offset) {
        return (long) OWNER.getVolatile(region, offset);
    }

    /**
     * Whether the cell names a thread of this process with the start time {@link #disown} leaves:
     * a hold this process can never release, to be taken over (by this process too).
     */
    static boolean isDisowned(MemorySegment cell) {
        long holder = ThreadToken.holderOf((long) OWNER.getVolatile(cell, 0L));
        return (holder & ThreadToken.FREE_TAG) == 0 && holder != 0 && ThreadToken.pidOf(holder) == ThreadToken.PID
                && (long) OWNER_START.getVolatile(cell, 0L) == ~ThreadToken.START;
    }

    /**
     * What close's look for cut-off holds finds: as {@link #holderInThisProcess}, and also a
     * claim of this process whose start time was never recorded ({@code owner_start} still 0: a
     * cell last held by a peer that cannot read start times, or never claimed in a file made
     * before new cells got their allocator's start time, see {@link #prepareCell}). That is a
     * claim whose compare-and-set was made and whose store of the start time after it was
     * refused as the scope closed; other processes take an owner with no start time for a live
     * one (0 is what a peer that cannot read start times records), so it is disowned too.
     */
    static long claimedInThisProcess(MemorySegment cell) {
        long holder = holderInThisProcess(cell);
        if (holder != 0) {
            return holder;
        }
        holder = ThreadToken.holderOf((long) OWNER.getVolatile(cell, 0L));
        boolean ours = (holder & ThreadToken.FREE_TAG) == 0 && holder != 0 && ThreadToken.pidOf(holder) == ThreadToken.PID
                && (long) OWNER_START.getVolatile(cell, 0L) == 0L;
        return ours ? holder : 0;
    }

    /** Whether the lock was released for a long waiter, which has not taken it yet. */
    boolean isReserved() {
        return (long) OWNER.getVolatile(cell, 0L) == ThreadToken.RESERVED;
    }

    /**
     * How many times the calling thread holds this lock; 0 when it does not.
     *
     * @return the calling thread's holds
     * @throws IllegalStateException if the lock was freed, in any process, or its region closed here
     */
    public int holdCount() {
        if (ThreadToken.holderOf(ownerWord()) != ThreadToken.current()) {
            return 0;
        }
        int recorded = Math.max(0, (int) EXTRA_HOLDS.get(cell, 0L));
        return holder == Thread.currentThread().threadId() ? nested + 1 + recorded : recorded + 1;
    }

    /**
     * How many threads, in all processes together, are waiting for this lock (a hint for
     * monitoring). Waiters killed while asleep are not counted for long: when the lock is free
     * and yet waiters are registered, this watches it for some milliseconds (live waiters take a
     * free lock within one) and, if nothing moves, starts the count again.
     *
     * @return the number of waiting threads
     */
    public int waiters() {
        int seen;
        try {
            seen = (int) WAITERS.getVolatile(cell, 0L);
        } catch (IllegalStateException e) {
            throw closedOrFreed(e);
        }
        long word = (long) OWNER.getVolatile(cell, 0L);
        boolean reserved = word == ThreadToken.RESERVED;
        if (!reserved && ((seen & COUNT_MASK) == 0 || word != free)) {
            return seen & COUNT_MASK;
        }
        // A free lock with registered waiters, or a reservation for long waiters: live waiters
        // take either within a sleep (1 ms). Standing unchanged, they were left by waiters that
        // are gone; a reservation is given the time a blocking acquisition gives it.
        long patience = reserved ? ABANDONED_RESERVATION_NANOS : IDLE_WAITERS_NANOS;
        long since = System.nanoTime();
        while (System.nanoTime() - since < patience) {
            java.util.concurrent.locks.LockSupport.parkNanos(500_000);
            int now = (int) WAITERS.getVolatile(cell, 0L);
            if (now != seen || (long) OWNER.getVolatile(cell, 0L) != word) {
                return now & COUNT_MASK;
            }
        }
        // Started again under the lock: a free lock's block may be freed and reused by another
        // process at any moment, and the count must not be written after that.
        Thread thread = Thread.currentThread();
        if (reserved ? claim(thread, ThreadToken.of(thread), word) : tryLock()) {
            try {
                restartCount(seen);
            } finally {
                unlock();
            }
        }
        return (int) WAITERS.getVolatile(cell, 0L) & COUNT_MASK;
    }

    /**
     * How many times, in all processes together, this lock was taken over from an owner that died.
     *
     * @return the number of takeovers
     */
    public int recoveries() {
        try {
            return (int) RECOVERIES.getVolatile(cell, 0L);
        } catch (IllegalStateException e) {
            throw closedOrFreed(e);
        }
    }

    /**
     * How many times this lock was taken over from a dead owner (by any thread of any process)
     * since this {@code SharedLock} object last answered, or since it was made: 0 when nothing
     * happened. A user whose accessors took the lock (they never report a takeover) asks this to
     * learn that the data may have been left half-updated; {@link Structs#recoveriesSinceLastLook}
     * asks it of a struct's lock.
     *
     * @return the number of takeovers since the last call
     */
    public synchronized int recoveriesSinceLastLook() {
        int now = recoveries();
        int since = now - recoveriesSeen;
        recoveriesSeen = now;
        return Math.max(0, since);
    }

    /**
     * The process id of the current owner, or 0 when the lock is free.
     *
     * @return the owner's process id, or 0
     * @throws IllegalStateException if the lock was freed, in any process, or its region closed here
     */
    public long ownerPid() {
        long word = ownerWord();
        return word == free ? 0L : ThreadToken.pidOf(ThreadToken.holderOf(word));
    }

    /** "nobody", "process 12 thread 3", ... for the owner part of an owner word. */
    private String describeOwner(long owner) {
        return ThreadToken.describe(owner == free ? 0L : owner);
    }

    /**
     * A new condition of this lock that works between processes, in a cell of its own in this
     * lock's region (32 bytes, kept until {@link SharedMemory#free} frees the condition; freeing
     * the lock's object does not free its conditions).
     * Another process finds it with {@link #condition(long)} and {@link SharedCondition#id()}.
     *
     * @throws RegionFullException if the region has no room for the condition's cell
     * @throws IllegalStateException if this lock was freed (nobody could signal the condition)
     */
    @Override
    public SharedCondition newCondition() {
        requireNotFreed();
        SharedLock cell = memory.newLock();
        if (freedFlag() != 0L) {
            // Freed by another thread or process meanwhile: nobody could signal the condition.
            memory.free(cell);
            throw freed();
        }
        return SharedCondition.made(this, cell);
    }

    /**
     * The condition of this lock whose {@link SharedCondition#id()} is {@code id}, made by
     * {@link #newCondition()} in any process.
     *
     * @param id a condition's {@link SharedCondition#id()}, from any process
     * @return the condition
     * @throws IllegalArgumentException if {@code id} names no condition cell of this region, or
     *     the cell of a condition of another lock
     * @throws IllegalStateException if this lock was freed
     */
    public SharedCondition condition(long id) {
        requireNotFreed();
        return SharedCondition.found(this, memory.lockAt(id), id);
    }

    /** Whether this lock's block (or cell) was freed, in any process. */
    boolean wasFreed() {
        return freedFlag() != 0L;
    }

    /**
     * Refuses a lock whose block was freed, in any process ("was freed"), for the condition
     * operations, which look at the lock's cell only through its block's generation.
     */
    void requireNotFreed() {
        long freedFlag;
        try {
            freedFlag = freedFlag();
        } catch (IllegalStateException unmapped) {
            throw closedOr(unmapped); // the region's mapping, which the generation is read through, is closed
        }
        if (freedFlag != 0L) {
            throw freed();
        }
    }

    /**
     * Releases every hold of the calling thread for a condition wait, and returns what
     * {@link #reacquire} needs to restore them: how many there were, and (bit 32) whether the
     * reused first-hold handle was open. The handle is closed meanwhile: another thread of this
     * JVM may take the lock and get the same handle while this one waits, and its close must not
     * leave this thread's hold, restored later, without a handle that releases it.
     */
    long releaseFully() {
        if (holder != Thread.currentThread().threadId() || (int) EXTRA_HOLDS.get(cell, 0L) != 0) {
            throw new IllegalMonitorStateException("await on a condition of " + where()
                    + " must hold the lock through the SharedLock object the condition belongs to");
        }
        long saved = (nested + 1L) | (firstHold.open ? 1L << 32 : 0L);
        firstHold.open = false;
        nested = 0;
        holder = 0;
        release();
        return saved;
    }

    /**
     * Readies a newly allocated (zeroed) cell of a block: free at the block's generation (see
     * {@link #free}), and its waiter count at a count generation that is never 0 and depends on
     * the block's generation, so that a cell made where a freed one was rarely starts at the
     * count generation of the old one (see {@code Registration}).
     *
     * <p>Its {@code owner_start} is this process's start time, as if this process had held it
     * last: a claim writes its own only after its compare-and-set, and a claimant killed between
     * the two would otherwise leave 0, which waiters read as "start time unknown, trust the pid"
     * and so wait forever once that pid names a newer process. With a start time recorded they
     * tell that process apart and take the lock over, as from any cell held before.
     *
     * @param cell the new cell
     * @param generation the generation of the block the cell starts
     */
    static void prepareCell(MemorySegment cell, long generation) {
        OWNER_START.set(cell, 0L, ThreadToken.START);
        WAITERS.setVolatile(cell, 0L, firstCountGeneration(generation) << 16);
        OWNER.setVolatile(cell, 0L, ThreadToken.free(generation));
    }

    /** 1 to 65,535, from the block's generation: the count generation a new cell of that block starts at. */
    static int firstCountGeneration(long blockGeneration) {
        return 1 + (int) Long.remainderUnsigned(blockGeneration, COUNT_MASK);
    }

    /**
     * For {@code free}: takes the lock, free and without waiters, for good, so that no thread of
     * any process can claim it while its block is freed (a claim looks at the block afterwards
     * too, see {@link #block}). The block's memory is the allocator's after that; only a refused
     * free gives the lock back, with {@link #cancelFreeClaim()}.
     *
     * @return whether the lock was free, without registered waiters, and is now claimed
     */
    boolean claimForFree() {
        if (!OWNER.compareAndSet(cell, 0L, free, ThreadToken.current())) {
            return false;
        }
        if (((int) WAITERS.getVolatile(cell, 0L) & COUNT_MASK) != 0) {
            cancelFreeClaim();
            return false;
        }
        return true;
    }

    /** Gives back a lock that {@link #claimForFree()} took, for a free that was refused. */
    void cancelFreeClaim() {
        boolean wake = ((int) WAITERS.getVolatile(cell, 0L) & COUNT_MASK) != 0 && announceWakeUp();
        OWNER.setVolatile(cell, 0L, free);
        if (wake) {
            Waiting.wake(cell, WAKEUPS_OFFSET);
        }
    }

    /** Takes the lock back after a condition wait, with the holds {@link #releaseFully} saved. */
    void reacquire(long saved) {
        lock();
        nested = (int) saved - 1;
        firstHold.open = (saved >>> 32) != 0;
    }

    /** Two {@code SharedLock} objects are equal when they use the same cell of the same region. */
    @Override
    public boolean equals(Object other) {
        return other instanceof SharedLock that && that.memory == memory && that.cell.address() == cell.address();
    }

    @Override
    public int hashCode() {
        return Long.hashCode(cell.address());
    }

    @Override
    public String toString() {
        long word;
        try {
            word = ownerWord();
        } catch (IllegalStateException gone) {
            // A description must not throw: say why there is no state to show.
            return "SharedLock[" + gone.getMessage() + "]";
        }
        return "SharedLock[" + (word == free ? "unlocked" : word == ThreadToken.RESERVED ? "reserved for a long waiter"
                : "held by " + describeOwner(ThreadToken.holderOf(word))) + "]";
    }

    /** The lock for messages: its region and the cell's offset there. */
    String where() {
        if (memory == null) {
            return "lock at address " + cell.address();
        }
        String offset;
        try {
            offset = Long.toString(memory.offsetOf(this));
        } catch (RuntimeException e) {
            offset = "?";
        }
        return "lock at offset " + offset + " of region " + memory.path();
    }

    /**
     * Just claimed, out of line (the fast paths of {@link #acquire()} and {@link #lock()} store
     * only the holder when {@link #staleWords()} finds the cell's words right): records the holder
     * and rewrites the owner-private words of the cell, plain stores to the line the
     * compare-and-set just took. Also what resets a cell whose words a dead or corrupt owner left.
     */
    private void claimed(Thread thread) {
        holder = thread.threadId();
        nested = 0;
        EXTRA_HOLDS.set(cell, 0L, 0);
        OWNER_START.set(cell, 0L, ThreadToken.START);
    }

    /** The id of the thread of this JVM that holds the lock through this object, 0 for none. */
    long holderId() {
        return holder;
    }

    /** Whether the calling thread holds the lock through this object: a field read, no shared memory. */
    boolean isHeldHere() {
        return holder == Thread.currentThread().threadId();
    }

    private void reenterLocally() {
        if (nested == Integer.MAX_VALUE - 1) {
            throw new Error("maximum lock count exceeded");
        }
        nested++;
    }

    /**
     * Whether the owner word names {@code me}: this thread holds the lock through another
     * {@code SharedLock} object for the cell. The block is looked at after the word is read
     * (refusing with "was freed"): a generation unchanged since that read means the word was the
     * live cell's, and a lock this thread holds keeps its block from being freed; read from
     * memory that was freed and reused, a word equal to {@code me} would otherwise send the
     * caller writing there.
     */
    private boolean holdsThroughCell(long me) {
        // A cell disowned in this thread's name is a hold cut off or copied, not one to re-enter.
        boolean named = ThreadToken.holderOf((long) OWNER.getVolatile(cell, 0L)) == me && !isDisowned(cell);
        if (freedFlag() != 0L) {
            throw freed();
        }
        return named;
    }

    /** The calling thread owns the cell through another {@code SharedLock} object: record the hold in the cell. */
    private boolean reenterThroughCell() {
        int extra = (int) EXTRA_HOLDS.get(cell, 0L);
        if (extra == Integer.MAX_VALUE) {
            throw new Error("maximum lock count exceeded");
        }
        EXTRA_HOLDS.set(cell, 0L, Math.max(0, extra) + 1);
        return true;
    }

    private boolean tryTakeFree(Thread thread, long me) {
        return (long) OWNER.getVolatile(cell, 0L) == free && claim(thread, me, free);
    }

    /**
     * Takes the lock if its owner word is {@code expected}; refuses a cell whose block was freed
     * before or while the claim was made (see {@link #block}). From {@link #free} the
     * compare-and-set alone would do; {@code RESERVED} and a dead owner's token carry no
     * generation, so for them the looks before and after are what keeps freed memory untouched.
     */
    private boolean claim(Thread thread, long me, long expected) {
        boolean won;
        try {
            if (freedFlag() != 0L) {
                throw freed();
            }
            won = OWNER.compareAndSet(cell, 0L, expected, me);
        } catch (IllegalStateException e) {
            throw closedOr(e);
        }
        if (!won) {
            return false;
        }
        try {
            if (freedFlag() != 0L) {
                throw claimedFreed(me, expected);
            }
            claimed(thread);
        } catch (IllegalStateException e) {
            throw cutOffClaim(true, me, expected, e);
        }
        return true;
    }

    /**
     * Spins, then sleeps on the wake-up word, looking now and then at whether the owner died.
     * Returns ACQUIRED, RECOVERED (taken over from a dead owner), or FAILED on interrupt (when
     * asked) or at the deadline. An uninterruptible wait keeps sleeping through an interrupt and
     * restores the flag when it returns.
     */
    private int acquireSlowly(Thread thread, boolean interruptible, long deadline) {
        try {
            return waitAndTake(thread, interruptible, deadline);
        } catch (IllegalStateException e) {
            // The caller did not hold the lock through this object, so a hold recorded here now
            // was claimed in this wait, and what the closed scope refused came after the claim.
            if (holder == thread.threadId() && !cell.scope().isAlive()) {
                holder = 0;
                nested = 0;
                throw cutOffRelease(e);
            }
            throw closedOrFreed(e);
        }
    }

    private int waitAndTake(Thread thread, boolean interruptible, long deadline) {
        if (holder == thread.threadId()) {
            reenterLocally();
            return ACQUIRED;
        }
        long me = ThreadToken.of(thread);
        if (holdsThroughCell(me)) {
            reenterThroughCell();
            return ACQUIRED;
        }
        // Back off between looks: every look pulls the cell's cache line away from the holder.
        for (int i = 0, pause = 1; i < SPINS; i += pause, pause = Math.min(pause * 2, MAX_PAUSE)) {
            if (tryTakeFree(thread, me)) {
                return ACQUIRED;
            }
            for (int p = 0; p < pause; p++) {
                Thread.onSpinWait();
            }
        }
        boolean interrupted = false;
        boolean askedForHandOff = false;
        int outcome = FAILED;
        if (freedFlag() != 0L) {
            throw freed();
        }
        Registration registration = new Registration();
        try {
            OwnerWatch watch = new OwnerWatch();
            long since = System.nanoTime();
            long reservedSince = 0;
            for (int round = 0; ; round++) {
                if (freedFlag() != 0L) {
                    // Freed while this thread waited (free claimed the lock first): the cell is not a lock any more.
                    throw freed();
                }
                registration.renew();
                int seen = (int) WAKEUPS.getVolatile(cell, 0L);
                long now = System.nanoTime();
                boolean starving = now - since >= STARVING_NANOS;
                long word = (long) OWNER.getVolatile(cell, 0L);
                if (word == ThreadToken.RESERVED) {
                    // Reserved for long waiters; anyone may take it once they all seem to have left.
                    reservedSince = reservedSince == 0 ? now | 1 : reservedSince;
                    if ((starving || now - reservedSince >= ABANDONED_RESERVATION_NANOS) && claim(thread, me, word)) {
                        endWakeUp();
                        return outcome = ACQUIRED;
                    }
                } else {
                    reservedSince = 0;
                    if (tryTakeFree(thread, me)) {
                        endWakeUp();
                        return outcome = ACQUIRED;
                    }
                    if (starving && (word & ThreadToken.HANDOFF) == 0 && ThreadToken.isValid(word, MAX_PID)) {
                        // (Only of a real owner: a corrupt word turned RESERVED would be taken as a hand-off,
                        // not over, and its takeover would go unreported.)
                        // Newcomers keep barging past: ask the owner to hand the lock over on release.
                        askedForHandOff |= askForHandOff(word);
                    }
                }
                if (Thread.currentThread().isInterrupted()) {
                    if (interruptible) {
                        return FAILED;
                    }
                    // Parking returns at once while the flag is set: keep it aside so that this wait still sleeps.
                    interrupted |= Thread.interrupted();
                }
                if (deadline != Long.MAX_VALUE && now - deadline >= 0) {
                    return FAILED;
                }
                if (watch.ownerIsGone(now) && takeOver(watch.owner, thread, me)) {
                    endWakeUp();
                    return outcome = RECOVERED;
                }
                if ((seen & 1) != 0 && freedSoon()) {
                    continue;
                }
                long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - now;
                Waiting.await(cell, WAKEUPS_OFFSET, seen, Math.min(left, MAX_SLEEP_NANOS), round);
            }
        } finally {
            // Withdraw while still counted: a registered waiter keeps free from freeing the block.
            if (outcome == FAILED && askedForHandOff && freedFlag() == 0L) {
                withdrawHandOff();
            }
            if (freedFlag() == 0L) {
                registration.end();
            }
            if (interrupted) {
                thread.interrupt();
            }
        }
    }

    /**
     * Whether the lock turns free within a short spin. A waiter that read {@code wakeups} odd may
     * have read it between a release's announcement of its wake-up and its store of the free word
     * (see {@link #freeCellOutOfLine()}); if it slept now, the wake-up could come before its
     * sleep, and it would sleep the whole 1 ms while the lock is free. Looking for a few
     * microseconds first catches that store.
     */
    private boolean freedSoon() {
        for (int i = 0, pause = 1; i < SPINS; i += pause, pause = Math.min(pause * 2, MAX_PAUSE)) {
            if ((long) OWNER.getVolatile(cell, 0L) == free) {
                return true;
            }
            for (int p = 0; p < pause; p++) {
                Thread.onSpinWait();
            }
        }
        return false;
    }

    /**
     * A waiter that asked for a hand-off gives up (deadline, interrupt): take the request back,
     * or free a lock already reserved, so that the lock does not stay reserved for nobody. Other
     * long waiters ask again on their next look.
     */
    private void withdrawHandOff() {
        long word = (long) OWNER.getVolatile(cell, 0L);
        if (freedFlag() != 0L) {
            // Looked at after the read: the word is not this lock's any more, leave it.
            return;
        }
        if (word == ThreadToken.RESERVED) {
            // Announced before the lock is freed, as a release does (see freeCellOutOfLine).
            boolean wake = announceWakeUp();
            if (OWNER.compareAndSet(cell, 0L, word, free) && wake) {
                Waiting.wake(cell, WAKEUPS_OFFSET);
            }
        } else if ((word & ThreadToken.HANDOFF) != 0) {
            OWNER.compareAndSet(cell, 0L, word, ThreadToken.holderOf(word));
        }
    }

    /**
     * {@code CAS(owner, word, word | HANDOFF)}, looking at the block after it like a claim: the
     * word was read before this thread's last look at the block, so it may be a reused block's
     * bytes that happen to read as a token; the bit is then taken back and the wait refused.
     */
    private boolean askForHandOff(long word) {
        long asked = word | ThreadToken.HANDOFF;
        if (!OWNER.compareAndSet(cell, 0L, word, asked)) {
            return false;
        }
        if (freedFlag() != 0L) {
            OWNER.compareAndSet(cell, 0L, asked, word);
            throw freed();
        }
        return true;
    }

    /**
     * One waiter's place in the {@code waiters} count. The count has a generation in its high
     * half: when it is started again (its waiters seemed gone), a live waiter notices the new
     * generation on its next look and registers anew, and leaving never takes away a place of
     * another generation.
     */
    private final class Registration {
        private int generation;

        Registration() {
            register();
        }

        /**
         * Counts this waiter in with a compare-and-set from the word it read, never a blind add: a
         * cell of a block starts at a count generation that is not 0 ({@link #prepareCell}) and
         * never goes back to 0, while freed memory often reads 0 there (the high half of a free
         * block's {@code prev} link). So a waiter whose block was freed and reused between its
         * look at the block and this store fails the compare-and-set, or sees the block gone
         * right after it and takes its +1 back, and throws.
         */
        private void register() {
            while (true) {
                int seen = (int) WAITERS.getVolatile(cell, 0L);
                if (freedFlag() != 0L) {
                    throw freed();
                }
                // 65,535 waiters already, or a corrupt count: start again rather than carry into the generation.
                boolean restart = (seen & COUNT_MASK) == COUNT_MASK;
                int next = restart ? restarted(seen) : seen + 1;
                if (WAITERS.compareAndSet(cell, 0L, seen, next)) {
                    if (freedFlag() != 0L) {
                        // Not a lock any more: take the change back, unless the new owner of the memory wrote there since.
                        WAITERS.compareAndSet(cell, 0L, next, seen);
                        throw freed();
                    }
                    if (!restart) {
                        generation = seen >>> 16;
                        return;
                    }
                }
            }
        }

        void renew() {
            if (((int) WAITERS.getVolatile(cell, 0L) >>> 16) != generation) {
                register();
            }
        }

        /**
         * Leaves the count. A waiter that gives up holds nothing that keeps the block from being
         * freed once the count no longer holds it (it was started again), so a -1 that lands after
         * a free is taken back, as {@link #register()} does with its +1.
         */
        void end() {
            for (int i = 0; i < 1_000; i++) {
                int now = (int) WAITERS.getVolatile(cell, 0L);
                if ((now >>> 16) != generation || (now & COUNT_MASK) == 0) {
                    return;
                }
                if (WAITERS.compareAndSet(cell, 0L, now, now - 1)) {
                    if (freedFlag() != 0L) {
                        WAITERS.compareAndSet(cell, 0L, now - 1, now);
                    }
                    return;
                }
            }
        }
    }

    /**
     * A waiter got the lock: the wake-up on its way (if any) has done its job, and the next
     * release may wake the next sleeper. A woken waiter that did not get the lock leaves the word
     * odd and sleeps again: releases meanwhile cost no system call, so a busy holder is not slowed
     * by a waiter that keeps waking up and failing (it then looks again after at most 1 ms).
     */
    private void endWakeUp() {
        int word = (int) WAKEUPS.getVolatile(cell, 0L);
        if ((word & 1) != 0) {
            WAKEUPS.compareAndSet(cell, 0L, word, word + 1);
        }
    }

    /** Takes the lock from {@code deadOwner}, unless someone else changed it in between; resets every field a claim owns. */
    private boolean takeOver(long deadOwner, Thread thread, long me) {
        if (!claim(thread, me, deadOwner)) {
            return false;
        }
        int recoveries = (int) RECOVERIES.getAndAdd(cell, 0L, 1) + 1;
        boolean corrupt = !ThreadToken.isValid(ThreadToken.holderOf(deadOwner), MAX_PID);
        LOG.log(System.Logger.Level.WARNING, () -> (corrupt
                ? "took over " + where() + " whose owner word was corrupt (" + Long.toHexString(deadOwner) + ")"
                : "took over " + where() + " from dead process " + ThreadToken.pidOf(deadOwner)
                        + " (thread " + ThreadToken.threadOf(deadOwner) + ")")
                + "; what it guards may be half-updated; recoveries of this lock: " + recoveries);
        return true;
    }

    /** What one waiter has seen of the owner's process, so that a reused process id is judged over time. */
    private final class OwnerWatch {
        private long nextCheck = System.nanoTime() + OWNER_CHECK_NANOS;
        private long owner;
        private long otherSince;
        private long otherOwner;
        private long otherStart;

        /** Whether the current owner's process is gone; looks at most every {@link #OWNER_CHECK_NANOS}. */
        boolean ownerIsGone(long now) {
            if (now - nextCheck < 0) {
                return false;
            }
            nextCheck = now + OWNER_CHECK_NANOS;
            owner = (long) OWNER.getVolatile(cell, 0L);
            if (owner == free || owner == ThreadToken.RESERVED) {
                return false;
            }
            if (!ThreadToken.isValid(ThreadToken.holderOf(owner), MAX_PID)) {
                // No process could have written this word: take it over rather than wait forever.
                return true;
            }
            long pid = ThreadToken.pidOf(owner);
            if (pid == ThreadToken.PID) {
                // A thread of this process that died holding the lock cannot be told from a slow one;
                // a hold this process disowned (cut off by a close, or copied with the file) is gone.
                return isDisowned(cell);
            }
            long recordedStart = (long) OWNER_START.getVolatile(cell, 0L);
            return switch (ProcessLiveness.of(pid, recordedStart)) {
                case DEAD -> true;
                case ALIVE -> {
                    otherOwner = 0;
                    yield false;
                }
                case OTHER_PROCESS -> {
                    if (owner != otherOwner || recordedStart != otherStart) {
                        otherOwner = owner;
                        otherStart = recordedStart;
                        otherSince = now;
                    }
                    yield now - otherSince >= REUSED_PID_GRACE_NANOS;
                }
            };
        }
    }

    /**
     * One acquisition of the lock; closing it releases that acquisition. A first hold gets the
     * lock's own handle (reused, so acquiring allocates nothing); a nested or recovering hold gets
     * one of its own.
     */
    public final class Held implements AutoCloseable {
        private final boolean previousOwnerDied;
        private boolean open;

        private Held(boolean previousOwnerDied) {
            this.previousOwnerDied = previousOwnerDied;
        }

        private Held opened() {
            open = true;
            return this;
        }

        /**
         * The lock this handle holds.
         *
         * @return the lock
         */
        public SharedLock lock() {
            return SharedLock.this;
        }

        /**
         * Whether this acquisition took the lock over from an owner whose process died while
         * holding it: what the lock guards may be half-updated and should be checked or repaired.
         *
         * @return whether it was taken over from a dead owner
         */
        public boolean previousOwnerDied() {
            return previousOwnerDied;
        }

        /**
         * Releases the acquisition; a second call does nothing until the lock is acquired again.
         * A first hold's handle is reused by the next first hold ({@link SharedLock#acquire()}),
         * by this thread or another of this JVM, and then stands for that hold: close each handle
         * once, as try-with-resources does.
         *
         * @throws IllegalMonitorStateException if another thread calls it while the hold it
         *     stands for is open
         */
        @Override
        public void close() {
            if (open) {
                if (!isHeldByCurrentThread()) {
                    throw new IllegalMonitorStateException("a handle of " + where() + " closed by "
                            + ThreadToken.describe(ThreadToken.current()) + ", but the lock is held by "
                            + describeOwner(ThreadToken.holderOf((long) OWNER.getVolatile(cell, 0L))));
                }
                open = false;
                unlock();
            }
        }
    }
}
