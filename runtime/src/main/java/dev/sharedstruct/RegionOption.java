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
     * Do not reserve the region's memory at create: the file is sparse, and pages are taken from
     * the file system only when first touched. Lets a huge region be created cheaply, at a risk:
     * if {@code /dev/shm} fills up meanwhile, touching a new page faults, and the JVM reports it
     * as an {@link InternalError} at whatever access touched it. Without this option a region
     * that does not fit fails at create with {@link RegionSpaceException}.
     */
    SPARSE,
    /**
     * Create the file with mode 0660 (rw-rw----) instead of 0600, so that processes of other
     * users in the file's group can open it. Set the group with {@code chgrp} (or create the
     * region in a setgid directory). Files writable by their group are refused unless their mode
     * is exactly 0660, and world-writable files always are.
     */
    GROUP_SHARED
}
