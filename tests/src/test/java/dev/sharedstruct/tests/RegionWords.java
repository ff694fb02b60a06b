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
        try (FileChannel channel = FileChannel.open(region, StandardOpenOption.READ)) {
            ByteBuffer word = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(word, offset);
            return word.getLong(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int readInt(Path region, long offset) {
        try (FileChannel channel = FileChannel.open(region, StandardOpenOption.READ)) {
            ByteBuffer word = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(word, offset);
            return word.getInt(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path region, long offset, long value) {
        try (FileChannel channel = FileChannel.open(region, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value), offset);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeInt(Path region, long offset, int value) {
        try (FileChannel channel = FileChannel.open(region, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value), offset);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
