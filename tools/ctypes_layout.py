#!/usr/bin/env python3
"""Prints what Python's ctypes computes for C structs: the oracle our layout tests compare with.

Reads JSON from stdin:
  {"structs": [{"name": "Mixed", "fields": [["a", "c_byte"], ["b", "c_int32*4"], ["p", "struct:Point"]]}]}
Field types are ctypes names (c_bool, c_byte, c_int16, c_uint16, c_int32, c_int64, c_float,
c_double, c_char), optionally followed by "*N" for an array of N, or "struct:Name" for a struct
defined earlier in the list. Writes one line per struct and per field:
  struct Mixed 24 8        (name, size, alignment)
  field Mixed a 0 1        (struct, field, offset, size)
"""
import ctypes
import json
import sys


def resolve(spec, defined):
    count = None
    if "*" in spec:
        spec, count = spec.split("*")
    if spec.startswith("struct:"):
        base = defined[spec[len("struct:"):]]
    else:
        base = getattr(ctypes, spec)
    return base * int(count) if count else base


def main():
    request = json.load(sys.stdin)
    defined = {}
    for struct in request["structs"]:
        name = struct["name"]
        fields = [(field, resolve(spec, defined)) for field, spec in struct["fields"]]
        cls = type(name, (ctypes.Structure,), {"_fields_": fields})
        defined[name] = cls
        print("struct", name, ctypes.sizeof(cls), ctypes.alignment(cls))
        for field, _ in fields:
            descriptor = getattr(cls, field)
            print("field", name, field, descriptor.offset, descriptor.size)


if __name__ == "__main__":
    main()
