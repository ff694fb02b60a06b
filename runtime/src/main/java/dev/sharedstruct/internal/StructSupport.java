package dev.sharedstruct.internal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Checks and conversions that generated accessors share, kept here so that the generated code
 * stays short. Public for generated code in users' packages; not meant to be called by hand.
 * Every check runs before anything is written, so a refused value leaves memory as it was.
 */
public final class StructSupport {
    private StructSupport() {
    }

    /** {@code index} if it is within {@code [0, length)}, else an exception naming the field. */
    public static int checkIndex(int index, int length, String field) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException(field + ": index " + index + " is out of bounds for length " + length);
        }
        return index;
    }

    /** The count of {@code [from, to)} if it lies within {@code [0, length)}, else an exception. */
    public static int checkRange(int from, int to, int length) {
        if (from < 0 || to > length || from > to) {
            throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") is out of bounds for length " + length);
        }
        return to - from;
    }

    /** Refuses {@code count} elements from {@code from} that do not fit in {@code length}, before anything is written. */
    public static void checkFits(int from, int count, int length) {
        if (from < 0 || from > length || count > length - from) {
            throw new IndexOutOfBoundsException(count + " elements from index " + from + " do not fit in length " + length);
        }
    }

    /** Refuses a whole-array value whose length is not the field's. */
    public static void checkLength(int actual, int length, String field) {
        if (actual != length) {
            throw new IllegalArgumentException(field + " holds exactly " + length + " elements, got an array of " + actual);
        }
    }

    /** The text of a {@code char[length]} field: UTF-8 up to the first NUL (or all bytes). */
    public static String readText(MemorySegment segment, long offset, int length) {
        MemorySegment bytes = segment.asSlice(offset, length);
        long end = 0;
        while (end < length && bytes.get(JAVA_BYTE, end) != 0) {
            end++;
        }
        return new String(bytes.asSlice(0, end).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /**
     * {@code value} as the bytes a {@code char[length]} field will hold: its UTF-8, NUL-padded.
     *
     * @throws IllegalArgumentException if it does not fit, contains NUL, or is not valid Unicode
     */
    public static byte[] encodeText(String value, int length, String field) {
        Objects.requireNonNull(value, () -> field + " must not be null");
        byte[] encoded = strictUtf8(value, field);
        if (encoded.length > length) {
            throw new IllegalArgumentException(field + " holds " + length + " bytes of UTF-8, but \"" + abbreviate(value)
                    + "\" needs " + encoded.length + "; the field keeps its old value");
        }
        return Arrays.copyOf(encoded, length);
    }

    /**
     * The UTF-8 of text that is stored NUL-terminated (string fields, names): refused, naming
     * {@code what}, when it contains NUL (it would end early when read back) or is not valid
     * Unicode (the JDK's encoder would silently write '?').
     */
    public static byte[] strictUtf8(String text, String what) {
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " contains NUL, which would end it early when read back");
        }
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(text));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " is not valid Unicode (an unpaired surrogate?)", e);
        }
    }

    /** Refuses raw bytes longer than the field; shorter ones overwrite only its first bytes, as in Python. */
    public static void checkRawBytes(byte[] bytes, int length, String field) {
        Objects.requireNonNull(bytes, () -> field + " must not be null");
        if (bytes.length > length) {
            throw new IllegalArgumentException(field + " holds " + length + " bytes, got " + bytes.length);
        }
    }

    /** The enum constant stored as {@code ordinal}, or an exception naming the field and the value. */
    public static <E extends Enum<E>> E enumAt(E[] values, int ordinal, String field) {
        if (ordinal < 0 || ordinal >= values.length) {
            throw new IllegalStateException(field + " holds " + ordinal + ", which is no ordinal of "
                    + values.getClass().getComponentType().getSimpleName() + " (0 to " + (values.length - 1)
                    + "); another program wrote it, or the enum changed");
        }
        return values[ordinal];
    }

    /** The constant's name for {@code toString}, which must not throw on a bad ordinal. */
    public static String enumName(Enum<?>[] values, int ordinal) {
        return ordinal >= 0 && ordinal < values.length ? values[ordinal].name() : "<invalid ordinal " + ordinal + ">";
    }

    /** The ordinal to store; refuses null by field name. */
    public static int ordinal(Enum<?> value, String field) {
        return Objects.requireNonNull(value, () -> field + " must not be null").ordinal();
    }

    /** {@code [Point{...}, Point{...}]} of {@code count} structs at {@code offset}. */
    public static String describeAll(StructType<?> type, MemorySegment segment, long offset, int count) {
        StringBuilder text = new StringBuilder("[");
        long size = type.layout().byteSize();
        for (int i = 0; i < count; i++) {
            text.append(i == 0 ? "" : ", ").append(type.describe(segment.asSlice(offset + i * size, size)));
        }
        return text.append(']').toString();
    }

    /** Whether {@code count} structs at {@code offset} in {@code a} and {@code b} are equal. */
    public static boolean allEqual(StructType<?> type, MemorySegment a, MemorySegment b, long offset, int count) {
        long size = type.layout().byteSize();
        for (int i = 0; i < count; i++) {
            if (!type.contentEquals(a.asSlice(offset + i * size, size), b.asSlice(offset + i * size, size))) {
                return false;
            }
        }
        return true;
    }

    /** A hash of {@code count} structs at {@code offset}, consistent with {@link #allEqual}. */
    public static int hashAll(StructType<?> type, MemorySegment segment, long offset, int count) {
        long size = type.layout().byteSize();
        int hash = 1;
        for (int i = 0; i < count; i++) {
            hash = 31 * hash + type.contentHashCode(segment.asSlice(offset + i * size, size));
        }
        return hash;
    }

    private static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 37) + "...";
    }
}
