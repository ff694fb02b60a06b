/**
 * What the lock protocol (docs/LOCK.md) needs below {@link dev.sharedstruct.SharedLock} and
 * {@link dev.sharedstruct.SharedCondition}; not exported from the module.
 *
 * <p>The owner word's encoding ({@code ThreadToken}), whether an owner's process is still there
 * ({@code ProcessLiveness}, {@code ProcessIdentity}), and how waiters sleep and are woken
 * ({@code Waiting}: Linux futexes through {@code Futex} when native access is granted, parking
 * with back-off otherwise). The lock cell's state machine itself is in {@code SharedLock}.
 */
package dev.sharedstruct.internal.lock;
