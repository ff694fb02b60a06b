"""The Python side of the three-language example: finds the Java-made "tally" by name, checks
it against the module the processor generated from Tally.java, and adds 1 to it N times under
the same lock Java and C take."""
import sys

from sharedstruct import Region
from dev_sharedstruct_samples_Tally import Tally   # META-INF/sharedstruct/ in the samples jar

with Region.open(sys.argv[1]) as region:
    tally = region.find("tally", Tally)            # refused, naming fields, if the layout differs
    for _ in range(int(sys.argv[2])):
        with tally.get_lock():
            tally.count += 1
    tally.last = "python"
    print("Python sees count=%d last=%s" % (tally.count, tally.last))
