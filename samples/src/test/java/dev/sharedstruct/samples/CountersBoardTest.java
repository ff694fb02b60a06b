package dev.sharedstruct.samples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.ChildJvm;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The counters board demo ends with exact totals (it exits non-zero otherwise). */
class CountersBoardTest {

    @Test
    void workersAndMonitorEndWithExactTotals() throws Exception {
        ChildJvm board = ChildJvm.start(CountersBoard.class);
        board.joinSuccessfully(Duration.ofMinutes(5));
        assertTrue(board.output().contains("totals: count=300000, histogram sum=300000, expected 300000 -- exact"),
                board.output());
        assertTrue(board.output().contains("monitor: count="), "the monitor showed the board live");
    }
}
