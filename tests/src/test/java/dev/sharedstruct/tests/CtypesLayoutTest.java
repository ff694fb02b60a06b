package dev.sharedstruct.tests;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sharedstruct.Structs;
import dev.sharedstruct.tests.CtypesOracle.CStruct;
import dev.sharedstruct.tests.CtypesOracle.Layout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Generated layouts against python3's ctypes for the same fields in the same order. */
class CtypesLayoutTest {
    private static final Map<Class<?>, CStruct> CASES = new LinkedHashMap<>();

    static {
        CASES.put(LayoutStructs.ByteIntShort.class, CStruct.of("ByteIntShort", "a", "c_byte", "b", "c_int32", "c", "c_int16"));
        CASES.put(LayoutStructs.CharLongByte.class, CStruct.of("CharLongByte", "a", "c_uint16", "b", "c_int64", "c", "c_byte"));
        CASES.put(LayoutStructs.ShortDoubleIntByte.class,
                CStruct.of("ShortDoubleIntByte", "a", "c_int16", "b", "c_double", "c", "c_int32", "d", "c_byte"));
        CASES.put(LayoutStructs.BoolFloatCharLong.class,
                CStruct.of("BoolFloatCharLong", "a", "c_bool", "b", "c_float", "c", "c_uint16", "d", "c_int64"));
        CASES.put(LayoutStructs.DescendingSizes.class, CStruct.of("DescendingSizes", "a", "c_double", "b", "c_int64",
                "c", "c_int32", "d", "c_float", "e", "c_int16", "f", "c_uint16", "g", "c_byte", "h", "c_bool"));
        CASES.put(LayoutStructs.AscendingSizes.class, CStruct.of("AscendingSizes", "a", "c_bool", "b", "c_byte",
                "c", "c_uint16", "d", "c_int16", "e", "c_float", "f", "c_int32", "g", "c_int64", "h", "c_double"));
        CASES.put(LayoutStructs.LoneByte.class, CStruct.of("LoneByte", "only", "c_byte"));
        // Arrays, strings, nested structs and enums; nested ones come before their users.
        CASES.put(DataKinds.Vec.class, CStruct.of("Vec", "x", "c_double", "y", "c_double"));
        CASES.put(DataKinds.TagAndSamples.class, CStruct.of("TagAndSamples", "tag", "c_byte", "samples", "c_int16*3",
                "total", "c_int64"));
        CASES.put(DataKinds.NameAndValue.class, CStruct.of("NameAndValue", "name", "c_char*5", "value", "c_double",
                "unit", "c_char*3"));
        CASES.put(DataKinds.Holder.class, CStruct.of("Holder", "flag", "c_uint16", "vec", "struct:Vec", "last", "c_byte"));
        CASES.put(DataKinds.Polygon.class, CStruct.of("Polygon", "closed", "c_bool", "points", "struct:Vec*3",
                "color", "c_int32", "tail", "c_byte*7"));
        CASES.put(DataKinds.Deep.class, CStruct.of("Deep", "a", "c_byte", "holder", "struct:Holder",
                "polygons", "struct:Polygon*2", "weights", "c_float*3"));
        CASES.put(DataKinds.Sensor.class, CStruct.of("Sensor", "samples", "c_int32*4", "name", "c_char*8",
                "position", "struct:Vec", "corners", "struct:Vec*3", "color", "c_int32", "active", "c_bool",
                "grade", "c_uint16", "flags", "c_bool*3"));
    }

    private static Map<String, Layout> ctypes;

    @BeforeAll
    static void askPython() throws Exception {
        ctypes = CtypesOracle.layouts(List.copyOf(CASES.values()));
    }

    static Stream<Arguments> structs() {
        return CASES.entrySet().stream().map(entry -> Arguments.of(entry.getValue().name(), entry.getKey()));
    }

    /** One test per struct, so that one mismatch never hides another struct's. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("structs")
    void offsetsSizesAndAlignmentEqualCtypes(String name, Class<?> struct) {
        StructLayout ours = Structs.layout(struct);
        Layout theirs = ctypes.get(name);
        assertEquals(theirs.size(), ours.byteSize(), name + " size");
        assertEquals(theirs.alignment(), ours.byteAlignment(), name + " alignment");
        for (List<String> field : CASES.get(struct).fields()) {
            MemoryLayout.PathElement path = groupElement(field.get(0));
            assertEquals(theirs.offsets().get(field.get(0)), ours.byteOffset(path), name + "." + field.get(0) + " offset");
            assertEquals(theirs.sizes().get(field.get(0)), ours.select(path).byteSize(), name + "." + field.get(0) + " size");
        }
    }
}
