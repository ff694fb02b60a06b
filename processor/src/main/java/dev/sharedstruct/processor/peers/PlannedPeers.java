package dev.sharedstruct.processor.peers;

import dev.sharedstruct.processor.layout.FieldShape;
import dev.sharedstruct.processor.layout.LayoutPlan;
import dev.sharedstruct.processor.layout.PlannedField;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link PeerDeclaration} of a planned struct: what a region will store for it, so that the
 * processor's header and module are the ones {@code sharedstruct emit} writes from the region.
 */
final class PlannedPeers {
    private PlannedPeers() {
    }

    static PeerDeclaration of(String binaryName, LayoutPlan plan) {
        return new PeerDeclaration(binaryName, plan.fingerprint(), LayoutText.of(plan), struct(plan));
    }

    private static PeerStruct struct(LayoutPlan plan) {
        List<PeerStruct.Field> fields = new ArrayList<>();
        for (PlannedField field : plan.fields()) {
            PeerStruct.Shape shape = switch (field.shape()) {
                case FieldShape.Scalar scalar -> new PeerStruct.Primitive(scalar.type().javaName(), 0);
                case FieldShape.PrimitiveArray array -> new PeerStruct.Primitive(array.element().javaName(), array.length());
                case FieldShape.Text text -> new PeerStruct.Text(text.length());
                // The region stores an enum as its ordinal, an int.
                case FieldShape.EnumOrdinal ignored -> new PeerStruct.Primitive("int", 0);
                case FieldShape.Nested nested -> new PeerStruct.Nested(struct(nested.struct()));
                case FieldShape.NestedArray array -> new PeerStruct.StructArray(struct(array.struct()), array.length());
            };
            fields.add(new PeerStruct.Field(field.name(), field.offset(), shape));
        }
        return new PeerStruct(fields, plan.size());
    }
}
