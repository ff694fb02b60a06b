package dev.sharedstruct.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.testsupport.ChildJvm;
import dev.sharedstruct.SharedMemory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The counters board demo ends with exact totals (it exits non-zero otherwise). */
class CountersBoardTest {

    @Test
    void workersAndMonitorEndWithExactTotals() throws Exception {
        ChildJvm board = ChildJvm.start(CountersBoard.class);
        board.joinSuccessfully(Duration.ofMinutes(5));
        assertTrue(board.output().contains("totals: count=300000, histogram sum=300000, expected 300000 -- exact"),
                board.output());
        assertTrue(board.output().contains("monitor: count="), "the monitor showed the board live");
        assertTrue(board.output().contains("== CountersBoard: 3 worker JVMs"), board.output());
        List<String> counts = board.output().lines().filter(line -> line.startsWith("monitor: count="))
                .map(line -> line.substring(0, line.indexOf("  last="))).toList();
        assertEquals(counts.size(), new HashSet<>(counts).size(), "the monitor repeated a line: " + counts);
    }

    @Test
    void givenAPathTheRegionIsKeptForInspection(@TempDir Path directory) throws Exception {
        Path region = directory.resolve("board.region");
        Files.writeString(region, "a previous run's file");
        ChildJvm board = ChildJvm.start(CountersBoard.class, region.toString());
        board.joinSuccessfully(Duration.ofMinutes(5));
        assertTrue(board.output().contains("region kept for inspection: bin/sharedstruct ls " + region), board.output());
        try (SharedMemory shm = SharedMemory.open(region)) {
            assertEquals(300_000, shm.find("board", Board.class).orElseThrow().count());
        }
    }
}
