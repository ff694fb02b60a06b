package dev.sharedstruct.cli;

import picocli.CommandLine;
import picocli.CommandLine.ExecutionException;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.ParseResult;

/**
 * Runs the subcommand, turning an {@link Error} it throws into an {@link ExecutionException}.
 *
 * <p>picocli hands Main's execution exception handler (one line on stderr, status 2) only
 * {@link Exception}s; an Error escapes {@code execute()} and the JVM prints its stack trace and
 * exits with status 1. A region is a file anyone may have written, so a subcommand reading one
 * can meet what its checks did not foresee: a structure nested deep enough to overflow the stack,
 * or sizes that exhaust the heap. Those end like any other bad input here, saying which region.
 */
final class LastResort implements IExecutionStrategy {
    private final IExecutionStrategy next = new CommandLine.RunLast();

    @Override
    public int execute(ParseResult parseResult) {
        try {
            return next.execute(parseResult);
        } catch (Error error) {
            ParseResult command = parseResult;
            while (command.hasSubcommand()) {
                command = command.subcommand();
            }
            // Every subcommand's first parameter is its REGION.
            Object region = command.matchedPositionalValue(0, null);
            throw new ExecutionException(command.commandSpec().commandLine(),
                    "stopped by " + error + (region == null ? "" : " while reading " + region), error);
        }
    }
}
