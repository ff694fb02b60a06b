package dev.sharedstruct.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code sharedstruct}: looks into a live region from the command line. Each subcommand is a
 * class of its own; {@link #SUBCOMMANDS} is the one place that lists them.
 *
 * <p>Exit status: 0 done; 1 the answer is "no" (verify found problems, rm refused); 2 bad input
 * (usage, a missing file, not a region, an unknown name, a corrupt region), printed as one line
 * on stderr, with the stack trace only under {@code --verbose}.
 */
@Command(name = "sharedstruct", mixinStandardHelpOptions = true, version = "sharedstruct 0.1.0",
        description = "Looks into a sharedstruct region: named objects, values, locks, space.",
        footer = {"", "Values are read raw: without taking any lock, so a value may be mid-update.",
                "Exit status: 0 ok, 1 verify found problems or rm refused, 2 bad input."})
public final class Main implements Callable<Integer> {
    static final int OK = 0;
    static final int NO = 1;
    static final int BAD_INPUT = 2;

    /** Every subcommand; add one here (and a class implementing Callable<Integer>). */
    static final List<Object> SUBCOMMANDS = List.of(new LsCommand(), new ShowCommand(), new LocksCommand(),
            new StatsCommand(), new VerifyCommand(), new WatchCommand(), new RmCommand(), new EmitCommand());

    @Spec
    CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "On an error, print the stack trace too.")
    boolean verbose;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command; returns the exit status. */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        boolean verbose = Arrays.asList(args).contains("--verbose");
        CommandLine commandLine = new CommandLine(new Main());
        for (Object subcommand : SUBCOMMANDS) {
            commandLine.addSubcommand(subcommand);
        }
        // Every subcommand answers --help (the usage error suggests it) and --version, as the top does.
        for (CommandLine sub : commandLine.getSubcommands().values()) {
            sub.getCommandSpec().mixinStandardHelpOptions(true).version(commandLine.getCommandSpec().version());
        }
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionStrategy(new LastResort());
        commandLine.setExecutionExceptionHandler((exception, command, parseResult) -> {
            err.println("sharedstruct " + command.getCommandName() + ": " + Errors.oneLine(exception));
            if (verbose) {
                exception.printStackTrace(err);
            }
            return exception instanceof Refusal ? NO : BAD_INPUT;
        });
        commandLine.setParameterExceptionHandler((exception, arguments) -> {
            err.println("sharedstruct: " + exception.getMessage() + " (try: sharedstruct "
                    + (exception.getCommandLine() == commandLine ? "" : exception.getCommandLine().getCommandName() + " ") + "--help)");
            if (verbose) {
                exception.printStackTrace(err);
            }
            return BAD_INPUT;
        });
        return commandLine.execute(args);
    }

    /** Without a subcommand: the usage, as an error. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("sharedstruct: name a subcommand");
        spec.commandLine().usage(spec.commandLine().getErr());
        return BAD_INPUT;
    }
}
