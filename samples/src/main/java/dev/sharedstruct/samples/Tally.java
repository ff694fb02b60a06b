package dev.sharedstruct.samples;

import dev.sharedstruct.annotation.Length;
import dev.sharedstruct.annotation.SharedStruct;
import java.util.function.LongUnaryOperator;

/** The struct of the three-language example (examples/peers): a counter and who touched it last. */
@SharedStruct
public interface Tally {
    long count();
    void count(long value);
    long updateCount(LongUnaryOperator op);   // one step under the struct's lock
    @Length(16) String last();
    void last(String value);
}
