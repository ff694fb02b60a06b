package dev.sharedstruct.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Reads and writes single words of a region file behind the runtime's back, as an attacker (or a stray write) would. */
final class RegionWords {
    private RegionWords() {
    }

    static long read(Path region, long offset) {
        return bytes(region, offset, 8).getLong(0);
    }

    static int readInt(Path region, long offset) {
        return bytes(region, offset, 4).getInt(0);
    }

    static void write(Path region, long offset, long value) {
        put(region, offset, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value));
    }

    static void writeInt(Path region, long offset, int value) {
        put(region, offset, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value));
    }

    /** {@code count} little-endian bytes of the file at {@code offset}. */
    private static ByteBuffer bytes(Path region, long offset, int count) {
        try (FileChannel channel = FileChannel.open(region, StandardOpenOption.READ)) {
            ByteBuffer word = ByteBuffer.allocate(count).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(word, offset);
            return word;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void put(Path region, long offset, ByteBuffer word) {
        try (FileChannel channel = FileChannel.open(region, StandardOpenOption.WRITE)) {
            channel.write(word, offset);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
