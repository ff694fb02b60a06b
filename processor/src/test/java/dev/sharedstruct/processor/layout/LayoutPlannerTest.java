package dev.sharedstruct.processor.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The planner on its own, no javac: offsets, padding, size and fingerprint. (ctypes checks it end to end in tests/.) */
class LayoutPlannerTest {

    private static FieldSpec scalar(String name, Primitive type) {
        return new FieldSpec(name, new FieldShape.Scalar(type));
    }

    @Test
    void padsBeforeEachFieldToItsAlignmentAndRoundsTheSizeUp() {
        LayoutPlan plan = LayoutPlanner.plan("S", List.of(
                scalar("a", Primitive.BYTE), scalar("b", Primitive.INT), scalar("c", Primitive.SHORT)));
        assertEquals(List.of(0L, 4L, 8L), plan.fields().stream().map(PlannedField::offset).toList());
        assertEquals(List.of(0L, 3L, 0L), plan.fields().stream().map(PlannedField::paddingBefore).toList());
        assertEquals(12, plan.size());
        assertEquals(4, plan.alignment());
        assertEquals(2, plan.trailingPadding());
    }

    @Test
    void packedFieldsNeedNoPadding() {
        LayoutPlan plan = LayoutPlanner.plan("S", List.of(
                scalar("a", Primitive.LONG), scalar("b", Primitive.INT), scalar("c", Primitive.CHAR),
                scalar("d", Primitive.BOOLEAN), scalar("e", Primitive.BYTE)));
        assertEquals(16, plan.size());
        assertEquals(0, plan.trailingPadding());
        assertEquals(List.of(0L, 8L, 12L, 14L, 15L), plan.fields().stream().map(PlannedField::offset).toList());
    }

    @Test
    void theFingerprintFollowsNamesTypesAndOrderOnly() {
        List<FieldSpec> fields = List.of(scalar("x", Primitive.DOUBLE), scalar("y", Primitive.DOUBLE));
        long fingerprint = LayoutPlanner.plan("Point", fields).fingerprint();
        assertEquals(fingerprint, LayoutPlanner.plan("Renamed", fields).fingerprint());
        assertNotEquals(fingerprint, LayoutPlanner.plan("Point",
                List.of(scalar("y", Primitive.DOUBLE), scalar("x", Primitive.DOUBLE))).fingerprint());
        assertNotEquals(fingerprint, LayoutPlanner.plan("Point",
                List.of(scalar("x", Primitive.DOUBLE), scalar("y", Primitive.LONG))).fingerprint());
        assertNotEquals(fingerprint, LayoutPlanner.plan("Point",
                List.of(scalar("x", Primitive.DOUBLE), scalar("z", Primitive.DOUBLE))).fingerprint());
    }

    @Test
    void theCDeclarationShowsEveryFieldWithItsOffset() {
        LayoutPlan plan = LayoutPlanner.plan("Tick", List.of(scalar("flag", Primitive.BOOLEAN), scalar("at", Primitive.LONG)));
        assertEquals("""
                struct Tick {  // 16 bytes, aligned to 8
                    bool flag;  // offset 0
                    int64_t at;  // offset 8
                };""", plan.cDeclaration());
    }

    @Test
    void refusesNoFieldsAndStructsBeyondTheLimit() {
        assertThrows(IllegalArgumentException.class, () -> LayoutPlanner.plan("Empty", List.of()));
        FieldShape huge = new FieldShape.PrimitiveArray(Primitive.LONG, Integer.MAX_VALUE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LayoutPlanner.plan("Huge", List.of(new FieldSpec("a", huge))));
        assertEquals("struct Huge would exceed 1073741824 bytes at field a", e.getMessage());
    }
}
