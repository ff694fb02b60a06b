package dev.sharedstruct;

import java.io.UncheckedIOException;
import java.io.IOException;

/**
 * A region that cannot be created because its file system has no room for it; the message names
 * the bytes asked for and the bytes free. Nothing is left behind.
 */
public final class RegionSpaceException extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    /**
     * A region that does not fit in its file system.
     *
     * @param message names the bytes asked for and the bytes free
     */
    public RegionSpaceException(String message) {
        super(message, new IOException(message));
    }
}
