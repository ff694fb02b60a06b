"""The SharedLock protocol (docs/FORMAT.md "Lock protocol") for Python threads: the native C
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


def _proc_stat(pid):
    """(state, start time) of a process; None when there is none; ('?', 0) without /proc."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            text = f.read().decode("ascii", "replace")
    except FileNotFoundError:
        return None if os.path.isdir("/proc/self") else ("?", 0)
    except OSError:
        return ("?", 0)
    fields = text[text.rindex(")") + 2:].split(" ")
    return fields[0], int(fields[19])


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
    _SYS_FUTEX = 202 if os.uname().machine in ("x86_64", "amd64") else 98
    _start = None
    _start_pid = None

    def __init__(self, address, keep=None):
        if address == 0 or address % 8:
            raise ValueError("lock cell address %d is not an 8-byte aligned address" % address)
        self._keep = keep
        self._owner = address + F.LOCK_OWNER
        self._extra = ctypes.c_int32.from_address(address + F.LOCK_EXTRA_HOLDS)
        self._waiters = address + F.LOCK_WAITERS
        self._wakeups = address + F.LOCK_WAKEUPS
        self._recoveries = address + F.LOCK_RECOVERIES
        self._owner_start = ctypes.c_int64.from_address(address + F.LOCK_OWNER_START)
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
        return (os.getpid() << 32) | (threading.get_native_id() & 0xFFFFFFFF)

    def _cas_owner(self, expected, new):
        cell = ctypes.c_int64(expected)
        return self._cas8(self._owner, ctypes.addressof(cell), new, self._SEQ_CST, self._SEQ_CST)

    def _claimed(self):
        if self._extra.value != 0:
            self._extra.value = 0
        start = self._my_start()
        if self._owner_start.value != start:
            self._owner_start.value = start

    def _try_take_free(self, me):
        if self._load8(self._owner, self._SEQ_CST) == 0 and self._cas_owner(0, me):
            self._claimed()
            return True
        return False

    def acquire(self, blocking=True, timeout=-1):
        if timeout is None:
            timeout = -1
        if timeout < 0 and timeout != -1:
            raise ValueError("timeout must be -1, None or a non-negative number of seconds, not %r" % (timeout,))
        me = self._token()
        if self._try_take_free(me):
            self.previous_owner_died = False
            return True
        if self._load8(self._owner, self._SEQ_CST) == me:
            self._extra.value += 1
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

    def _acquire_slowly(self, me, deadline):
        """True when taken over from a dead owner, False when acquired, None at the deadline."""
        self._add4(self._waiters, 1, self._SEQ_CST)
        try:
            watch = _OwnerWatch(self)
            while True:
                seen = self._load4(self._wakeups, self._SEQ_CST)
                if seen & 1:
                    expected = ctypes.c_int32(seen)
                    if self._cas4(self._wakeups, ctypes.addressof(expected), seen + 1, self._SEQ_CST, self._SEQ_CST):
                        seen += 1
                if self._try_take_free(me):
                    return False
                now = time.monotonic_ns()
                if deadline is not None and now >= deadline:
                    return None
                dead = watch.dead_owner(now)
                if dead and self._cas_owner(dead, me):
                    self._extra.value = 0
                    self._owner_start.value = self._my_start()
                    self._add4(self._recoveries, 1, self._SEQ_CST)
                    return True
                sleep = F.LOCK_MAX_SLEEP_NS if deadline is None else min(F.LOCK_MAX_SLEEP_NS, deadline - now)
                timespec = (ctypes.c_long * 2)(sleep // 1_000_000_000, sleep % 1_000_000_000)
                self._syscall(ctypes.c_long(self._SYS_FUTEX), ctypes.c_void_p(self._wakeups), ctypes.c_int(0),
                              ctypes.c_int(seen), timespec, None, ctypes.c_int(0))
        finally:
            self._add4(self._waiters, -1, self._SEQ_CST)

    def release(self):
        me = self._token()
        owner = self._load8(self._owner, self._SEQ_CST)
        if owner != me:
            raise RuntimeError("release by process %d thread %d, but the lock is held by %s" % (
                me >> 32, me & 0xFFFFFFFF, "nobody" if owner == 0 else "process %d thread %d" % (owner >> 32, owner & 0xFFFFFFFF)))
        if self._extra.value > 0:
            self._extra.value -= 1
            return
        self._store8(self._owner, 0, self._SEQ_CST)
        if self._load4(self._waiters, self._SEQ_CST) > 0:
            word = self._load4(self._wakeups, self._SEQ_CST)
            expected = ctypes.c_int32(word)
            if word & 1 == 0 and self._cas4(self._wakeups, ctypes.addressof(expected), word + 1, self._SEQ_CST, self._SEQ_CST):
                self._syscall(ctypes.c_long(self._SYS_FUTEX), ctypes.c_void_p(self._wakeups), ctypes.c_int(1),
                              ctypes.c_int(1), None, None, ctypes.c_int(0))

    def is_owned(self):
        return self._load8(self._owner, self._SEQ_CST) == self._token()

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc):
        self.release()


class _OwnerWatch:
    """What one waiter has seen of the owner's process, so that a reused pid is judged over time."""

    def __init__(self, lock):
        self.lock = lock
        self.next_check = time.monotonic_ns() + F.LOCK_OWNER_CHECK_NS
        self.other = None
        self.other_since = 0

    def dead_owner(self, now):
        """The owner's token when its process is gone, else 0; looks every 20 ms."""
        if now < self.next_check:
            return 0
        self.next_check = now + F.LOCK_OWNER_CHECK_NS
        lock = self.lock
        owner = lock._load8(lock._owner, lock._SEQ_CST)
        pid = owner >> 32
        if owner == 0 or pid == 0 or pid == os.getpid():   # pid 0 is no process: never take it over
            return 0
        recorded = lock._owner_start.value
        stat = _proc_stat(pid)
        if stat is None or stat[0] in ("Z", "X"):
            return owner
        if recorded == 0 or stat[1] in (0, recorded):
            self.other = None
            return 0
        if self.other != (owner, recorded):
            self.other, self.other_since = (owner, recorded), now
        return owner if now - self.other_since >= F.LOCK_REUSED_PID_GRACE_NS else 0


def make_lock(address, keep):
    """A lock over the cell at address; keep is whatever keeps the mapping alive."""
    if _native is not None:
        return _native.NativeLock(address, keep)
    return CtypesLock(address, keep)
