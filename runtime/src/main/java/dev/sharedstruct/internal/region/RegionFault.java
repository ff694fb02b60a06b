package dev.sharedstruct.internal.region;

import java.nio.file.Path;
import dev.sharedstruct.InvalidRegionException;
import dev.sharedstruct.RegionOption;

/**
 * Names the region when an access to its mapping faults. The JVM turns a SIGBUS on mapped memory
 * into an {@link InternalError} ("a fault occurred in an unsafe memory access"): the file was
 * truncated by another process, or (with {@link RegionOption#SPARSE}) its file system filled up
 * before a page was first touched. Neither can be prevented from here; the region's own
 * operations report it as an {@link InvalidRegionException} naming the file.
 */
public final class RegionFault {
    private RegionFault() {
    }

    public static InvalidRegionException of(Path path, InternalError fault) {
        return new InvalidRegionException("an access to region " + path + " faulted: its file was truncated by another process,"
                + " or (a SPARSE region) its file system is full; the region cannot be used any more", fault);
    }
}
