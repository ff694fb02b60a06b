package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sharedstruct.InvalidRegionException;
import dev.sharedstruct.RegionInspector;
import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.StoredLayout;
import dev.sharedstruct.StoredLayout.Field;
import dev.sharedstruct.StoredLayout.Kind;
import dev.sharedstruct.tests.DataKinds.Deep;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The layout text a region stores next to a named struct, read back field by field with kinds. */
class StoredLayoutTest {

    private static Field field(List<Field> fields, String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no field " + name + " in " + fields));
    }

    @Test
    void nestedStructsStructArraysInsideStructArraysAndStringsReadBack() {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            shm.findOrCreate("deep", Deep.class);
            shm.findOrCreate("sensor", DataKinds.Sensor.class);
            RegionInspector inspector = RegionInspector.of(shm);
            StoredLayout deep = inspector.find("deep").orElseThrow().storedLayout().orElseThrow();
            assertEquals(Kind.SCALAR, field(deep.fields(), "holder.vec.x").kind(), "a nested struct's fields are flattened");
            assertEquals("char", field(deep.fields(), "holder.flag").type());
            Field polygons = field(deep.fields(), "polygons");
            assertEquals(Kind.STRUCT_ARRAY, polygons.kind());
            assertEquals(2, polygons.length());
            Field color = field(polygons.elementFields(), "color");
            assertEquals(Kind.SCALAR, color.kind(), "an enum is stored as its int ordinal");
            assertEquals("int", color.type());
            Field points = field(polygons.elementFields(), "points");
            assertEquals(Kind.STRUCT_ARRAY, points.kind());
            assertEquals(List.of("x", "y"), points.elementFields().stream().map(Field::name).toList());
            assertEquals(8, field(points.elementFields(), "y").offset(), "element fields are relative to the element");
            assertEquals(Kind.PRIMITIVE_ARRAY, field(polygons.elementFields(), "tail").kind(), "a byte[] is not text");

            StoredLayout sensor = inspector.find("sensor").orElseThrow().storedLayout().orElseThrow();
            Field name = field(sensor.fields(), "name");
            assertEquals(Kind.STRING, name.kind());
            assertEquals(8, name.length());
            assertEquals("boolean", field(sensor.fields(), "active").type());
        }
    }

    @Test
    void anOlderTextWithoutElementsOrCharTextReadsWithBytes() {
        StoredLayout old = StoredLayout.parse("name:byte[8]@0;color:int@8;corners:struct16[2]@16;size=48");
        assertEquals(Kind.PRIMITIVE_ARRAY, old.fields().get(0).kind());
        assertEquals(Kind.SCALAR, old.fields().get(1).kind());
        assertEquals(Kind.STRUCT_ARRAY, old.fields().get(2).kind());
        assertEquals(List.of(), old.fields().get(2).elementFields());
        assertEquals(48, old.size());
    }

    /** Struct arrays nested {@code levels} deep: a[].a[]....x. */
    private static String deeplyNested(int levels) {
        StringBuilder text = new StringBuilder();
        String path = "a";
        for (int i = 0; i < levels; i++) {
            text.append(path).append(":struct8[1]@0;");
            path += "[].a";
        }
        return text.append("size=8").toString();
    }

    @Test
    void nestingUpToTheLimitIsRead() {
        assertEquals(1, StoredLayout.parse(deeplyNested(64)).fields().size());
    }

    @Test
    void aCorruptOrForeignTextIsRefusedWithWhatIsWrong() {
        for (String[] c : List.of(new String[] {"x:double@0", "no size"}, new String[] {"x:quad@0;size=16", "unknown"},
                new String[] {"x:double@12;size=16", "ends past"}, new String[] {"x:double@-8;size=16", "negative number"}, new String[] {"x:double@8x;size=16", "not a number"},
                new String[] {"garbage;size=16", "not name:type@offset"}, new String[] {"a:int[99999999999]@0;size=4", "larger than any struct's"},
                new String[] {"c:struct9223372036854775807[2]@0;size=16", "larger than any struct's"},
                new String[] {"c:struct2147483647[2147483647]@0;size=16", "ends past the struct's 16 bytes"},
                new String[] {deeplyNested(65), "nest more than 64 deep"},
                new String[] {"a:struct8[1]@0;a[].x:double@4;size=8", "ends past its element"})) {
            InvalidRegionException e = assertThrows(InvalidRegionException.class, () -> StoredLayout.parse(c[0]), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + ": " + e.getMessage());
        }
    }
}
