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

    /**
     * {@code index} if it is within {@code [0, length)}, else an exception naming the field.
     *
     * @param index the index asked for
     * @param length the field's declared length
     * @param field the field's name, for error messages
     * @return {@code index}
     */
    public static int checkIndex(int index, int length, String field) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException(field + ": index " + index + " is out of bounds for length " + length);
        }
        return index;
    }

    /**
     * The count of {@code [from, to)} if it lies within {@code [0, length)}, else an exception.
     *
     * @param from the first index, inclusive
     * @param to the index after the last one
     * @param length the field's declared length
     * @return the number of elements in the range
     */
    public static int checkRange(int from, int to, int length) {
        if (from < 0 || to > length || from > to) {
            throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") is out of bounds for length " + length);
        }
        return to - from;
    }

    /**
     * Refuses {@code count} elements from {@code from} that do not fit in {@code length}, before anything is written.
     *
     * @param from the first index to write
     * @param count the number of elements to write
     * @param length the field's declared length
     */
    public static void checkFits(int from, int count, int length) {
        if (from < 0 || from > length || count > length - from) {
            throw new IndexOutOfBoundsException(count + " elements from index " + from + " do not fit in length " + length);
        }
    }

    /**
     * Refuses a whole-array value whose length is not the field's.
     *
     * @param actual the length of the given array
     * @param length the field's declared length
     * @param field the field's name, for error messages
     */
    public static void checkLength(int actual, int length, String field) {
        if (actual != length) {
            throw new IllegalArgumentException(field + " holds exactly " + length + " elements, got an array of " + actual);
        }
    }

    /**
     * The text of a {@code char[length]} field: UTF-8 up to the first NUL (or all bytes).
     *
     * @param segment the struct's memory
     * @param offset the byte offset of the text field
     * @param length the field's length in bytes
     * @return the text
     */
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
     * @param value the text to store
     * @param length the field's length in bytes
     * @param field the field's name, for error messages
     * @return the UTF-8 bytes, at most {@code length} of them
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
     *
     * @param text the text to encode
     * @param what what the text is, for error messages
     * @return the UTF-8 bytes
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

    /**
     * Refuses raw bytes longer than the field; shorter ones overwrite only its first bytes, as in Python.
     *
     * @param bytes the bytes to store
     * @param length the field's length in bytes
     * @param field the field's name, for error messages
     */
    public static void checkRawBytes(byte[] bytes, int length, String field) {
        Objects.requireNonNull(bytes, () -> field + " must not be null");
        if (bytes.length > length) {
            throw new IllegalArgumentException(field + " holds " + length + " bytes, got " + bytes.length);
        }
    }

    /**
     * The enum constant stored as {@code ordinal}, or an exception naming the field and the value.
     *
     * @param <E> the enum type
     * @param values the enum's constants, in ordinal order
     * @param ordinal the stored ordinal
     * @param field the field's name, for error messages
     * @return the enum constant
     */
    public static <E extends Enum<E>> E enumAt(E[] values, int ordinal, String field) {
        if (ordinal < 0 || ordinal >= values.length) {
            throw new IllegalStateException(field + " holds " + ordinal + ", which is no ordinal of "
                    + values.getClass().getComponentType().getSimpleName() + " (0 to " + (values.length - 1)
                    + "); another program wrote it, or the enum changed");
        }
        return values[ordinal];
    }

    /**
     * The constant's name for {@code toString}, which must not throw on a bad ordinal.
     *
     * @param values the enum's constants, in ordinal order
     * @param ordinal the stored ordinal
     * @return the constant's name, or the ordinal when it names none
     */
    public static String enumName(Enum<?>[] values, int ordinal) {
        return ordinal >= 0 && ordinal < values.length ? values[ordinal].name() : "<invalid ordinal " + ordinal + ">";
    }

    /**
     * The ordinal to store; refuses null by field name.
     *
     * @param value the enum constant to store
     * @param field the field's name, for error messages
     * @return the ordinal
     */
    public static int ordinal(Enum<?> value, String field) {
        return Objects.requireNonNull(value, () -> field + " must not be null").ordinal();
    }

    /**
     * {@code [Point{...}, Point{...}]} of {@code count} structs at {@code offset}.
     *
     * @param type the elements' struct type
     * @param segment the memory holding the array
     * @param offset the byte offset of the array's first element
     * @param count the number of structs in the array
     * @return the structs' descriptions, as a list
     */
    public static String describeAll(StructType<?> type, MemorySegment segment, long offset, int count) {
        StringBuilder text = new StringBuilder("[");
        long size = type.layout().byteSize();
        for (int i = 0; i < count; i++) {
            text.append(i == 0 ? "" : ", ").append(type.describe(segment.asSlice(offset + i * size, size)));
        }
        return text.append(']').toString();
    }

    /**
     * Whether {@code count} structs at {@code offset} in {@code a} and {@code b} are equal.
     *
     * @param type the elements' struct type
     * @param a the memory of one array
     * @param b the memory of the other array
     * @param offset the byte offset of the array's first element
     * @param count the number of structs in the array
     * @return whether all structs are equal
     */
    public static boolean allEqual(StructType<?> type, MemorySegment a, MemorySegment b, long offset, int count) {
        long size = type.layout().byteSize();
        for (int i = 0; i < count; i++) {
            if (!type.contentEquals(a.asSlice(offset + i * size, size), b.asSlice(offset + i * size, size))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A hash of {@code count} structs at {@code offset}, consistent with {@link #allEqual}.
     *
     * @param type the elements' struct type
     * @param segment the memory holding the array
     * @param offset the byte offset of the array's first element
     * @param count the number of structs in the array
     * @return a hash code of all structs' content
     */
    public static int hashAll(StructType<?> type, MemorySegment segment, long offset, int count) {
        long size = type.layout().byteSize();
        int hash = 1;
        for (int i = 0; i < count; i++) {
            hash = 31 * hash + type.contentHashCode(segment.asSlice(offset + i * size, size));
        }
        return hash;
    }

    private static String abbreviate(String value) {
        return abbreviate(value, 40);
    }

    /**
     * {@code text} as a message shows it: whole up to {@code max} characters, else its start and
     * "..." (a megabyte of input echoed whole buries what went wrong); "null" for null.
     *
     * @param text what to show
     * @param max the most characters shown, at least 4
     * @return the text, or its start and "..."
     */
    public static String abbreviate(String text, int max) {
        return text == null ? "null" : text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
