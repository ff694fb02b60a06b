#!/usr/bin/env python3
"""Checks that every README code block marked <!-- file: PATH --> is exactly the file at PATH.

The Quick start is a complete project (examples/quickstart/); CI builds and runs that project, and
this check makes sure that what it builds is what the README shows, character for character.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
MARKED_BLOCK = re.compile(r"<!-- file: (\S+) -->\s*\n```[a-z]*\n(.*?)^```", re.S | re.M)


def main():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = MARKED_BLOCK.findall(readme)
    if not blocks:
        print("README.md: no <!-- file: PATH --> blocks found", file=sys.stderr)
        return 1
    failures = 0
    for path, text in blocks:
        actual = (ROOT / path).read_text(encoding="utf-8") if (ROOT / path).is_file() else None
        if actual != text:
            print(f"README.md: the block for {path} differs from the file; copy one onto the other",
                  file=sys.stderr)
            failures += 1
    print(f"README.md: {len(blocks) - failures} of {len(blocks)} file blocks match their files")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
