"""Builds the lock fast path (_native.c, which includes c/sharedstruct.h) with the machine's cc
on first use, caching the result; returns None when that cannot be done, and the package then
uses the pure-ctypes lock. Why native: a ctypes call costs about a microsecond, and a lock
protocol in ctypes needs several per acquisition; as a C type the whole with-statement is two
calls (see docs/PEERS.md)."""
import hashlib
import importlib.machinery
import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile

_HERE = os.path.dirname(os.path.abspath(__file__))


def _header_dir():
    for candidate in (os.environ.get("SHAREDSTRUCT_C_DIR"), os.path.join(_HERE, "..", "..", "c")):
        if candidate and os.path.isfile(os.path.join(candidate, "sharedstruct.h")):
            return os.path.abspath(candidate)
    return None


def _cache_dir():
    root = os.environ.get("SHAREDSTRUCT_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "sharedstruct")
    return root


def load_native():
    """The _native module, compiled if needed; None (and the reason in WHY_NOT) if not possible."""
    global WHY_NOT
    if os.environ.get("SHAREDSTRUCT_NATIVE") == "0":
        WHY_NOT = "SHAREDSTRUCT_NATIVE=0"
        return None
    headers = _header_dir()
    compiler = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if headers is None or compiler is None:
        WHY_NOT = "no C compiler" if compiler is None else "c/sharedstruct.h not found (set SHAREDSTRUCT_C_DIR)"
        return None
    source = os.path.join(_HERE, "_native.c")
    digest = hashlib.sha256()
    for path in (source, os.path.join(headers, "sharedstruct.h")):
        with open(path, "rb") as f:
            digest.update(f.read())
    digest.update(sys.version.encode())
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    target_dir = os.path.join(_cache_dir(), digest.hexdigest()[:16])
    target = os.path.join(target_dir, "_native" + suffix)
    if not os.path.exists(target):
        try:
            os.makedirs(target_dir, mode=0o700, exist_ok=True)
            fd, temporary = tempfile.mkstemp(suffix=suffix, dir=target_dir)
            os.close(fd)
            command = [compiler, "-std=c11", "-O2", "-fPIC", "-shared", "-Wall", "-Wextra", "-Werror",
                       "-I" + headers, "-I" + sysconfig.get_paths()["include"], source, "-o", temporary]
            result = subprocess.run(command, capture_output=True, text=True)
            if result.returncode != 0:
                os.unlink(temporary)
                WHY_NOT = "cc failed: " + result.stderr.strip()[:500]
                return None
            os.replace(temporary, target)   # atomic: processes racing to build all see a whole file
        except OSError as e:
            WHY_NOT = "cannot build the native lock: " + str(e)
            return None
    spec = importlib.util.spec_from_file_location("sharedstruct._native", target)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    WHY_NOT = None
    return module


WHY_NOT = None
