"""Locked increments per second: the sharedstruct Python peer (a counter a Java process made,
found by name, `with c.get_lock(): c.count += 1`) against multiprocessing.Value with get_lock()
(`with v.get_lock(): v.value += 1`), with 1 and 2 processes, alternating, best of 3 rounds.
Usage: peer_vs_value.py REGION OPS_PER_PROCESS"""
import multiprocessing
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "python"))
import sharedstruct  # noqa: E402
from sharedstruct import Region  # noqa: E402


def value_worker(value, ops, start):
    start.wait()
    lock = value.get_lock()
    for _ in range(ops):
        with lock:
            value.value += 1


def peer_worker(path, ops, start):
    with Region.open(path) as region:
        counter = region.find("counter")
        lock = counter.get_lock()
        start.wait()
        for _ in range(ops):
            with lock:
                counter.count += 1


def run(target, args, processes, ops):
    start = multiprocessing.Barrier(processes + 1)
    workers = [multiprocessing.Process(target=target, args=args + (ops, start)) for _ in range(processes)]
    for w in workers:
        w.start()
    start.wait()
    began = time.perf_counter()
    for w in workers:
        w.join()
        if w.exitcode != 0:
            sys.exit("a worker failed")
    return processes * ops / (time.perf_counter() - began)


def main():
    path, ops = sys.argv[1], int(sys.argv[2])
    multiprocessing.set_start_method("fork")
    print("Python peer lock: %s" % sharedstruct.LOCK_IMPLEMENTATION)
    print("| processes | sharedstruct Python peer | multiprocessing.Value | peer / Value |")
    print("|---|---:|---:|---:|")
    with Region.open(path) as region:
        counter = region.find("counter")
        for processes in (1, 2):
            best_peer = best_value = 0.0
            for _ in range(3):
                value = multiprocessing.Value("q", 0)
                best_value = max(best_value, run(value_worker, (value,), processes, ops))
                if value.value != processes * ops:
                    sys.exit("Value total %d, expected %d" % (value.value, processes * ops))
                counter.count = 0
                best_peer = max(best_peer, run(peer_worker, (path,), processes, ops))
                if counter.count != processes * ops:
                    sys.exit("peer total %d, expected %d" % (counter.count, processes * ops))
            print("| %d | %.2f M/s | %.2f M/s | %.2f× |" % (processes, best_peer / 1e6, best_value / 1e6, best_peer / best_value))


if __name__ == "__main__":
    main()
