package dev.sharedstruct.processor.parse;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import dev.sharedstruct.processor.layout.FieldShape;

/**
 * What a getter's return type resolved to.
 *
 * @param elementType the type of one element for arrays, the field's type otherwise
 * @param nestedClass the generated class of an embedded struct (or of an array's element), else null
 */
record FieldType(FieldShape shape, TypeName elementType, ClassName nestedClass) {
}
