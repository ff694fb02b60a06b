#!/usr/bin/env bash
# Java, Python and C processes add to one named struct under one lock (README "From C and Python").
# Run after `mvn -B -DskipTests install`; prints what each language sees and the exact total.
set -euo pipefail
cd "$(dirname "$0")/../.."
java="${JAVA25:-$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -1)}"
classes="annotations/target/classes:runtime/target/classes:samples/target/classes"
generated="samples/target/classes/META-INF/sharedstruct"     # the processor's C header and Python module
region="/dev/shm/sharedstruct-example-$$.region"
build="$(mktemp -d)"
trap 'rm -rf "$region" "$build"' EXIT
n=100000

cc -std=c11 -O2 -Wall -Wextra -Werror -I c -I "$generated" examples/peers/tally.c -o "$build/tally"
"$java" -cp "$classes" dev.sharedstruct.samples.PeersExample create "$region"
PYTHONPATH="python:$generated" python3 examples/peers/tally.py "$region" $n &
python=$!
"$build/tally" "$region" $n &
c=$!
"$java" -cp "$classes" dev.sharedstruct.samples.PeersExample add "$region" $n
wait $python
wait $c
"$java" -cp "$classes" dev.sharedstruct.samples.PeersExample show "$region"
