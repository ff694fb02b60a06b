package dev.sharedstruct.internal.lock;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * Linux futexes on a word of shared memory, through an FFM downcall to {@code syscall(2)}: a
 * waiter sleeps in the kernel until a releaser in any process wakes it. Used only when this
 * module has native access ({@code --enable-native-access=ALL-UNNAMED}); without it the JVM would
 * warn on the first call, so {@link Waiting} parks with back-off instead.
 */
public final class Futex {
    private static final long FUTEX_WAIT = 0;
    private static final long FUTEX_WAKE = 1;
    private static final MethodHandle SYSCALL;
    private static final long SYS_FUTEX;
    private static final ThreadLocal<MemorySegment> TIMESPEC =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(16, 8));

    static {
        long number = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> 202;
            case "aarch64" -> 98;
            default -> -1;
        };
        boolean usable = number > 0 && System.getProperty("os.name").equals("Linux")
                && Futex.class.getModule().isNativeAccessEnabled();
        SYSCALL = usable ? syscallHandle() : null;
        SYS_FUTEX = number;
    }

    /** {@code long syscall(long number, ...)}; a restricted call, made only when native access is enabled. */
    @SuppressWarnings("restricted")
    private static MethodHandle syscallHandle() {
        Linker linker = Linker.nativeLinker();
        Optional<MemorySegment> symbol = linker.defaultLookup().find("syscall");
        return symbol.map(address -> linker.downcallHandle(address,
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
                Linker.Option.firstVariadicArg(1))).orElse(null);
    }

    private Futex() {
    }

    /**
     * Makes one real call (a wake of a private word, which nobody waits on), so that the first
     * wake or wait of a lock does not pay for linking the downcall: the JVM builds and compiles
     * its stubs on the first call, tens of milliseconds that a lock holder would otherwise spend
     * at its first contended release, with every other process waiting for it.
     */
    public static void prepare() {
        if (SYSCALL != null) {
            MemorySegment word = Arena.ofAuto().allocate(4, 4);
            wake(word.address(), 1);
            await(word.address(), 1, 1); // the word is 0: returns at once (EAGAIN)
        }
    }

    /** Whether futexes can be used in this JVM. */
    static boolean available() {
        return SYSCALL != null;
    }

    /** Sleeps while the int at {@code address} equals {@code expected}, at most {@code nanos}; may wake early. */
    static void await(long address, int expected, long nanos) {
        MemorySegment timespec = TIMESPEC.get();
        timespec.set(JAVA_LONG, 0, nanos / 1_000_000_000L);
        timespec.set(JAVA_LONG, 8, nanos % 1_000_000_000L);
        call(address, FUTEX_WAIT, expected, timespec.address());
    }

    /** Wakes up to {@code count} threads sleeping on the int at {@code address}, in any process. */
    static void wake(long address, int count) {
        call(address, FUTEX_WAKE, count, 0);
    }

    private static void call(long address, long operation, long value, long timeout) {
        try {
            // The result (woken count, or -1 with EAGAIN/EINTR/ETIMEDOUT) needs no action: callers re-check the word.
            long ignored = (long) SYSCALL.invokeExact(SYS_FUTEX, address, operation, value, timeout, 0L, 0L);
        } catch (Throwable e) {
            throw new IllegalStateException("futex system call failed", e);
        }
    }
}
