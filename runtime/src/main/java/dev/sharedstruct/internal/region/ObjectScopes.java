package dev.sharedstruct.internal.region;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One FFM scope per object in this process, so that {@code free} makes every view of the object
 * (raw or synchronized, nested views, elements, views made by {@code attach} or {@code find}, its
 * lock cell) throw on its next access, at no cost per access: FFM checks the scope of every
 * segment access anyway. Each view's segment is a slice of the region re-scoped
 * ({@link MemorySegment#reinterpret(Arena, java.util.function.Consumer)}) to its object's shared
 * arena, which {@link #close(long)} closes.
 *
 * <p>{@code reinterpret} is a restricted method: without native access
 * ({@code --enable-native-access}) the JVM would warn, so then views keep the region's scope and
 * raw views of a freed object are not refused in this process (synchronized ones still are, by
 * {@link Liveness}). The arena of an object that another process freed and reallocated is closed
 * here as soon as this process makes a view of the new object in the same block.
 */
public final class ObjectScopes {
    static final boolean ENABLED = ObjectScopes.class.getModule().isNativeAccessEnabled();

    private record Scope(long generation, Arena arena) {
    }

    private final ConcurrentHashMap<Long, Scope> byBlock = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** {@code bytes} of {@code region} at {@code offset}, alive as long as the object in {@code block} of {@code generation}. */
    @SuppressWarnings("restricted")
    public MemorySegment slice(MemorySegment region, long block, long generation, long offset, long bytes) {
        MemorySegment slice = region.asSlice(offset, bytes);
        if (!ENABLED) {
            return slice;
        }
        Scope scope = byBlock.compute(block, (key, old) -> {
            if (old != null && old.generation() == generation) {
                return old;
            }
            if (old != null) {
                // The block holds a newer object: the old one was freed by another process.
                old.arena().close();
            }
            return new Scope(generation, Arena.ofShared());
        });
        if (closed) {
            closeAll();
            throw new IllegalStateException("the region is closed");
        }
        return slice.reinterpret(scope.arena(), null);
    }

    /** Ends the scope of the object in {@code block}: every view of it throws from now on. */
    public void close(long block) {
        Scope scope = byBlock.remove(block);
        if (scope != null) {
            scope.arena().close();
        }
    }

    /** Ends every object's scope; before the region is unmapped, so that no view reads unmapped memory. */
    public void closeAll() {
        closed = true;
        List<Long> blocks = new ArrayList<>(byBlock.keySet());
        for (long block : blocks) {
            close(block);
        }
    }
}
