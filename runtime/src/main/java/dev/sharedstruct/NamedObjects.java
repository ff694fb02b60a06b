package dev.sharedstruct;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.IntFunction;
import dev.sharedstruct.internal.region.Allocator;
import dev.sharedstruct.internal.region.CrashPoints;
import dev.sharedstruct.internal.region.Directory;
import dev.sharedstruct.internal.region.IntentLog;
import dev.sharedstruct.internal.region.LayoutDescription;
import dev.sharedstruct.internal.region.RegionGuard;
import dev.sharedstruct.internal.region.RegionRepair;

/**
 * Find-or-create by name (Boost.Interprocess's {@code find_or_construct}): the lookup, the
 * checks of kind, layout, length and form against what the directory recorded, and the creation,
 * all in one hold of the region lock so that processes racing for one name end with one object.
 */
final class NamedObjects {
    /** The form a caller asks for when it may create; null means find only. */
    enum Form {
        SYNCHRONIZED, RAW
    }

    private final SharedMemory memory;
    private final ObjectStore store;
    private final Directory directory;
    private final RegionGuard regionLock;
    private final IntentLog intent;
    private final RegionRepair repair;
    private final Path path;

    NamedObjects(SharedMemory memory, ObjectStore store, Directory directory, RegionGuard regionLock, IntentLog intent,
            RegionRepair repair, Path path) {
        this.memory = memory;
        this.store = store;
        this.directory = directory;
        this.regionLock = regionLock;
        this.intent = intent;
        this.repair = repair;
        this.path = path;
    }

    /**
     * The object named {@code name}: checked against {@code specOf(length)} (the recorded length
     * when {@code length} is negative), or created in form {@code create} when there is none.
     */
    <T> Optional<T> named(String name, IntFunction<ObjectSpec<T>> specOf, int length, Form create) {
        // The type and the length asked for are checked before the lookup: a bad one is refused
        // whether or not the name exists (a negative length is only find's "the recorded one").
        specOf.apply(create == null && length < 0 ? 1 : length);
        memory.checkOpen();
        regionLock.lock();
        try {
            Optional<Directory.Entry> existing = directory.find(name);
            if (existing.isPresent()) {
                Directory.Entry entry = existing.get();
                ObjectSpec<T> spec = specOf.apply(length < 0 ? Math.max(1, entry.identity().length()) : length);
                String mismatch = spec.identity().mismatch(entry.identity());
                if (mismatch != null) {
                    boolean layoutDiffers = entry.identity().kind() == spec.kind()
                            && entry.identity().fingerprint() != spec.fingerprint() && spec.kind() != Allocator.Kind.PRIMITIVE_ARRAY
                            && spec.kind() != Allocator.Kind.PRIMITIVE_VALUE;
                    throw new IllegalArgumentException("\"" + name + "\" in " + path + " cannot be used as " + spec.typeName()
                            + ": " + mismatch + (layoutDiffers ? ": " + LayoutDescription.differences(entry.layout(), spec.layout()) : ""));
                }
                boolean isSynchronized = entry.placement().lock() != 0;
                if (create != null && isSynchronized != (create == Form.SYNCHRONIZED)) {
                    throw new IllegalStateException("\"" + name + "\" in " + path + " exists as a "
                            + (isSynchronized ? "synchronized" : "raw") + " object; ask for it in that form, or with find");
                }
                return Optional.of(store.checkedView(spec, entry.placement(), "the directory entry \"" + name + "\""));
            }
            if (create == null) {
                return Optional.empty();
            }
            ObjectSpec<T> spec = specOf.apply(length);
            // Three blocks and a link: recorded as one intent, so that a kill or a full region
            // half-way leaks nothing (IntentLog).
            intent.beginAdd();
            T created;
            try {
                created = store.place(spec, create == Form.SYNCHRONIZED, null);
                CrashPoints.reached("name.objectPlaced");
                directory.add(name, ((SharedObject) created).placement, spec.identity(), spec.layout());
            } catch (RuntimeException e) {
                try {
                    repair.rollBackAdd();
                } catch (RuntimeException alsoFailed) {
                    e.addSuppressed(alsoFailed);
                }
                throw e;
            } finally {
                intent.end();
            }
            return Optional.of(created);
        } finally {
            regionLock.unlock();
        }
    }

}
