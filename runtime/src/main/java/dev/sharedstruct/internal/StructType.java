package dev.sharedstruct.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.util.Objects;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.Structs;

/**
 * What the runtime knows of one {@code @SharedStruct} interface: its layout, its fingerprint, and
 * how to put a raw or synchronized view over memory laid out that way.
 *
 * <p>The annotation processor writes one subclass per interface, reachable as
 * {@code SharedStruct_<Name>.TYPE}; {@link Structs#type(Class)} finds and caches it. Users rarely
 * need it directly.
 *
 * @param <T> the {@code @SharedStruct} interface
 */
public abstract class StructType<T> {
    private final Class<T> type;
    private final StructLayout layout;
    private final long fingerprint;

    /**
     * A struct type; called by the generated {@code SharedStruct_<Name>} only.
     *
     * @param type the interface
     * @param layout its C-compatible layout, members named after fields
     * @param fingerprint a hash of the layout (names, kinds, offsets, sizes)
     */
    protected StructType(Class<T> type, StructLayout layout, long fingerprint) {
        this.type = Objects.requireNonNull(type, "type");
        this.layout = Objects.requireNonNull(layout, "layout");
        this.fingerprint = fingerprint;
    }

    /**
     * The {@code @SharedStruct} interface.
     *
     * @return the interface
     */
    public final Class<T> type() {
        return type;
    }

    /**
     * The struct's layout: C offsets and padding, each member named after its field.
     *
     * @return the layout
     */
    public final StructLayout layout() {
        return layout;
    }

    /**
     * A 64-bit hash of the layout; equal fingerprints mean the same fields at the same offsets.
     *
     * @return the fingerprint
     */
    public final long fingerprint() {
        return fingerprint;
    }

    /**
     * A view of {@code segment} as this struct: synchronized on {@code lock}, or raw (no locking)
     * when {@code lock} is null. {@code memory} is the region the segment belongs to, or null for
     * a local struct in heap memory.
     *
     * @param memory the region the struct lives in; null for a local struct
     * @param segment the struct's memory
     * @param lock the lock the accessors take; null for a raw view
     * @return the struct
     * @throws IllegalArgumentException if the segment's size or alignment does not fit the layout
     */
    public final T wrap(SharedMemory memory, MemorySegment segment, SharedLock lock) {
        Objects.requireNonNull(segment, "segment");
        if (segment.byteSize() != layout.byteSize()) {
            throw new IllegalArgumentException(type.getName() + " needs a segment of " + layout.byteSize()
                    + " bytes, got " + segment.byteSize());
        }
        if (segment.maxByteAlignment() < layout.byteAlignment()) {
            throw new IllegalArgumentException(type.getName() + " needs " + layout.byteAlignment()
                    + "-byte alignment, got a segment at address " + segment.address());
        }
        return lock == null ? newRaw(memory, segment) : newSynchronized(memory, segment, lock);
    }

    /**
     * A raw view: accessors read and write without locking.
     *
     * @param memory the region the struct lives in; null for a local struct
     * @param segment the struct's memory
     * @return the raw struct
     */
    protected abstract T newRaw(SharedMemory memory, MemorySegment segment);

    /**
     * A synchronized view: every accessor holds {@code lock} while it touches memory.
     *
     * @param memory the region the struct lives in; null for a local struct
     * @param segment the struct's memory
     * @param lock the lock the accessors take; null for a raw view
     * @return the synchronized struct
     */
    protected abstract T newSynchronized(SharedMemory memory, MemorySegment segment, SharedLock lock);

    /**
     * {@code Name{field=value, ...}} of the struct in {@code content}.
     *
     * @param content the struct's bytes
     * @return the struct as text, field by field
     */
    public abstract String describe(MemorySegment content);

    /**
     * Whether every field of {@code a} equals the same field of {@code b}; padding is ignored.
     *
     * @param a one struct's bytes
     * @param b the other struct's bytes
     * @return whether they hold the same field values
     */
    public abstract boolean contentEquals(MemorySegment a, MemorySegment b);

    /**
     * A hash of the fields in {@code content}, consistent with {@link #contentEquals}.
     *
     * @param content the struct's bytes
     * @return a hash code of the field values
     */
    public abstract int contentHashCode(MemorySegment content);

    @Override
    public String toString() {
        return "StructType[" + type.getName() + ", " + layout + "]";
    }
}
