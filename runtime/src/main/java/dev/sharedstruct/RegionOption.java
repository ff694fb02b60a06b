package dev.sharedstruct;

/** How a region file is treated; pass to {@link SharedMemory#create(java.nio.file.Path, long, RegionOption...)}. */
public enum RegionOption {
    /**
     * Keep the file when the creating process closes the region, so that other processes can
     * still open it by path (the memory of a region stays mapped in processes that have it open
     * either way). Delete it yourself when done.
     */
    KEEP_FILE,
    /**
     * Create the file with mode 0660 (rw-rw----) instead of 0600, so that processes of other
     * users in the file's group can open it. Set the group with {@code chgrp} (or create the
     * region in a setgid directory). Files writable by their group are refused unless their mode
     * is exactly 0660, and world-writable files always are.
     */
    GROUP_SHARED
}
