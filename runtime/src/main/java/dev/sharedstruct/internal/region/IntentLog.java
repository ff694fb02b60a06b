package dev.sharedstruct.internal.region;

/**
 * The write-ahead intent of a named-object operation, kept in the region header (after PMDK's
 * redo log for fail-atomic allocations): adding a name allocates three blocks (object, layout
 * text, entry) and links the entry; removing one unlinks the entry and frees three blocks. A
 * process killed in between would leak blocks, so the operation is recorded before it changes
 * anything and cleared when it is done; the next process to take the region lock over from the
 * dead one rolls an add back (unless its entry is linked: then it completed) and a removal forward
 * ({@link RegionRepair}). Callers hold the region lock.
 *
 * <p>Single allocations and frees need no intent: their commit point is one store (a block
 * header's state), and the free bins, boundary tags and counters are rebuilt from the block tiling.
 */
public final class IntentLog {
    static final int SLOTS = 3;
    static final long NONE = 0;
    static final long ADD = 1;
    static final long REMOVE = 2;

    private final RegionHeader header;
    /**
     * The blocks this process recorded for its add in progress, as it recorded them: its own
     * roll-back frees these, not what the header's slots say by then (another process may have
     * rewritten them, and a free of a word of the file frees whatever lives there). Callers hold
     * the region lock, which orders the threads of this process too.
     */
    private final long[] recordedHere = new long[SLOTS];
    /** Whether this process's add in progress linked its entry (its commit point) since {@link #beginAdd}. */
    private boolean linkedHere;

    public IntentLog(RegionHeader header) {
        this.header = header;
    }

    /** Starts adding a name: the blocks allocated until {@link #end} are recorded as they are chosen. */
    public void beginAdd() {
        java.util.Arrays.fill(recordedHere, 0);
        linkedHere = false;
        for (int slot = 0; slot < SLOTS; slot++) {
            header.intentBlock(slot, 0);
        }
        header.intent(ADD);
    }

    /** Starts removing the entry {@code entry}, its layout text {@code text} and its object {@code object}. */
    void beginRemove(long entry, long text, long object) {
        header.intentBlock(0, entry);
        header.intentBlock(1, text);
        header.intentBlock(2, object);
        header.intent(REMOVE);
    }

    /**
     * Records a block the allocator is about to claim, before its header changes, so that a
     * kill right after claiming cannot hide it from the roll-back.
     */
    void allocating(long payload) {
        if (header.intent() != ADD) {
            return;
        }
        for (int slot = 0; slot < SLOTS; slot++) {
            if (recordedHere[slot] == 0) {
                recordedHere[slot] = payload;
                header.intentBlock(slot, payload);
                return;
            }
        }
    }

    /** The add in progress linked its entry: it is complete, whatever fails after (see {@link RegionRepair#rollBackAdd}). */
    void linked() {
        linkedHere = true;
    }

    boolean linkedHere() {
        return linkedHere;
    }

    /** What {@link #allocating} recorded in this process since {@link #beginAdd}, by slot (0 for none). */
    long recordedHere(int slot) {
        return recordedHere[slot];
    }

    long operation() {
        return header.intent();
    }

    long block(int slot) {
        return header.intentBlock(slot);
    }

    /** The operation is complete (or rolled back): nothing to repair any more. */
    public void end() {
        if (header.intent() != NONE) {
            header.intent(NONE);
        }
    }
}
