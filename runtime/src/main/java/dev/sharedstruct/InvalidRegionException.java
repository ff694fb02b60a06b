package dev.sharedstruct;

/**
 * A file that is not a usable region, or a handle or directory entry that does not fit the
 * region: the message names the file and what is wrong. The file is left as it was.
 */
public final class InvalidRegionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An invalid region, file or handle.
     *
     * @param message names the file and what is wrong with it
     */
    public InvalidRegionException(String message) {
        super(message);
    }

    /**
     * An invalid region, file or handle, found through another failure.
     *
     * @param message names the file and what is wrong with it
     * @param cause the failure that showed it
     */
    public InvalidRegionException(String message, Throwable cause) {
        super(message, cause);
    }
}
