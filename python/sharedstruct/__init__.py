"""sharedstruct for Python: the same regions, names and locks as the Java runtime and the C peer.

    from sharedstruct import Region
    with Region.open("/dev/shm/app.region") as region:
        counter = region.find("counter")
        with counter.get_lock():
            counter.count += 1

Standard library only. The lock's fast path is a small C extension built from c/sharedstruct.h
with the machine's cc on first use (LOCK_IMPLEMENTATION says "native"); without a compiler the
same protocol runs in pure ctypes ("ctypes"). See docs/PEERS.md and docs/FORMAT.md.
"""
from .lock import IMPLEMENTATION as LOCK_IMPLEMENTATION
from .lock import LockFreedError
from .lock import WHY_NOT_NATIVE
from .objects import Text
from .region import InvalidRegionError, LayoutMismatchError, Region

__all__ = ["Region", "InvalidRegionError", "LayoutMismatchError", "LockFreedError", "Text", "LOCK_IMPLEMENTATION",
           "WHY_NOT_NATIVE"]
