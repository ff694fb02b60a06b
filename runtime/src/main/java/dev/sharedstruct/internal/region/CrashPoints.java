package dev.sharedstruct.internal.region;

import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A test-only hook that lets a crash test kill a process in the middle of a metadata update
 * rather than only at random moments. Off unless the system property
 * {@code sharedstruct.test.pauseChance} (a probability, e.g. {@code 0.01}) is set; then, at each
 * named point (all, or those listed comma-separated in {@code sharedstruct.test.pauseAt}), the
 * process with that chance prints {@code paused:<point>} on its standard output and sleeps
 * forever, holding whatever it holds, so that the test can SIGKILL it right there.
 */
public final class CrashPoints {
    private static final double CHANCE = chance(System.getProperty("sharedstruct.test.pauseChance"));
    private static final Set<String> POINTS = points(System.getProperty("sharedstruct.test.pauseAt"));

    private CrashPoints() {
    }

    /** Called at a point where a kill would leave metadata half-updated; does nothing in normal use. */
    public static void reached(String point) {
        if (CHANCE > 0 && (POINTS.isEmpty() || POINTS.contains(point)) && ThreadLocalRandom.current().nextDouble() < CHANCE) {
            System.out.println("paused:" + point);
            System.out.flush();
            while (true) {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException ignored) {
                    // Stay paused: only a kill ends this process.
                }
            }
        }
    }

    private static double chance(String value) {
        try {
            return value == null ? 0 : Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Set<String> points(String value) {
        return value == null || value.isBlank() ? Set.of() : Set.of(value.split(","));
    }
}
