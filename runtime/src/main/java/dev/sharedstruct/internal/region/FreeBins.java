package dev.sharedstruct.internal.region;

/**
 * Which size bin a free block belongs to (the header holds one list head per bin and a bitmap of
 * the non-empty ones). Block sizes are multiples of 16: below {@link #EXACT_LIMIT} each size has
 * its own bin ({@code size / 16}), so every block of a bin fits any request of that bin; above,
 * bin {@code 64 + log2(size) - 10} holds the sizes from one power of two to the next. A request
 * is served from its own bin (an exact bin's head, or one of the first few blocks of a
 * power-of-two bin) or else from the head of the next non-empty bin, whose every block is larger:
 * no walk over holes that are too small, whatever their number.
 */
final class FreeBins {
    static final int COUNT = 128;
    static final long EXACT_LIMIT = 1024;
    private static final int EXACT_BINS = (int) (EXACT_LIMIT / Allocator.ALIGNMENT);

    private FreeBins() {
    }

    /** The bin of a block (or request) of {@code size} bytes, a positive multiple of 16. */
    static int of(long size) {
        if (size < EXACT_LIMIT) {
            return (int) (size / Allocator.ALIGNMENT);
        }
        int log2 = 63 - Long.numberOfLeadingZeros(size);
        return EXACT_BINS + log2 - 10;
    }

    /** Whether every block of bin {@code bin} is the same size (so its head fits any request of the bin). */
    static boolean exact(int bin) {
        return bin < EXACT_BINS;
    }

    /** The first non-empty bin at or above {@code from} in the bitmap {@code low, high}; -1 if none. */
    static int firstAtOrAbove(int from, long low, long high) {
        if (from < 64) {
            long bits = low & (-1L << from);
            if (bits != 0) {
                return Long.numberOfTrailingZeros(bits);
            }
            from = 64;
        }
        if (from >= COUNT) {
            return -1;
        }
        long bits = high & (-1L << (from - 64));
        return bits == 0 ? -1 : 64 + Long.numberOfTrailingZeros(bits);
    }
}
