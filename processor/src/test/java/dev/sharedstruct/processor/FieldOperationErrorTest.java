package dev.sharedstruct.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** Field operations declared wrongly are refused on the method, with the declaration they need. */
class FieldOperationErrorTest {

    private static void assertError(JavaFileObject source, String message, String line) {
        Compilation compilation = Sources.compile(source);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining(message).inFile(source).onLineContaining(line);
    }

    @Test
    void anOperationOnAFieldThatDoesNotExistIsRefused() {
        assertError(Sources.struct("S", "@SharedStruct", "public interface S {", "    int count();",
                        "    int getAndAddTotal(int delta);", "}"),
                "getAndAddTotal(int) is a field operation (getAndAdd) on field total, but there is no such field",
                "getAndAddTotal");
    }

    @Test
    void compareAndSetOnADoubleIsRefused() {
        assertError(Sources.struct("S", "@SharedStruct", "public interface S {", "    double price();",
                        "    boolean compareAndSetPrice(double expected, double update);", "}"),
                "compareAndSetPrice(double, double) works on fields of type int, long, but field price is double",
                "compareAndSetPrice");
    }

    @Test
    void anOperationWithTheWrongTypesNamesTheDeclarationItNeeds() {
        assertError(Sources.struct("S", "@SharedStruct", "public interface S {", "    int count();",
                        "    long getAndAddCount(long delta);", "}"),
                "getAndAddCount(long) must be declared as int getAndAddCount(int delta) for field count", "getAndAddCount");
    }

    @Test
    void updateNeedsTheOperatorOfTheFieldsType() {
        assertError(Sources.struct("S", "@SharedStruct", "public interface S {", "    long total();",
                        "    long updateTotal(java.util.function.IntUnaryOperator op);", "}"),
                "must be declared as long updateTotal(java.util.function.LongUnaryOperator op) for field total", "updateTotal");
    }

    @Test
    void aFieldWhoseNameStartsLikeAnOperationIsStillAField() {
        Compilation compilation = Sources.compile(Sources.struct("S", "@SharedStruct", "public interface S {",
                "    int updateCount();", "    void updateCount(int value);", "    int getVolatileness();", "}"));
        assertThat(compilation).succeededWithoutWarnings();
    }
}
