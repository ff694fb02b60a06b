package dev.sharedstruct;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import dev.sharedstruct.internal.StructSupport;

/**
 * A fixed-size byte string in shared memory, the counterpart of Python's
 * {@code Array('c', b'hello world')} ({@code SynchronizedString}): {@link #value()} is the text
 * up to the first NUL, {@link #raw()} every byte. Text is UTF-8. It is also a
 * {@link SharedByteArray}, so single bytes and ranges can be read and written.
 */
public final class SharedString extends SharedByteArray {

    SharedString(TypeCode<?, ?, ?> typeCode, SharedMemory memory, MemorySegment segment, SharedLock lock) {
        super(typeCode, memory, segment, lock);
    }

    /**
     * The text up to the first NUL (all bytes when there is none): Python's {@code s.value}.
     *
     * @return the text
     */
    public String value() {
        lock();
        try {
            return StructSupport.readText(segment, 0, length);
        } catch (IllegalStateException e) {
            throw accessFailed(e);
        } finally {
            unlock();
        }
    }

    /**
     * Stores {@code text} as UTF-8 followed by NULs: Python's {@code s.value = text}.
     *
     * @param text the text to store; its UTF-8 encoding must fit in {@code length()} bytes
     * @throws IllegalArgumentException if its UTF-8 is longer than the string, or it contains NUL;
     *     the old value then stays whole
     */
    public void value(String text) {
        byte[] encoded = StructSupport.encodeText(text, length, "string");
        lock();
        try {
            MemorySegment.copy(encoded, 0, segment, JAVA_BYTE, 0, length);
        } catch (IllegalStateException e) {
            throw accessFailed(e);
        } finally {
            unlock();
        }
    }

    /**
     * Every byte, NULs included: Python's {@code s.raw}.
     *
     * @return a copy of the bytes
     */
    public byte[] raw() {
        return toArray();
    }

    /**
     * Writes {@code bytes} at the start and leaves the rest as it was: Python's
     * {@code s.raw = bytes}.
     *
     * @param bytes the bytes to store; at most {@code length()} of them
     * @throws IllegalArgumentException if there are more bytes than the string holds
     */
    public void raw(byte[] bytes) {
        StructSupport.checkRawBytes(bytes, length, "string");
        setRange(0, bytes);
    }

    @Override
    SharedString rebind(MemorySegment segment, SharedLock lock) {
        return new SharedString(typeCode(), memory, segment, lock);
    }

    @Override
    public String toString() {
        return "SharedString(" + length + ")[" + value() + "]";
    }
}
