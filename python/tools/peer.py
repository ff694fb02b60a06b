#!/usr/bin/env python3
"""A Python peer process for tests, benchmarks and the example: works on a named object of a
region file that Java (or C) made.

  peer.py increment REGION NAME COUNT      adds 1 to field count COUNT times, under the lock
  peer.py hold REGION NAME                 takes the lock, writes count = -1, says "held", sleeps
  peer.py wait REGION NAME                 takes the lock, prints "previous_owner_died=B count=N",
                                           repairs count (-1 -> 0), releases
  peer.py show REGION NAME [MODULE CLASS]  prints the object (checked against a generated class)
  peer.py bench REGION NAME COUNT          COUNT locked increments; prints increments per second
  peer.py busy REGION NAME READY MS        adds 1 to count under the lock, waits until count reaches
                                           READY, then for MS ms takes the lock over and over and
                                           keeps it 200 us each time; prints "longest=W acquisitions=N"
                                           (W: its longest wait for the lock, in ms)
"""
import importlib
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from sharedstruct import Region  # noqa: E402


def main(argv):
    command, path, name = argv[1], argv[2], argv[3]
    with Region.open(path) as region:
        if command == "show":
            cls = None
            if len(argv) > 5:
                sys.path.insert(0, os.getcwd())
                cls = getattr(importlib.import_module(argv[4]), argv[5])
            print(region.find(name, cls))
            return 0
        counter = region.find(name)
        lock = counter.get_lock()
        if command == "increment":
            for _ in range(int(argv[4])):
                with lock:
                    counter.count += 1
        elif command == "bench":
            count = int(argv[4])
            start = time.perf_counter()
            for _ in range(count):
                with lock:
                    counter.count += 1
            print("%.0f" % (count / (time.perf_counter() - start)))
        elif command == "hold":
            lock.acquire()
            counter.count = -1
            print("held", flush=True)
            time.sleep(3600)
        elif command == "wait":
            with lock:
                died = lock.previous_owner_died
                found = counter.count
                if found == -1:
                    counter.count = 0
            print("previous_owner_died=%s count=%d" % (died, found), flush=True)
        elif command == "busy":
            with lock:
                counter.count += 1
            while counter.get_obj().count < int(argv[4]):
                time.sleep(0.0001)
            end = time.monotonic_ns() + int(argv[5]) * 1_000_000
            longest = acquisitions = 0
            while time.monotonic_ns() < end:
                asked = time.monotonic_ns()
                with lock:
                    got = time.monotonic_ns()
                    longest = max(longest, got - asked)
                    acquisitions += 1
                    while time.monotonic_ns() - got < 200_000:
                        pass   # busy, as real work would be
            print("longest=%d acquisitions=%d" % (longest // 1_000_000, acquisitions), flush=True)
        else:
            print("unknown command " + command, file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
