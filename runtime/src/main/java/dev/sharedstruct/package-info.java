/**
 * Typed structs, arrays, strings, values and locks in shared memory regions: the Java counterpart
 * of Python's {@code multiprocessing.sharedctypes}.
 *
 * <p>Start with {@link dev.sharedstruct.SharedMemory}, which creates or opens a region and makes
 * objects in it, and {@link dev.sharedstruct.Structs}, which makes raw, synchronized and local
 * views and handles for other processes. {@link dev.sharedstruct.SharedLock} and
 * {@link dev.sharedstruct.SharedCondition} are locks and conditions that live in the region, so
 * that threads of every process that maps it can use them. {@link dev.sharedstruct.RegionInspector}
 * reads a live region without changing it, for tools.
 *
 * <p>This package also holds, package-private, the object layer that puts these views over a
 * region's blocks ({@code ObjectStore}, {@code ObjectSpec}, {@code NamedObjects}): it reaches
 * into the views' internals, so it stays beside them. The region format itself is in the
 * runtime's non-exported package {@code dev.sharedstruct.internal.region}, the lock protocol's
 * helpers in {@code dev.sharedstruct.internal.lock}; docs/FORMAT.md and docs/LOCK.md describe them.
 */
package dev.sharedstruct;
