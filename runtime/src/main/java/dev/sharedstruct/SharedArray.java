package dev.sharedstruct;

import java.lang.foreign.MemorySegment;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import dev.sharedstruct.internal.StructSupport;
import dev.sharedstruct.internal.StructType;

/**
 * A fixed-length array of structs in shared memory: Python's {@code Array(Point, 3)}
 * ({@code SynchronizedArray}). {@link #get(int)} is a view of one element that shares the
 * array's lock; {@link #set(int, Object)} copies content in. In the synchronized form every
 * operation runs under the array's lock, and a range is read or written in one hold of it.
 *
 * @param <T> the {@code @SharedStruct} interface of the elements
 */
public final class SharedArray<T> extends SharedObject implements Iterable<T> {
    private final StructType<T> type;
    private final int length;
    private final long stride;

    SharedArray(StructType<T> type, SharedMemory memory, MemorySegment segment, SharedLock lock) {
        super(memory, segment, lock);
        this.type = type;
        this.stride = type.layout().byteSize();
        this.length = (int) (segment.byteSize() / stride);
    }

    /**
     * Number of elements: Python's {@code len(a)}.
     *
     * @return the number of elements
     */
    public int length() {
        return length;
    }

    /**
     * The elements' interface.
     *
     * @return the elements' {@code @SharedStruct} interface
     */
    public Class<T> elementType() {
        return type.type();
    }

    /**
     * A view of element {@code index}, raw or synchronized on the array's lock like the array: Python's {@code a[i]}.
     *
     * @param index the element's index, from 0
     * @return a view of the element
     * @throws IndexOutOfBoundsException if {@code index} is outside the array
     */
    public T get(int index) {
        return sameObject(type.wrap(memory, segment.asSlice(offsetOf(index), stride), lock));
    }

    /**
     * Copies {@code value}'s content into element {@code index}: Python's {@code a[i] = value}.
     *
     * @param index the element's index, from 0
     * @param value the struct whose content is copied; a shared or local struct of the element type
     * @throws IndexOutOfBoundsException if {@code index} is outside the array
     * @throws IllegalArgumentException if {@code value} is not a struct of the element type
     */
    public void set(int index, T value) {
        long offset = offsetOf(index);
        MemorySegment source = snapshot(value, "value");
        lock();
        try {
            MemorySegment.copy(source, 0, segment, offset, stride);
        } catch (IllegalStateException e) {
            throw accessFailed(e);
        } finally {
            unlock();
        }
    }

    /**
     * Copies of elements {@code [from, to)}, read in one hold of the lock: Python's
     * {@code a[from:to]}. The copies are local structs, detached from shared memory.
     *
     * @param from the first index, inclusive
     * @param to the index after the last one
     * @return local copies of the elements, in order
     * @throws IndexOutOfBoundsException if {@code [from, to)} is not a range of the array
     */
    public List<T> getRange(int from, int to) {
        List<MemorySegment> copies = new ArrayList<>(StructSupport.checkRange(from, to, length));
        for (int i = from; i < to; i++) {
            copies.add(SharedObject.heapSegment(stride));
        }
        lock();
        try {
            for (int i = from; i < to; i++) {
                MemorySegment.copy(segment, i * stride, copies.get(i - from), 0, stride);
            }
        } catch (IllegalStateException e) {
            throw accessFailed(e);
        } finally {
            unlock();
        }
        return copies.stream().map(copy -> type.wrap(null, copy, null)).toList();
    }

    /**
     * Copies {@code values} into elements {@code from, from + 1, ...} in one hold of the lock:
     * Python's {@code a[from:from + len(values)] = values}. Nothing is written unless all fit.
     *
     * @param from the first index, inclusive
     * @param values the structs whose content is copied
     * @throws IndexOutOfBoundsException if the values do not all fit from {@code from} on; nothing is written then
     */
    public void setRange(int from, List<? extends T> values) {
        Objects.requireNonNull(values, "values");
        StructSupport.checkFits(from, values.size(), length);
        List<MemorySegment> sources = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            sources.add(snapshot(values.get(i), "values[" + i + "]"));
        }
        lock();
        try {
            for (int i = 0; i < sources.size(); i++) {
                MemorySegment.copy(sources.get(i), 0, segment, (from + i) * stride, stride);
            }
        } catch (IllegalStateException e) {
            throw accessFailed(e);
        } finally {
            unlock();
        }
    }

    /**
     * Views of all elements, in order.
     *
     * @return a fixed-size list of element views
     */
    public List<T> asList() {
        return new Views();
    }

    @Override
    public Iterator<T> iterator() {
        return asList().iterator();
    }

    @Override
    SharedArray<T> rebind(MemorySegment segment, SharedLock lock) {
        return new SharedArray<>(type, memory, segment, lock);
    }

    @Override
    ObjectSpec<SharedArray<T>> spec() {
        return ObjectSpec.structArray(type, length);
    }

    @Override
    String kind() {
        return "SharedArray<" + type.type().getSimpleName() + ">";
    }

    @Override
    public String toString() {
        return kind() + getRange(0, length);
    }

    private long offsetOf(int index) {
        return StructSupport.checkIndex(index, length, "array") * stride;
    }

    private MemorySegment snapshot(T value, String what) {
        return GeneratedStruct.contentOf(value, type, what);
    }



    /** A list of element views, as Python's {@code list(a)}. */
    private final class Views extends AbstractList<T> implements RandomAccess {
        @Override
        public T get(int index) {
            return SharedArray.this.get(index);
        }

        @Override
        public int size() {
            return length;
        }
    }
}
