package dev.sharedstruct;

/** How a region file is treated; pass to {@link SharedMemory#create(java.nio.file.Path, long, RegionOption...)}. */
public enum RegionOption {
    /**
     * Keep the file when the creating process closes the region, so that other processes can
     * still open it by path (the memory of a region stays mapped in processes that have it open
     * either way). Delete it yourself when done.
     */
    KEEP_FILE
}
