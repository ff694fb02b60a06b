package dev.sharedstruct.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;

/** Every refusal of the processor: the message says what is wrong and how to fix it, on the offending line. */
class ErrorTest {

    private static void assertError(JavaFileObject source, String message, String line) {
        Compilation compilation = Sources.compile(source);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining(message).inFile(source).onLineContaining(line);
    }

    @Test
    void annotationOnAClassIsRefused() {
        assertError(Sources.struct("Point", "@SharedStruct", "public abstract class Point {", "    abstract int x();", "}"),
                "@SharedStruct applies to interfaces, but Point is a class", "class Point");
    }

    @Test
    void annotationOnAnEnumIsRefused() {
        assertError(Sources.struct("Color", "@SharedStruct", "public enum Color { RED }"),
                "but Color is an enum", "enum Color");
    }

    @Test
    void annotationOnARecordIsRefused() {
        assertError(Sources.struct("Pair", "@SharedStruct", "public record Pair(int a, int b) {}"),
                "but Pair is a record", "record Pair");
    }

    @Test
    void annotationOnAnAnnotationTypeIsRefused() {
        assertError(Sources.struct("Marker", "@SharedStruct", "public @interface Marker {}"),
                "but Marker is an annotation type", "@interface Marker");
    }

    @Test
    void genericInterfaceIsRefused() {
        assertError(Sources.struct("Box", "@SharedStruct", "public interface Box<T> {", "    int size();", "}"),
                "Box must not have type parameters", "interface Box<T>");
    }

    @Test
    void genericMethodIsRefused() {
        assertError(Sources.struct("Box", "@SharedStruct", "public interface Box {", "    int size();",
                        "    <T> void size(int value);", "}"),
                "accessor size(int) must not have type parameters; remove <T>", "<T> void size");
    }

    @Test
    void methodWithTwoParametersIsNeitherGetterNorSetter() {
        assertError(Sources.struct("Point", "@SharedStruct", "public interface Point {", "    int x();",
                        "    void move(int dx, int dy);", "}"),
                "move(int, int) is neither a getter nor a setter", "void move");
    }

    @Test
    void voidMethodWithoutParametersIsNeitherGetterNorSetter() {
        assertError(Sources.struct("Point", "@SharedStruct", "public interface Point {", "    int x();",
                        "    void reset();", "}"),
                "reset() is neither a getter nor a setter", "void reset");
    }

    @Test
    void setterThatReturnsAValueIsRefused() {
        assertError(Sources.struct("Point", "@SharedStruct", "public interface Point {", "    int x();",
                        "    Point x(int value);", "}"),
                "setter x(int) must return void, not test.Point", "Point x(int value)");
    }

    @Test
    void checkedExceptionIsRefused() {
        assertError(Sources.struct("Point", "@SharedStruct", "public interface Point {",
                        "    int x() throws java.io.IOException;", "}"),
                "accessor x() must not declare the checked exception java.io.IOException", "int x()");
    }

    @Test
    void uncheckedExceptionIsAllowed() {
        Compilation compilation = Sources.compile(Sources.struct("Point", "@SharedStruct", "public interface Point {",
                "    int x() throws IllegalStateException;", "}"));
        assertThat(compilation).succeededWithoutWarnings();
    }

    @Test
    void unsupportedFieldTypeIsNamedWithTheSupportedOnes() {
        assertError(Sources.struct("Holder", "@SharedStruct", "public interface Holder {",
                        "    java.util.List<String> names();", "}"),
                "field names has type java.util.List<java.lang.String>, which a shared struct cannot store;"
                        + " supported types: boolean, byte, short, char, int, long, float, double, enums,"
                        + " @SharedStruct interfaces, @Length(n) String, and @Length(n) arrays",
                "names()");
    }

    @Test
    void setterTypeMustMatchGetterType() {
        assertError(Sources.struct("Point", "@SharedStruct", "public interface Point {", "    int x();",
                        "    void x(long value);", "}"),
                "setter x(long) takes long, but the getter x() returns int; make the types agree", "void x(long");
    }

    @Test
    void setterWithoutGetterIsRefused() {
        assertError(Sources.struct("Point", "@SharedStruct", "public interface Point {", "    int x();",
                        "    void setY(int value);", "}"),
                "setter setY(int) writes field y, which has no getter; declare a getter such as int y()", "void setY");
    }

    @Test
    void twoGettersOfOneFieldAreRefused() {
        assertError(Sources.struct("Point", "@SharedStruct", "public interface Point {", "    int x();",
                        "    int getX();", "}"),
                "x() and getX() both read field x; keep one of them", "int getX()");
    }

    @Test
    void twoSettersOfOneFieldAreRefused() {
        assertError(Sources.struct("Point", "@SharedStruct", "public interface Point {", "    int x();",
                        "    void x(int value);", "    void setX(int value);", "}"),
                "x(int) and setX(int) both write field x; keep one of them", "void setX");
    }

    @Test
    void interfaceWithoutFieldsIsRefused() {
        assertError(Sources.struct("Empty", "@SharedStruct", "public interface Empty {",
                        "    default int answer() { return 42; }", "}"),
                "Empty declares no fields; add at least one getter", "interface Empty");
    }

    @Test
    void fieldNamedLikeAnObjectMethodClashes() {
        assertError(Sources.struct("Odd", "@SharedStruct", "public interface Odd {", "    int hashCode();", "}"),
                "hashCode() clashes with Object.hashCode()", "int hashCode()");
    }

    @Test
    void fieldsWhoseConstantsCollideClash() {
        assertError(Sources.struct("Odd", "@SharedStruct", "public interface Odd {", "    int fooBar();",
                        "    int foo_bar();", "}"),
                "field foo_bar needs the constant FOO_BAR_HANDLE in the generated class, which field fooBar already uses",
                "int foo_bar()");
    }

    @Test
    void interfaceConstantThatWouldHideAGeneratedOneClashes() {
        assertError(Sources.struct("Odd", "@SharedStruct", "public interface Odd {", "    int TYPE = 3;",
                        "    int kind();", "}"),
                "constant TYPE would hide the generated class's TYPE", "int TYPE = 3");
    }

    @Test
    void privateNestedInterfaceIsRefused() {
        assertError(Sources.struct("Outer", "public class Outer {", "    @SharedStruct",
                        "    private interface Inner {", "        int x();", "    }", "}"),
                "Inner must not be private or local", "private interface Inner");
    }

    @Test
    void inheritedAbstractMethodIsRefused() {
        assertError(Sources.struct("Child", "interface Base { int x(); }", "@SharedStruct",
                        "public interface Child extends Base {", "    int y();", "}"),
                "Child inherits the abstract method x() from Base", "interface Child");
    }

    @Test
    void everyErrorOfOneInterfaceIsReported() {
        JavaFileObject source = Sources.struct("Bad", "@SharedStruct", "public interface Bad {",
                "    Object a();", "    void b(int value);", "    int c(int x, int y);", "}");
        Compilation compilation = Sources.compile(source);
        assertThat(compilation).hadErrorCount(3);
        assertThat(compilation).hadErrorContaining("field a has type java.lang.Object").inFile(source).onLineContaining("Object a()");
        assertThat(compilation).hadErrorContaining("setter b(int) writes field b").inFile(source).onLineContaining("void b(");
        assertThat(compilation).hadErrorContaining("c(int, int) is neither").inFile(source).onLineContaining("int c(");
    }

    @Test
    void oneBadInterfaceDoesNotHideTheErrorsOfAnother() {
        JavaFileObject first = Sources.struct("First", "@SharedStruct", "public interface First {", "    String name();", "}");
        JavaFileObject second = Sources.struct("Second", "@SharedStruct", "public interface Second {", "    int x();",
                "    void x(long value);", "}");
        Compilation compilation = Sources.compile(first, second);
        assertThat(compilation).hadErrorContaining("field name has type java.lang.String").inFile(first).onLineContaining("name()");
        assertThat(compilation).hadErrorContaining("setter x(long) takes long").inFile(second).onLineContaining("void x(long");
    }

    @Test
    void aBadInterfaceDoesNotStopAGoodOneFromBeingGenerated(@TempDir Path generated) throws IOException {
        JavaFileObject bad = Sources.struct("Bad", "@SharedStruct", "public interface Bad {", "    Object a();", "}");
        JavaFileObject good = Sources.struct("Good", "@SharedStruct", "public interface Good {", "    int a();", "}");
        // compile-testing hides generated files of a failed compilation; plain javac keeps them on disk.
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
            JavaCompiler.CompilationTask task = javac.getTask(null, files, diagnostics,
                    List.of("-proc:only", "-s", generated.toString(), "-d", generated.toString()), null, List.of(bad, good));
            task.setProcessors(List.of(new SharedStructProcessor()));
            org.junit.jupiter.api.Assertions.assertFalse(task.call());
        }
        org.junit.jupiter.api.Assertions.assertTrue(Files.exists(generated.resolve("test/SharedStruct_Good.java")),
                "Good was not generated next to the failing Bad: " + diagnostics.getDiagnostics());
        org.junit.jupiter.api.Assertions.assertFalse(Files.exists(generated.resolve("test/SharedStruct_Bad.java")));
    }

    @Test
    void everyMessageIsTagged() {
        Compilation compilation = Sources.compile(Sources.struct("Empty", "@SharedStruct", "public interface Empty {}"));
        assertThat(compilation).hadErrorContaining("[SharedStruct.no_fields]");
    }

    /**
     * a.b.Point and a_b.Point would write the same META-INF/sharedstruct/a_b_Point.h and .py: the
     * second is refused naming both and the fix (it was an internal error from the Filer), and an
     * error in another interface is still reported.
     */
    @Test
    void twoTypesWhosePeerFilesWouldBeTheSameAreRefusedNamingBoth() {
        JavaFileObject first = JavaFileObjects.forSourceLines("a.b.Point", "package a.b;", "",
                "@dev.sharedstruct.annotation.SharedStruct", "public interface Point {", "    int x();", "}");
        JavaFileObject second = JavaFileObjects.forSourceLines("a_b.Point", "package a_b;", "",
                "@dev.sharedstruct.annotation.SharedStruct", "public interface Point {", "    long y();", "}");
        JavaFileObject other = JavaFileObjects.forSourceLines("a_b.Empty", "package a_b;", "",
                "@dev.sharedstruct.annotation.SharedStruct", "public interface Empty {", "}");
        Compilation compilation = Sources.compile(first, second, other);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorCount(2);
        assertThat(compilation).hadErrorContaining("the C header and Python module of a_b.Point would be"
                + " META-INF/sharedstruct/a_b_Point.h and .py, which are a.b.Point's (. and $ become _ in those names);"
                + " rename or move one of the two types").inFile(second).onLineContaining("interface Point");
        assertThat(compilation).hadErrorContaining("declares no fields").inFile(other).onLineContaining("interface Empty");
    }

    /**
     * a.Outer.Point (nested) and a.Outer_Point would both generate a.SharedStruct_Outer_Point: the
     * second is refused naming both (it was an internal error from the Filer).
     */
    @Test
    void twoTypesWhoseGeneratedClassesWouldBeTheSameAreRefusedNamingBoth() {
        JavaFileObject nested = JavaFileObjects.forSourceLines("a.Outer", "package a;", "",
                "public interface Outer {", "    @dev.sharedstruct.annotation.SharedStruct", "    interface Point {",
                "        int x();", "    }", "}");
        JavaFileObject flat = JavaFileObjects.forSourceLines("a.Outer_Point", "package a;", "",
                "@dev.sharedstruct.annotation.SharedStruct", "public interface Outer_Point {", "    long y();", "}");
        Compilation compilation = Sources.compile(nested, flat);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("which is a.Outer$Point's").inFile(flat).onLineContaining("interface Outer_Point");
        assertThat(compilation).hadErrorContaining("the generated class of a.Outer_Point would be a.SharedStruct_Outer_Point");
    }
}
