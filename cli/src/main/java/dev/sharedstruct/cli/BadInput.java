package dev.sharedstruct.cli;

/** Input the command cannot work with (an unknown name or field, a bad interval): exit status 2. */
final class BadInput extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadInput(String message) {
        super(message);
    }
}
