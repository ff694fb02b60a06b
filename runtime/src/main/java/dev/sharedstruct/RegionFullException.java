package dev.sharedstruct;

/** An allocation that does not fit in what is left of a region. Nothing in the region was changed. */
public final class RegionFullException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** The region's file, as the message names it. */
    private final String region;
    /** Bytes the allocation asked for. */
    private final long requested;
    /** Bytes free in all blocks together. */
    private final long free;
    /** Bytes in the largest free block. */
    private final long largest;

    /**
     * A refused allocation.
     *
     * @param region the region's file, for the message
     * @param requested bytes the allocation asked for
     * @param free bytes free in the region, in all blocks together
     * @param largest bytes in the region's largest free block
     */
    public RegionFullException(String region, long requested, long free, long largest) {
        super("region " + region + " is full: asked for " + requested + " bytes, " + free + " bytes are free"
                + (largest < free ? " (the largest free block holds " + largest + ")" : "")
                + "; free objects that are no longer used, or create a larger region");
        this.region = region;
        this.requested = requested;
        this.free = free;
        this.largest = largest;
    }

    /** The same refusal, reporting {@code requested} bytes: what the caller asked for, before overheads. */
    RegionFullException asking(long requested) {
        return new RegionFullException(region, requested, free, largest);
    }

    /**
     * Bytes the allocation asked for.
     *
     * @return the bytes asked for
     */
    public long requested() {
        return requested;
    }

    /**
     * Bytes free in the region when it was refused, in all blocks together.
     *
     * @return the free bytes
     */
    public long free() {
        return free;
    }
}
