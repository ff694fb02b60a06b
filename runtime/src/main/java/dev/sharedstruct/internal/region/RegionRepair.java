package dev.sharedstruct.internal.region;

import java.lang.System.Logger.Level;
import java.util.Set;

/**
 * Repairs what a process killed while holding the region lock left half-done. Called by the
 * process that takes the region lock over from the dead owner, before it does anything else:
 * <ol>
 *   <li>a named-object operation recorded in the {@link IntentLog} is finished: an add whose
 *       entry was not linked yet is rolled back (its blocks freed), a removal is rolled forward
 *       (entry unlinked, its blocks freed);</li>
 *   <li>the free bins, boundary tags, {@code free_bytes} and {@code top} are rebuilt from the block tiling
 *       ({@link Allocator#rebuild}), which covers any allocation or free cut short (a block a free
 *       left allocated with generation 0 is freed: {@link BlockHeader#retiring});</li>
 *   <li>the directory's back links and name index are rebuilt from its entry chain
 *       ({@link Directory#rebuildIndex}).</li>
 * </ol>
 * Both steps are idempotent, so a repairer killed half-way is repaired again by the next one.
 * The same repair runs when a C or Python peer took the region lock over and left it owed
 * ({@code repair_requested} in the header): peers only read the metadata and do not repair.
 *
 * <p><b>The intent record is checked before it is acted on.</b> It is four words of the file,
 * and freeing what it names is the one step of the repair that destroys: a block is freed only
 * when it is what the operation could have touched. An add's blocks were the last ones
 * allocated before the kill (the region lock was held throughout), so each has one of the last
 * {@link IntentLog#SLOTS} generations; a removal's text and object are the ones its entry names
 * while that entry block still exists; and no block that a linked entry names, nor a linked
 * entry, is ever freed. A slot that fails is left allocated (a leak at worst) and logged.
 *
 * <p><b>So is the tiling.</b> The rebuild frees what a free block's size covers; before it runs,
 * every block the metadata names (index, entries, objects, texts, the locks objects were made with) must be an allocated block of
 * the tiling, and not one with generation 0, which the rebuild would free ({@link Allocator#checkNamedBlocksTiled}),
 * else the region is corrupt and nothing is rebuilt. The repair marks itself owed ({@code repair_requested}) before its first step, so a
 * repair that fails or is killed is attempted again by the next holder of the region lock.
 */
public final class RegionRepair {
    private static final System.Logger LOG = System.getLogger(RegionRepair.class.getName());

    private final Allocator allocator;
    private final Directory directory;
    private final IntentLog intent;
    private final RegionHeader header;
    private final String regionName;

    public RegionRepair(Allocator allocator, Directory directory, IntentLog intent, RegionHeader header, String regionName) {
        this.header = header;
        this.allocator = allocator;
        this.directory = directory;
        this.intent = intent;
        this.regionName = regionName;
    }

    void afterDeadOwner() {
        header.repairOwed();
        long operation = intent.operation();
        if (operation == IntentLog.ADD) {
            rollBackDeadAdd();
        } else if (operation == IntentLog.REMOVE) {
            rollForwardDeadRemoval();
        } else if (operation != IntentLog.NONE) {
            LOG.log(Level.WARNING, "repair of {0}: the intent record holds operation {1}, which is none of 0, 1, 2; ignored",
                    regionName, operation);
        }
        Set<Long> named = directory.namedOffsets();
        named.add(header.index());
        named.addAll(allocator.locksOfObjects());
        allocator.checkNamedBlocksTiled(named);
        allocator.rebuild();
        directory.rebuildIndex();
        intent.end();
        header.repairDone();
    }

    /** An add whose entry is not linked did not complete: frees the blocks it allocated. */
    private void rollBackDeadAdd() {
        long entry = intent.block(IntentLog.SLOTS - 1);
        if (entry != 0 && directory.contains(entry)) {
            return;
        }
        Set<Long> named = directory.namedOffsets();
        long newest = header.lastGeneration();
        for (int slot = 0; slot < IntentLog.SLOTS; slot++) {
            long block = intent.block(slot);
            if (block == 0) {
                continue;
            }
            long generation = allocator.allocatedGeneration(block);
            if (generation == 0) {
                continue; // never claimed, or freed already: nothing to roll back
            }
            short kind = allocator.allocatedKind(block);
            if (named.contains(block)) {
                leave(block, "which a linked directory entry names");
            } else if (!Allocator.isObjectKind(kind) && kind != Allocator.Kind.TEXT && kind != Allocator.Kind.DIRECTORY_ENTRY) {
                leave(block, "a block of kind " + kind + ", which an add does not allocate (it allocates an object, its layout text"
                        + " and its directory entry)");
            } else if (generation <= newest - IntentLog.SLOTS) {
                leave(block, "whose generation " + generation + " is older than the add's (the last allocation was "
                        + newest + ")");
            } else {
                allocator.markFreeIfAllocated(block);
            }
        }
    }

    /** A removal is rolled forward: its entry unlinked, then its entry, text and object freed. */
    private void rollForwardDeadRemoval() {
        long entry = intent.block(0);
        long text = intent.block(1);
        long object = intent.block(2);
        if (directory.namesOtherThan(entry, text, object)) {
            leave(entry, "whose entry names another object or layout than the record's " + object + " and " + text);
            return;
        }
        if (!removable(entry, Allocator.Kind.DIRECTORY_ENTRY) || !removable(text, Allocator.Kind.TEXT) || !removable(object, (short) -1)) {
            // A record that names the block-start map, the name index, a lock or another kind of
            // block in a slot is forged or corrupt: nothing of it is carried out.
            return;
        }
        directory.unlinkIfPresent(entry);
        Set<Long> named = directory.namedOffsets();
        for (long block : new long[] {entry, text, object}) {
            if (block == 0 || allocator.allocatedGeneration(block) == 0) {
                continue;
            }
            if (named.contains(block)) {
                leave(block, "which a linked directory entry names");
            } else {
                allocator.markFreeIfAllocated(block);
            }
        }
    }

    /**
     * Whether the removal record's {@code block} may be freed as the slot's kind: 0 or a block
     * no longer allocated (freed before the kill) are, as is an allocated block of {@code kind}
     * (-1: an object's kind). Anything else is left, with a warning.
     */
    private boolean removable(long block, short kind) {
        if (block == 0) {
            return true;
        }
        short found = allocator.allocatedKind(block);
        if (found == -1 || (kind == -1 ? Allocator.isObjectKind(found) : found == kind)) {
            return true;
        }
        leave(block, "a block of kind " + found + " where the record has " + (kind == -1 ? "an object" : "kind " + kind)
                + "; no block of the record is freed");
        return false;
    }

    private void leave(long block, String why) {
        LOG.log(Level.WARNING, "repair of {0}: the intent record (a named-object operation cut short) names offset {1}, {2};"
                + " left allocated rather than freed", regionName, block, why);
    }

    /** Whether a peer's takeover of the region lock left this repair owed (one load per region-lock use). */
    boolean owedByPeer() {
        return header.repairRequested();
    }

    /**
     * Rolls back an add that failed in this live process (the region was full, say): frees the
     * blocks it allocated so far, in the normal way: the ones this process recorded, not what the
     * header's slots hold by now. An add whose entry is linked committed, and its failure came
     * after: its blocks belong to the name then, and nothing is freed.
     */
    public void rollBackAdd() {
        if (intent.linkedHere()) {
            intent.end();
            return;
        }
        for (int slot = IntentLog.SLOTS - 1; slot >= 0; slot--) {
            long block = intent.recordedHere(slot);
            if (block != 0) {
                allocator.free(block);
            }
        }
        intent.end();
    }
}
