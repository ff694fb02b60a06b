package dev.sharedstruct.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** Refusals for arrays, strings, nested structs and enums, each on its line. */
class DataKindErrorTest {

    private static void assertError(JavaFileObject source, String message, String line) {
        Compilation compilation = Sources.compile(source);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining(message).inFile(source).onLineContaining(line);
    }

    @Test
    void arrayWithoutLengthIsRefused() {
        assertError(Sources.struct("S", "@SharedStruct", "public interface S {", "    int[] samples();", "}"),
                "field samples has type int[], which needs a fixed size in shared memory; annotate the getter with @Length(n)",
                "int[] samples()");
    }

    @Test
    void stringWithoutLengthIsRefused() {
        assertError(Sources.struct("S", "@SharedStruct", "public interface S {", "    String name();", "}"),
                "field name has type java.lang.String, which needs a fixed size", "String name()");
    }

    @Test
    void lengthBelowOneIsRefused() {
        assertError(Sources.struct("S", "@SharedStruct", "public interface S {", "    @Length(0) int[] samples();", "}"),
                "@Length(0) on field samples is out of range; a length is at least 1 and at most 16777216", "int[] samples()");
    }

    @Test
    void absurdlyLargeLengthIsRefused() {
        assertError(Sources.struct("S", "@SharedStruct", "public interface S {", "    @Length(2000000000) long[] samples();", "}"),
                "@Length(2000000000) on field samples is out of range", "long[] samples()");
    }

    @Test
    void lengthOnAScalarIsRefused() {
        assertError(Sources.struct("S", "@SharedStruct", "public interface S {", "    @Length(4) int count();", "}"),
                "@Length on field count has no meaning for type int", "int count()");
    }

    @Test
    void lengthOnASetterIsRefused() {
        assertError(Sources.struct("S", "@SharedStruct", "public interface S {", "    @Length(4) int[] samples();",
                        "    @Length(4) void samples(int[] value);", "}"),
                "@Length belongs on the getter that declares the field, not on samples(int[])", "void samples(int[]");
    }

    @Test
    void arrayOfUnsupportedElementsIsRefused() {
        assertError(Sources.struct("S", "@SharedStruct", "public interface S {", "    @Length(4) String[] names();", "}"),
                "field names is an array of java.lang.String, which a shared struct cannot store", "String[] names()");
    }

    @Test
    void multiDimensionalArrayIsRefused() {
        assertError(Sources.struct("S", "@SharedStruct", "public interface S {", "    @Length(4) int[][] grid();", "}"),
                "field grid has type int[][]; multi-dimensional arrays are not supported", "int[][] grid()");
    }

    @Test
    void nestedInterfaceThatIsNotASharedStructIsRefused() {
        assertError(Sources.struct("S", "interface Plain { int x(); }", "@SharedStruct", "public interface S {",
                        "    Plain inner();", "}"),
                "field inner has type test.Plain, which is an interface but not a @SharedStruct; annotate Plain with @SharedStruct",
                "Plain inner()");
    }

    @Test
    void structContainingItselfIsRefused() {
        assertError(Sources.struct("Node", "@SharedStruct", "public interface Node {", "    int value();",
                        "    Node next();", "}"),
                "field next embeds Node, which contains itself (Node -> Node)", "Node next()");
    }

    @Test
    void structContainingItselfThroughOthersIsRefused() {
        JavaFileObject a = Sources.struct("A", "@SharedStruct", "public interface A {", "    B b();", "}");
        JavaFileObject b = Sources.struct("B", "@SharedStruct", "public interface B {", "    @Length(2) A[] as();", "}");
        Compilation compilation = Sources.compile(a, b);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("which contains itself (A -> B -> A)").inFile(b).onLineContaining("A[] as()");
    }

    @Test
    void indexedGetterOfTheWrongTypeIsRefused() {
        assertError(Sources.struct("S", "@SharedStruct", "public interface S {", "    @Length(4) int[] samples();",
                        "    long samples(int index);", "}"),
                "setter samples(int) takes long, but the getter samples() returns int[]", "long samples(int index)");
    }

    @Test
    void indexedSetterOfAFieldThatIsNoArrayIsRefused() {
        assertError(Sources.struct("S", "@SharedStruct", "public interface S {", "    int count();",
                        "    void count(int index, int value);", "}"),
                "count(int, int) is neither a getter nor a setter", "void count(int index");
    }

    @Test
    void rawViewOfANonStringFieldIsAFieldOfItsOwnAndNeedsALength() {
        assertError(Sources.struct("S", "@SharedStruct", "public interface S {", "    int count();",
                        "    byte[] rawCount();", "}"),
                "field rawCount has type byte[], which needs a fixed size", "byte[] rawCount()");
    }
}
