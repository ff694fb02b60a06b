package dev.sharedstruct.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The fixed length of an array field (elements) or a string field (bytes of UTF-8, NUL-padded),
 * put on the field's getter: {@code @Length(16) int[] samples();} is C's {@code int32_t
 * samples[16];}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Length {
    /**
     * The field's fixed length.
     *
     * @return the number of elements of an array field, or of bytes of a string field; at least 1
     */
    int value();
}
