package dev.sharedstruct.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** User errors stay user errors (size limits), point at what is wrong (@Length's value), and the updateX rule. */
class RulesTest {

    @Test
    void aStructOverTheSizeLimitIsAUserErrorOnTheFieldThatCrossesIt() {
        JavaFileObject big = Sources.struct("Big", "@SharedStruct", "public interface Big {",
                "    @Length(1 << 24) long[] a();", "    @Length(1 << 24) long[] b();", "    @Length(1 << 24) long[] c();",
                "    @Length(1 << 24) long[] d();", "    @Length(1 << 24) long[] e();", "    @Length(1 << 24) long[] f();",
                "    @Length(1 << 24) long[] g();", "    @Length(1 << 24) long[] h();", "    @Length(1 << 24) long[] i();",
                "}");

        Compilation compilation = Sources.compile(big);

        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("struct Big would take more than 1073741824 bytes once field i is added"
                + " (it ends at byte 1207959552)").inFile(big).onLineContaining("long[] i()");
        assertEquals(1, compilation.errors().size(), compilation.errors().toString());
        assertEquals(List.of(), compilation.errors().stream().filter(e -> e.getMessage(null).contains("please report"))
                .toList());
    }

    @Test
    void aBadLengthIsReportedAtTheAnnotationValue() {
        JavaFileObject source = Sources.struct("S", "@SharedStruct", "public interface S {",
                "    @Length(",
                "        0)",
                "    int[] samples();", "}");

        Compilation compilation = Sources.compile(source);

        assertThat(compilation).hadErrorContaining("@Length(0) on field samples is out of range").inFile(source)
                .onLineContaining("        0)");
    }

    @Test
    void aLengthOnAScalarIsReportedAtTheAnnotationValue() {
        JavaFileObject source = Sources.struct("S", "@SharedStruct", "public interface S {",
                "    @Length(4)", "    int count();", "}");

        Compilation compilation = Sources.compile(source);

        assertThat(compilation).hadErrorContaining("@Length on field count has no meaning for type int").inFile(source)
                .onLineContaining("@Length(4)");
    }

    @Test
    void aLengthOnASetterIsReportedAtTheAnnotationValue() {
        JavaFileObject source = Sources.struct("S", "@SharedStruct", "public interface S {",
                "    @Length(4) int[] samples();", "    @Length(8)", "    void samples(int[] value);", "}");

        Compilation compilation = Sources.compile(source);

        Diagnostic<? extends JavaFileObject> error = compilation.errors().getFirst();
        assertThat(compilation).hadErrorContaining("@Length belongs on the getter").inFile(source)
                .onLineContaining("@Length(8)");
        assertEquals(1, compilation.errors().size(), error.toString());
    }

    @Test
    void anUpdateOfAFieldWhoseNameHasNoFieldOfItsOwnIsAnOperation() {
        Compilation compilation = Sources.compile(Sources.struct("Clock", "@SharedStruct", "public interface Clock {",
                "    long time();", "    long updateTime(java.util.function.LongUnaryOperator op);", "}"));

        assertThat(compilation).succeededWithoutWarnings();
    }

    @Test
    void aSetterNamedLikeAnOperationWorksBesideTheFieldItsNameMentions() {
        // The rule: a method named after a declared field is that field's accessor, so with fields
        // time and updateTime, void updateTime(long) sets updateTime and is not an update of time.
        Compilation compilation = Sources.compile(Sources.struct("Clock", "@SharedStruct", "public interface Clock {",
                "    long time();", "    void time(long value);", "    long updateTime();", "    void updateTime(long value);",
                "}"));

        assertThat(compilation).succeededWithoutWarnings();
    }
}
