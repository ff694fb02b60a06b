package dev.sharedstruct.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an interface whose accessors describe a C-compatible struct in shared memory.
 *
 * <p>Every abstract method is an accessor. Getters ({@code T name()}, {@code T getName()},
 * {@code boolean isName()}) declare the fields, in declaration order; setters ({@code void
 * name(T)}, {@code void setName(T)}) make a field writable. The sharedstruct annotation
 * processor generates {@code SharedStruct_<Name>} next to the interface: a
 * {@link java.lang.foreign.StructLayout} laid out as a C compiler would, and a raw and a
 * synchronized implementation whose every accessor takes the struct's lock.
 *
 * <pre>{@code
 * @SharedStruct
 * public interface Point {
 *     double x();
 *     void x(double value);
 *     double y();
 *     void y(double value);
 * }
 * }</pre>
 */
@Documented
// RUNTIME so that the runtime can tell "not a @SharedStruct" from "processor did not run".
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface SharedStruct {
}
