package dev.sharedstruct.cli;

/** The command did what was asked and the answer is "no" (rm refused): exit status 1, not 2. */
final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Refusal(String message, Throwable cause) {
        super(message, cause);
    }
}
