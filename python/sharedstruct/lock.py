"""The SharedLock protocol (docs/LOCK.md) for Python threads: the native C
type when it can be built (_build.py), else this pure-ctypes implementation (atomics from
libatomic, futex through libc's syscall)."""
import ctypes
import os
import threading
import time

from . import _build
from . import format as F

_native = _build.load_native()
NATIVE = _native
IMPLEMENTATION = "native" if _native is not None else "ctypes"
"""Which lock implementation this process uses: "native" (C extension) or "ctypes"."""
WHY_NOT_NATIVE = _build.WHY_NOT


class LockFreedError(RuntimeError):
    """The object a lock belongs to (or the lock itself) was freed by another process since it was
    found: its memory may belong to another object now, so the lock was not taken and nothing of it
    was written. Find the name again (docs/LOCK.md "Freeing a block with a lock cell")."""


if _native is not None:
    _native.set_freed_error(LockFreedError)


def _proc_stat(pid):
    """(state, start time, threads) of a process (fields 3, 22 and 20 of /proc/PID/stat); None when
    there is none; ('?', 0, 0) without /proc."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            text = f.read().decode("ascii", "replace")
    except FileNotFoundError:
        return None if os.path.isdir("/proc/self") else ("?", 0, 0)
    except OSError:
        return ("?", 0, 0)
    fields = text[text.rindex(")") + 2:].split(" ")
    return fields[0], int(fields[19]), int(fields[17])


class CtypesLock:
    """The protocol in Python over ctypes: correct everywhere, about a microsecond per ctypes call."""
    _atomic = ctypes.CDLL("libatomic.so.1")
    _libc = ctypes.CDLL(None, use_errno=True)
    _cas8 = getattr(_atomic, "__atomic_compare_exchange_8")
    _cas8.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64, ctypes.c_int, ctypes.c_int]
    _cas8.restype = ctypes.c_bool
    _cas4 = getattr(_atomic, "__atomic_compare_exchange_4")
    _cas4.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int32, ctypes.c_int, ctypes.c_int]
    _cas4.restype = ctypes.c_bool
    _load8 = getattr(_atomic, "__atomic_load_8")
    _load8.argtypes = [ctypes.c_void_p, ctypes.c_int]
    _load8.restype = ctypes.c_int64
    _load4 = getattr(_atomic, "__atomic_load_4")
    _load4.argtypes = [ctypes.c_void_p, ctypes.c_int]
    _load4.restype = ctypes.c_int32
    _store8 = getattr(_atomic, "__atomic_store_8")
    _store8.argtypes = [ctypes.c_void_p, ctypes.c_int64, ctypes.c_int]
    _add4 = getattr(_atomic, "__atomic_fetch_add_4")
    _add4.argtypes = [ctypes.c_void_p, ctypes.c_int32, ctypes.c_int]
    _add4.restype = ctypes.c_int32
    _syscall = _libc.syscall
    _syscall.restype = ctypes.c_long
    _SEQ_CST = 5
    _HANDOFF = F.LOCK_HANDOFF
    _RESERVED = F.LOCK_RESERVED
    _SYS_FUTEX = 202 if os.uname().machine in ("x86_64", "amd64") else 98
    _FUTEX_WAIT = 0
    _FUTEX_WAKE = 1
    _start = None
    _start_pid = None

    def __init__(self, address, keep=None, generation=0, what=None, start_word=0, start_bit=0):
        """generation: that of the block whose payload starts with the cell (0: a cell that is
        never freed, not checked); what: what the lock belongs to, for LockFreedError; start_word
        and start_bit: the block's bit in the block-start map (0: not checked)."""
        if address == 0 or address % 8:
            raise ValueError("lock cell address %d is not an 8-byte aligned address" % address)
        if generation < 0 or (generation and address < F.BLOCK_HEADER):
            raise ValueError("generation %d of the lock cell at %d is not a block's" % (generation, address))
        self._keep = keep
        self._generation = generation
        # The owner word when nobody holds it: a claim from it succeeds only on the live cell of
        # this generation, never on freed memory or on a new object that reused the block.
        self._free = F.lock_free_word(generation)
        self._generation_word = address - F.BLOCK_HEADER + F.BLK_GENERATION
        self._start_word = start_word
        self._start_bit = start_bit
        self._what = what
        self._owner = address + F.LOCK_OWNER
        self._extra = ctypes.c_int32.from_address(address + F.LOCK_EXTRA_HOLDS)
        self._waiters = address + F.LOCK_WAITERS
        self._wakeups = address + F.LOCK_WAKEUPS
        self._recoveries = address + F.LOCK_RECOVERIES
        self._owner_start = ctypes.c_int64.from_address(address + F.LOCK_OWNER_START)
        self._unanswered_since = 0      # since when releases found a wake-up unanswered (0: not)
        self._unanswered_releases = 0
        self._reserved_since = 0        # since when this object finds the lock reserved (0: it does not)
        self.previous_owner_died = False

    @classmethod
    def _my_start(cls):
        pid = os.getpid()
        if cls._start_pid != pid:
            stat = _proc_stat(pid)
            cls._start, cls._start_pid = (stat[1] if stat else 0), pid
        return cls._start

    @staticmethod
    def _token():
        # The thread part has 31 bits: bit 31 of an owner word is the hand-off request.
        return (os.getpid() << 32) | (threading.get_native_id() & F.LOCK_THREAD_MASK)

    def _load_owner(self):
        return self._load8(self._owner, self._SEQ_CST)

    def _cas_owner(self, expected, new):
        cell = ctypes.c_int64(expected)
        return self._cas8(self._owner, ctypes.addressof(cell), new, self._SEQ_CST, self._SEQ_CST)

    def _cas_int(self, address, expected, new):
        cell = ctypes.c_int32(_signed32(expected))
        return self._cas4(address, ctypes.addressof(cell), _signed32(new), self._SEQ_CST, self._SEQ_CST)

    def _load_uint(self, address):
        return self._load4(address, self._SEQ_CST) & 0xFFFFFFFF

    def _futex(self, operation, value, timeout_ns=None):
        timespec = None
        if timeout_ns is not None:
            timespec = (ctypes.c_long * 2)(timeout_ns // 1_000_000_000, timeout_ns % 1_000_000_000)
        self._syscall(ctypes.c_long(self._SYS_FUTEX), ctypes.c_void_p(self._wakeups), ctypes.c_int(operation),
                      ctypes.c_int(_signed32(value)), timespec, None, ctypes.c_int(0))

    def _claimed(self):
        # A claim resets every owner-private word, so a dead owner's leftovers never count.
        if self._extra.value != 0:
            self._extra.value = 0
        start = self._my_start()
        if self._owner_start.value != start:
            self._owner_start.value = start

    def _freed(self):
        """Whether the block the cell starts was freed (or freed and reused) since the lock was found."""
        # The generation word alone is not enough: once the block is freed and merged, it is the
        # bytes of whatever reuses the memory; the block-start map, which no object covers, says
        # whether a block still starts there (docs/FORMAT.md 3.3).
        return self._generation != 0 and (
            self._load8(self._generation_word, self._SEQ_CST) != self._generation
            or (self._start_word != 0 and not self._load8(self._start_word, self._SEQ_CST) & self._start_bit))

    def _refuse(self):
        what = self._what or "the lock cell at address %d" % (self._owner - F.LOCK_OWNER)
        return LockFreedError("%s was freed by another process; its memory may belong to another object now, "
                              "so the lock was not taken and is not touched (find the name again)" % what)

    def _found_freed(self, word):
        """Whether a claim that found word where it wanted the free word should give up: a token,
        RESERVED and the free word are a lock's; anything else (free list links, a new object's
        bytes, the free word of a later generation) is freed memory or a corrupt owner, which only
        the block's generation tells apart, so it is looked at before any wait."""
        return not _is_token(word) and word != self._RESERVED and word != self._free and self._freed()

    def _claim(self, expected, me):
        """CAS(owner, expected, me), refusing a cell whose block was freed before or under the claim
        (docs/LOCK.md "Freeing a block with a lock cell"): the owner word, a free list link or a new
        object's word then (RESERVED and a dead owner's token carry no generation), gets back what
        it had, and the owner-private words (links too) are not written."""
        if self._freed():
            raise self._refuse()
        if not self._cas_owner(expected, me):
            return False
        if self._freed():
            self._cas_owner(me, expected)
            raise self._refuse()
        return True

    def _try_take_free(self, me):
        if self._load_owner() == self._free and self._claim(self._free, me):
            self._claimed()
            return True
        return False

    def acquire(self, blocking=True, timeout=-1):
        timeout = check_timeout(blocking, timeout)
        me = self._token()
        if self._freed():
            raise self._refuse()
        if self._try_take_free(me):
            self.previous_owner_died = False
            return True
        # Bit 31 is a waiter's hand-off request (docs/LOCK.md), not part of the owner's token.
        word = self._load_owner()
        owned = word & ~self._HANDOFF == me
        if self._freed():
            # Looked at after the read: freed since the look above, the word (links or a new
            # object's) may even read as this thread's token; unchanged, it was this lock's.
            raise self._refuse()
        if owned:
            extra = self._extra.value
            if extra == 0x7FFFFFFF:
                # extra_holds + 1 would wrap to a negative (corrupt) count, which the release would
                # reset, freeing the lock under the outer holds: refuse, as the C and Java sides do.
                raise OverflowError("maximum lock count exceeded: this thread holds the lock with 2147483647"
                                    " re-entries recorded in extra_holds already (or a corrupt count that reads"
                                    " so); not acquired again, the holds are unchanged")
            self._extra.value = max(0, extra) + 1
            self.previous_owner_died = False
            return True
        if self._reservation_abandoned(word) and self._claim(self._RESERVED, me):
            self._claimed()
            self.previous_owner_died = False
            return True
        if not blocking or timeout == 0:
            return False
        deadline = None if timeout < 0 else time.monotonic_ns() + int(timeout * 1e9)
        result = self._acquire_slowly(me, deadline)
        if result is None:
            return False
        self.previous_owner_died = result
        return True

    def _reservation_abandoned(self, word):
        """Whether word, the owner word just read, is a reservation this object has seen stand for
        100 ms: its long waiters are gone (killed while they waited), and anyone may take it
        (docs/LOCK.md "A reservation nobody takes"). Kept across calls, as Java's tryLock keeps it,
        so that a thread that only polls (timeout 0, blocking=False, short timeouts) is not refused
        for as long as nobody blocks on the lock. A look that finds it not reserved forgets it."""
        if word != self._RESERVED:
            self._reserved_since = 0
            return False
        now = time.monotonic_ns()
        if not self._reserved_since:
            self._reserved_since = now
            return False
        return now - self._reserved_since >= F.LOCK_ABANDONED_RESERVATION_NS

    # -- the waiter count: generation << 16 | count (docs/LOCK.md "waiters") --

    def _register(self):
        """Registers this waiter by compare-and-set from the count it read, never a blind add: a
        cell of a block starts at a count generation that is not 0 (1 + the block's generation mod
        65535) and never goes back to 0, while freed memory often reads 0 there, so a registration
        racing with a free fails instead of writing there; one that succeeds looks at the block
        right after and takes its +1 back if it was freed (docs/LOCK.md "waiters"). Returns the
        generation it counts in; raises once the block is freed."""
        while True:
            seen = self._load_uint(self._waiters)
            if self._freed():
                raise self._refuse()
            # 65,535 waiters already, or a corrupt count: start again rather than carry into the generation.
            restart = seen & F.LOCK_COUNT_MASK == F.LOCK_COUNT_MASK
            following = self._restarted(seen) if restart else (seen + 1) & 0xFFFFFFFF
            if self._cas_int(self._waiters, seen, following):
                if self._freed():
                    # Not a lock any more: take the change back, unless the new owner of the memory wrote there since.
                    self._cas_int(self._waiters, following, seen)
                    raise self._refuse()
                if not restart:
                    return seen >> 16

    @staticmethod
    def _restarted(seen):
        # Generation 0 is never started again: a live cell of a block never reads it (see _register).
        return (max(1, ((seen >> 16) + 1) & 0xFFFF) << 16) & 0xFFFFFFFF

    def _restart_count(self, seen):
        self._cas_int(self._waiters, seen, self._restarted(seen))

    def _unregister(self, generation):
        """Leaves the count, never taking a place of another generation; a -1 that lands after a
        free (the count no longer held this waiter, so nothing kept the block) is taken back."""
        for _ in range(1000):
            now = self._load_uint(self._waiters)
            if now >> 16 != generation or now & F.LOCK_COUNT_MASK == 0:
                return
            if self._cas_int(self._waiters, now, now - 1):
                if self._freed():
                    self._cas_int(self._waiters, now - 1, now)
                return

    def _end_wake_up(self):
        """A waiter got the lock: the wake-up on its way (if any) has done its job."""
        word = self._load_uint(self._wakeups)
        if word & 1:
            self._cas_int(self._wakeups, word, (word + 1) & 0xFFFFFFFF)

    def _acquire_slowly(self, me, deadline):
        """True when taken over from a dead owner, False when acquired, None at the deadline."""
        for _ in range(F.LOCK_SPINS // 8):   # a ctypes call is about a microsecond: a few looks
            if self._try_take_free(me):
                return False
        if self._freed():
            raise self._refuse()
        generation = self._register()
        since = time.monotonic_ns()
        asked_for_hand_off = False
        result = None
        try:
            watch = _OwnerWatch(self)
            while True:
                if self._freed():
                    # Freed while this thread waited (free claimed the lock first): not a lock any more.
                    raise self._refuse()
                if self._load_uint(self._waiters) >> 16 != generation:
                    generation = self._register()
                seen = self._load_uint(self._wakeups)
                now = time.monotonic_ns()
                starving = now - since >= F.LOCK_STARVING_NS
                word = self._load_owner()
                abandoned = self._reservation_abandoned(word)
                if word == self._RESERVED:
                    # Reserved for long waiters; anyone may take it once they all seem to have left.
                    if (starving or abandoned) and self._claim(word, me):
                        self._claimed()
                        self._end_wake_up()
                        result = False
                        return result
                else:
                    if self._try_take_free(me):
                        self._end_wake_up()
                        result = False
                        return result
                    if self._found_freed(word):
                        raise self._refuse()
                    if starving and _is_token(word) and not word & self._HANDOFF:
                        # Newcomers keep barging past: ask the owner to hand the lock over on release.
                        asked_for_hand_off |= self._ask_hand_off(word)
                if deadline is not None and now >= deadline:
                    return None
                dead = watch.dead_owner(now)
                if dead is not None and self._claim(dead, me):
                    self._extra.value = 0
                    self._owner_start.value = self._my_start()
                    self._add4(self._recoveries, 1, self._SEQ_CST)
                    self._end_wake_up()
                    result = True
                    return result
                if seen & 1 and self._freed_soon():
                    continue
                sleep = F.LOCK_MAX_SLEEP_NS if deadline is None else min(F.LOCK_MAX_SLEEP_NS, deadline - now)
                self._futex(self._FUTEX_WAIT, seen, sleep)
        finally:
            # Once the block is freed the waiter count and the owner word are free list links: leave them
            # alone. Withdraw while still counted: a registered waiter keeps a Java free from freeing the block.
            if result is None and asked_for_hand_off and not self._freed():
                self._withdraw_hand_off()
            if not self._freed():
                self._unregister(generation)

    def _freed_soon(self):
        """Whether the lock turns free within a few looks. A waiter that read wakeups odd may have read
        it between a release's announcement of its wake-up and its store of the free word; if it slept
        now, the FUTEX_WAKE could come first and it would sleep the whole 1 ms while the lock is free
        (docs/LOCK.md "wakeups"). A ctypes call is about a microsecond: a few looks span what the Java
        and C waiters' spin does."""
        for _ in range(F.LOCK_SPINS // 8):
            if self._load_owner() == self._free:
                return True
        return False

    def _ask_hand_off(self, word):
        """CAS(owner, word, word | HANDOFF) for word, a token; checked after like a claim: a free and
        a reuse since this round's look at the generation may have left a new object's bytes there,
        which get back what they had (and LockFreedError). Whether it asked."""
        if not self._cas_owner(word, word | self._HANDOFF):
            return False
        if self._freed():
            self._cas_owner(word | self._HANDOFF, word)
            raise self._refuse()
        return True

    def _withdraw_hand_off(self):
        """A long waiter gives up: take its request back (only a token's), or free a lock already reserved."""
        word = self._load_owner()
        if word == self._RESERVED:
            # The wake-up is announced before the lock is freed, as a release does.
            wake = self._announce_wake_up()
            if self._cas_owner(word, self._free) and wake:
                self._futex(self._FUTEX_WAKE, 1)
        elif word & self._HANDOFF and _is_token(word):
            self._cas_owner(word, word & ~self._HANDOFF)

    def release(self):
        me = self._token()
        word = self._load_owner()
        owner = word & ~self._HANDOFF
        if owner != me:
            raise RuntimeError("release by process %d thread %d, but the lock is held by %s" % (
                me >> 32, me & F.LOCK_THREAD_MASK,
                "nobody" if word in (self._free, self._RESERVED)
                else "process %d thread %d" % ((owner >> 32) & 0xFFFFFFFF, owner & F.LOCK_THREAD_MASK)))
        extra = self._extra.value
        if extra > 0:
            self._extra.value = extra - 1
            return
        if extra < 0:
            self._extra.value = 0   # corrupt: reset, and release rather than leave the lock wedged
        if not self._load_uint(self._waiters) & F.LOCK_COUNT_MASK:
            # Nobody to wake, and no hand-off request to honour (only a registered waiter asks).
            self._store8(self._owner, self._free, self._SEQ_CST)
            return
        # Nothing of the cell is written after the store that gives the lock up: from then on a waiter
        # may take and release it, and a Java process free the block and reuse its memory. So the
        # wake-up is announced while the lock is held, and only FUTEX_WAKE (no write) comes after.
        if self._load_owner() & self._HANDOFF:
            # A long waiter asked for a hand-off: reserve the lock for long waiters and wake them all.
            self._add4(self._wakeups, 2, self._SEQ_CST)
            self._store8(self._owner, self._RESERVED, self._SEQ_CST)
            self._futex(self._FUTEX_WAKE, 0x7FFFFFFF)
            return
        wake = self._announce_wake_up()
        self._store8(self._owner, self._free, self._SEQ_CST)
        if wake:
            self._futex(self._FUTEX_WAKE, 1)

    def _announce_wake_up(self):
        """Makes wakeups odd unless a wake-up is on its way (then heals a count whose waiters are
        gone); whether the caller must FUTEX_WAKE once it has freed the lock."""
        word = self._load_uint(self._wakeups)
        if word & 1 == 0:
            self._unanswered_since = 0
            return self._cas_int(self._wakeups, word, word + 1)
        if not self._unanswered_since:
            self._unanswered_since = time.monotonic_ns()
            self._unanswered_releases = 0
        else:
            self._unanswered_releases += 1
            if (self._unanswered_releases & 63 == 0
                    and time.monotonic_ns() - self._unanswered_since > F.LOCK_STALE_WAKE_UP_NS):
                self._restart_count(self._load_uint(self._waiters))
                self._unanswered_since = 0
        return False

    def is_owned(self):
        return self._load_owner() & ~self._HANDOFF == self._token()

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc):
        self.release()


#: The largest timeout, in seconds: INT64_MAX nanoseconds, rounded down (threading.TIMEOUT_MAX on Linux).
TIMEOUT_MAX = float((2 ** 63 - 1) // 1_000_000_000)


def check_timeout(blocking, timeout):
    """The timeout of acquire(blocking, timeout) as a number (-1: no limit), refused as threading.Lock
    refuses it (and the native lock, _native.c): NaN, a negative other than -1 (ValueError), one above
    TIMEOUT_MAX (OverflowError), a timeout for a non-blocking call (ValueError)."""
    if timeout is None:
        timeout = -1
    if timeout != timeout or (timeout < 0 and timeout != -1):
        raise ValueError("timeout must be -1, None or a non-negative number of seconds, not %r" % (timeout,))
    if timeout > TIMEOUT_MAX:
        raise OverflowError("timeout %r is too large (at most %.0f seconds, or -1 or None: no limit)" % (timeout, TIMEOUT_MAX))
    if not blocking and timeout != -1:
        raise ValueError("can't specify a timeout for a non-blocking call")
    return timeout


def _is_token(word):
    """Whether an owner word can be a token, with or without the hand-off bit: a pid of 1 to 2^22 and a thread part."""
    token = word & ~F.LOCK_HANDOFF
    return 0 < (token >> 32) <= F.LOCK_MAX_PID and token & F.LOCK_THREAD_MASK != 0


def _signed32(value):
    """An unsigned 32-bit word as the signed int ctypes passes."""
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value & 0x80000000 else value


class _OwnerWatch:
    """What one waiter has seen of the owner's process, so that a reused pid is judged over time."""

    def __init__(self, lock):
        self.lock = lock
        self.next_check = time.monotonic_ns() + F.LOCK_OWNER_CHECK_NS
        self.other = None
        self.other_since = 0

    def dead_owner(self, now):
        """The owner word when its process is gone (or it is no token: corrupt, or 0 in the cell of a
        block, whose free word is not 0), else None; looks every 20 ms."""
        if now < self.next_check:
            return None
        self.next_check = now + F.LOCK_OWNER_CHECK_NS
        lock = self.lock
        owner = lock._load_owner()
        if owner == lock._free or owner == F.LOCK_RESERVED:
            return None   # nobody owns it
        token = owner & ~F.LOCK_HANDOFF
        pid = token >> 32
        if not 0 < pid <= F.LOCK_MAX_PID or token & F.LOCK_THREAD_MASK == 0:
            return owner   # no process could have written this word: take it over rather than wait forever
        if pid == os.getpid():   # a thread of this process that died holding it cannot be told from a slow one
            return None
        recorded = lock._owner_start.value
        stat = _proc_stat(pid)
        # A zombie with threads left is a process whose main thread ended and that lives on in its
        # other threads, one of which may be the owner: only a zombie of one thread (or none) is dead.
        if stat is None or stat[0] == "X" or (stat[0] == "Z" and stat[2] <= 1):
            return owner
        if recorded == 0 or stat[1] in (0, recorded):
            self.other = None
            return None
        if self.other != (owner, recorded):
            self.other, self.other_since = (owner, recorded), now
        return owner if now - self.other_since >= F.LOCK_REUSED_PID_GRACE_NS else None


def make_lock(address, keep, generation=0, what=None, start_word=0, start_bit=0):
    """A lock over the cell at address; keep is whatever keeps the mapping alive. generation is that
    of the block whose payload starts with the cell, as found (0 for a cell that is never freed, the
    region header's), start_word and start_bit that block's bit in the block-start map; every claim
    checks both and raises LockFreedError, naming what, once the generation changed or no block
    starts there any more."""
    if _native is not None:
        return _native.NativeLock(address, keep, generation, what, start_word, start_bit)
    return CtypesLock(address, keep, generation, what, start_word, start_bit)
