package dev.sharedstruct.internal.region;

/**
 * Repairs what a process killed while holding the region lock left half-done. Called by the
 * process that takes the region lock over from the dead owner, before it does anything else:
 * <ol>
 *   <li>a named-object operation recorded in the {@link IntentLog} is finished: an add whose
 *       entry was not linked yet is rolled back (its blocks freed), a removal is rolled forward
 *       (entry unlinked, its blocks freed);</li>
 *   <li>the free bins, boundary tags, {@code free_bytes} and {@code top} are rebuilt from the block tiling
 *       ({@link Allocator#rebuild}), which covers any allocation or free cut short;</li>
 *   <li>the directory's back links and name index are rebuilt from its entry chain
 *       ({@link Directory#rebuildIndex}).</li>
 * </ol>
 * Both steps are idempotent, so a repairer killed half-way is repaired again by the next one.
 * The same repair runs when a C or Python peer took the region lock over and left it owed
 * ({@code repair_requested} in the header): peers only read the metadata and do not repair.
 */
public final class RegionRepair {
    private final Allocator allocator;
    private final Directory directory;
    private final IntentLog intent;
    private final RegionHeader header;

    public RegionRepair(Allocator allocator, Directory directory, IntentLog intent, RegionHeader header) {
        this.header = header;
        this.allocator = allocator;
        this.directory = directory;
        this.intent = intent;
    }

    void afterDeadOwner() {
        long operation = intent.operation();
        if (operation == IntentLog.ADD) {
            long entry = intent.block(IntentLog.SLOTS - 1);
            if (entry == 0 || !directory.contains(entry)) {
                markAllFree();
            }
        } else if (operation == IntentLog.REMOVE) {
            directory.unlinkIfPresent(intent.block(0));
            markAllFree();
        }
        allocator.rebuild();
        directory.rebuildIndex();
        intent.end();
        header.repairDone();
    }

    /** Whether a peer's takeover of the region lock left this repair owed (one load per region-lock use). */
    boolean owedByPeer() {
        return header.repairRequested();
    }

    /**
     * Rolls back an add that failed in this live process (the region was full, say): frees the
     * blocks it allocated so far, in the normal way.
     */
    public void rollBackAdd() {
        for (int slot = IntentLog.SLOTS - 1; slot >= 0; slot--) {
            long block = intent.block(slot);
            if (block != 0) {
                allocator.free(block);
            }
        }
        intent.end();
    }

    private void markAllFree() {
        for (int slot = 0; slot < IntentLog.SLOTS; slot++) {
            long block = intent.block(slot);
            if (block != 0) {
                allocator.markFreeIfAllocated(block);
            }
        }
    }
}
