#!/usr/bin/env python3
"""Python's side of the comparison: N processes each do OPS locked increments of one
multiprocessing.Value, the way Python's documentation recommends:

    with counter.get_lock():
        counter.value += 1

Usage: value_increments.py PROCESSES OPS_PER_PROCESS
Prints: "<total> <seconds>" -- the final value and the time from the common start to the last finish.
"""
import multiprocessing
import sys
import time


def work(counter, ready, go, ops):
    ready.release()
    go.wait()
    for _ in range(ops):
        with counter.get_lock():
            counter.value += 1


def main():
    processes, ops = int(sys.argv[1]), int(sys.argv[2])
    counter = multiprocessing.Value('q', 0)
    ready = multiprocessing.Semaphore(0)
    go = multiprocessing.Event()
    workers = [multiprocessing.Process(target=work, args=(counter, ready, go, ops)) for _ in range(processes)]
    for worker in workers:
        worker.start()
    for _ in workers:
        ready.acquire()
    start = time.perf_counter()
    go.set()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - start
    print(counter.value, elapsed)


if __name__ == "__main__":
    main()
