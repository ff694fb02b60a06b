package test;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import dev.sharedstruct.GeneratedStruct;
import dev.sharedstruct.SharedLock;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.internal.StructType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import javax.annotation.processing.Generated;

/**
 * The shared-memory implementation of {@link Point}, written by the sharedstruct processor.
 *
 * <pre>
 * struct Point {  // 16 bytes, aligned to 8
 *     double x;  // offset 0
 *     double y;  // offset 8
 * };
 * </pre>
 */
@Generated("dev.sharedstruct.processor.SharedStructProcessor")
public final class SharedStruct_Point {
    /**
     * The C layout of {@link Point}, each member named after its field.
     */
    public static final StructLayout LAYOUT = structLayout(
            JAVA_DOUBLE.withName("x"),
            JAVA_DOUBLE.withName("y"));

    /**
     * A hash of the fields' names, types and offsets: equal only for the same layout.
     */
    public static final long FINGERPRINT = 0x8ed47cbefcec65d9L;

    /**
     * {@code double x} at offset 0.
     */
    private static final VarHandle X_HANDLE = LAYOUT.varHandle(groupElement("x"));

    /**
     * {@code double y} at offset 8.
     */
    private static final VarHandle Y_HANDLE = LAYOUT.varHandle(groupElement("y"));

    /**
     * What the runtime uses to make raw and synchronized views of {@link Point}.
     */
    public static final StructType<Point> TYPE = new Type();

    private SharedStruct_Point() {
    }

    private static final class Type extends StructType<Point> {
        private Type() {
            super(Point.class, LAYOUT, FINGERPRINT);
        }

        @Override
        protected Point newRaw(SharedMemory memory, MemorySegment segment) {
            return new Raw(memory, segment);
        }

        @Override
        protected Point newSynchronized(SharedMemory memory, MemorySegment segment, SharedLock lock) {
            return new Synchronized(memory, segment, lock);
        }

        @Override
        public String describe(MemorySegment content) {
            return "Point{x=" + (double) X_HANDLE.get(content, 0L)
                    + ", y=" + (double) Y_HANDLE.get(content, 0L)
                    + "}";
        }

        @Override
        public boolean contentEquals(MemorySegment a, MemorySegment b) {
            return Double.compare((double) X_HANDLE.get(a, 0L), (double) X_HANDLE.get(b, 0L)) == 0
                    && Double.compare((double) Y_HANDLE.get(a, 0L), (double) Y_HANDLE.get(b, 0L)) == 0;
        }

        @Override
        public int contentHashCode(MemorySegment content) {
            int hash = Double.hashCode((double) X_HANDLE.get(content, 0L));
            hash = 31 * hash + Double.hashCode((double) Y_HANDLE.get(content, 0L));
            return hash;
        }
    }

    /**
     * Accessors without locking: Python's {@code RawValue}.
     */
    private static final class Raw extends GeneratedStruct implements Point {
        private Raw(SharedMemory memory, MemorySegment segment) {
            super(TYPE, memory, segment, null);
        }

        @Override
        public double x() {
            try {
                return (double) X_HANDLE.get(segment, 0L);
            } catch (IllegalStateException e) {
                throw accessFailed(e);
            }
        }

        @Override
        public void x(double value) {
            try {
                X_HANDLE.set(segment, 0L, value);
            } catch (IllegalStateException e) {
                throw accessFailed(e);
            }
        }

        @Override
        public double y() {
            try {
                return (double) Y_HANDLE.get(segment, 0L);
            } catch (IllegalStateException e) {
                throw accessFailed(e);
            }
        }

        @Override
        public void y(double value) {
            try {
                Y_HANDLE.set(segment, 0L, value);
            } catch (IllegalStateException e) {
                throw accessFailed(e);
            }
        }
    }

    /**
     * Every accessor holds the struct's lock: Python's {@code Value}.
     */
    private static final class Synchronized extends GeneratedStruct implements Point {
        private Synchronized(SharedMemory memory, MemorySegment segment, SharedLock lock) {
            super(TYPE, memory, segment, lock);
        }

        @Override
        public double x() {
            boolean locked = lockUnlessHeld();
            try {
                return (double) X_HANDLE.get(segment, 0L);
            } finally {
                if (locked) {
                    lock.unlock();
                }
            }
        }

        @Override
        public void x(double value) {
            boolean locked = lockUnlessHeld();
            try {
                X_HANDLE.set(segment, 0L, value);
            } finally {
                if (locked) {
                    lock.unlock();
                }
            }
        }

        @Override
        public double y() {
            boolean locked = lockUnlessHeld();
            try {
                return (double) Y_HANDLE.get(segment, 0L);
            } finally {
                if (locked) {
                    lock.unlock();
                }
            }
        }

        @Override
        public void y(double value) {
            boolean locked = lockUnlessHeld();
            try {
                Y_HANDLE.set(segment, 0L, value);
            } finally {
                if (locked) {
                    lock.unlock();
                }
            }
        }
    }
}
