#!/usr/bin/env python3
"""A Python program that maps a sharedstruct region and works on a struct in it, as a C or Python
worker beside a Java service would: the interop test runs it.

Usage: python_peer.py REGION_FILE OFFSET
Reads the Point (double x, double y) at OFFSET, prints "x y", then sets y to x * 10.
"""
import ctypes
import mmap
import sys


class Point(ctypes.Structure):
    _fields_ = [("x", ctypes.c_double), ("y", ctypes.c_double)]


def main():
    path, offset = sys.argv[1], int(sys.argv[2])
    with open(path, "r+b") as f:
        region = mmap.mmap(f.fileno(), 0)
        if region[:8] != b"SHSTRUCT":
            sys.exit(path + " is not a sharedstruct region")
        point = Point.from_buffer(region, offset)
        print(point.x, point.y)
        point.y = point.x * 10
        del point
        region.close()


if __name__ == "__main__":
    main()
