/**
 * The region file format (docs/FORMAT.md) and its upkeep; not exported from the module.
 *
 * <p>Creating and opening the file ({@code RegionFiles}, {@code SpaceReservation},
 * {@code RegionValidator}), its header ({@code RegionHeader}), the block allocator
 * ({@code Allocator}, {@code BlockHeader}), the directory of named objects ({@code Directory},
 * {@code LayoutDescription} for the stored layout text), crash safety ({@code RegionGuard},
 * {@code IntentLog}, {@code RegionRepair}, {@code CrashPoints}), the read-only consistency check
 * ({@code RegionVerifier}), and the lifetime of objects' memory ({@code ObjectScopes},
 * {@code Liveness}, {@code RegionFault}).
 */
package dev.sharedstruct.internal.region;
