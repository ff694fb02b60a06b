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
  peer.py churn REGION NAME MS SEED        for MS ms takes the lock of NAME (a struct of count, mirror,
                                           inside) every way there is (with, acquire() with timeouts of
                                           0, a few ms and -1, blocking=False), re-enters it, and checks
                                           that nobody else is inside: inside is 0 and count == mirror on
                                           entry unless the lock was taken over (then repairs them); says
                                           "ready", then prints "ok N died D bad B timeouts T longest W"
"""
import importlib
import os
import random
import sys
import threading
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
        elif command == "churn":
            churn(counter, lock, int(argv[4]), random.Random(int(argv[5])))
        else:
            print("unknown command " + command, file=sys.stderr)
            return 2
    return 0


def churn(view, lock, millis, rng):
    raw = view.get_obj()
    me = (os.getpid() << 32) | threading.get_native_id()
    ok = died = bad = timeouts = longest = 0
    end = time.monotonic_ns() + millis * 1_000_000
    print("ready", flush=True)
    while time.monotonic_ns() < end:
        how = rng.randrange(5)
        asked = time.monotonic_ns()
        if how == 0:
            got = lock.acquire()
        elif how == 1:
            got = lock.acquire(timeout=0)
        elif how == 2:
            got = lock.acquire(timeout=rng.random() * 0.003)
        elif how == 3:
            got = lock.acquire(blocking=False)
        else:
            got = lock.acquire(True, -1)
        waited = time.monotonic_ns() - asked
        if not got:
            if how in (0, 4):
                print("blocking acquire (how %d) returned False" % how, file=sys.stderr)
                bad += 1
            timeouts += 1
            continue
        if how not in (1, 3):
            longest = max(longest, waited)
        if lock.previous_owner_died:
            died += 1
        elif raw.inside != 0 or raw.count != raw.mirror:
            print("not alone: inside=%d count=%d mirror=%d" % (raw.inside, raw.count, raw.mirror), file=sys.stderr)
            bad += 1
        raw.mirror = raw.count
        raw.inside = me
        view.count += 1   # each access re-enters the held lock
        for _ in range(rng.randrange(50)):
            if raw.inside != me:
                break
        if rng.randrange(8) == 0:
            time.sleep(0.0005 + rng.random() * 0.0025)   # held a while: a kill lands here more often
        if raw.inside != me:
            print("somebody else came in: inside=%d" % raw.inside, file=sys.stderr)
            bad += 1
        raw.mirror = raw.mirror + 1
        raw.inside = 0
        ok += 1
        lock.release()
    print("ok %d died %d bad %d timeouts %d longest %d" % (ok, died, bad, timeouts, longest // 1_000_000), flush=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
