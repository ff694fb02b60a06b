package dev.sharedstruct;

/** An allocation that does not fit in what is left of a region. Nothing in the region was changed. */
public final class RegionFullException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final String region;
    private final long requested;
    private final long free;
    private final long largest;

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

    /** Bytes the allocation asked for. */
    public long requested() {
        return requested;
    }

    /** Bytes free in the region when it was refused, in all blocks together. */
    public long free() {
        return free;
    }
}
