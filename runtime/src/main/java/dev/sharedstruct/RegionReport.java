package dev.sharedstruct;

import java.util.List;

/**
 * What {@link SharedMemory#verify()} found: whether every invariant of the region's format holds,
 * each problem once in words, and the region's accounting as the block tiling shows it.
 *
 * @param consistent whether no problem was found
 * @param problems each problem found, once, naming the offsets concerned
 * @param usedBytes bytes in allocated blocks, block headers included
 * @param freeBytes bytes free for allocation: in free blocks and above the top
 * @param blocks allocated blocks
 * @param namedObjects entries in the directory of named objects
 */
public record RegionReport(boolean consistent, List<String> problems, long usedBytes, long freeBytes, int blocks, int namedObjects) {
    /**
     * A report; {@code problems} is copied.
     *
     * @param consistent whether no problem was found
     * @param problems each problem found, once, naming the offsets concerned
     * @param usedBytes bytes in allocated blocks, block headers included
     * @param freeBytes bytes free for allocation: in free blocks and above the top
     * @param blocks allocated blocks
     * @param namedObjects entries in the directory of named objects
     */
    public RegionReport {
        problems = List.copyOf(problems);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(consistent ? "consistent" : "INCONSISTENT (" + problems.size() + " problems)");
        text.append(": ").append(blocks).append(" blocks in use (").append(usedBytes).append(" bytes), ")
                .append(freeBytes).append(" bytes free, ").append(namedObjects).append(" named objects");
        for (String problem : problems) {
            text.append("\n  - ").append(problem);
        }
        return text.toString();
    }
}
