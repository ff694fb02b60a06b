package dev.sharedstruct.processor;

import java.util.Locale;

/**
 * Every diagnostic the processor can report, each saying what is wrong and how to fix it.
 * Arguments are filled in with {@link String#format}.
 */
public enum Message {
    /** {@code @SharedStruct} on a class, enum, record or annotation type. */
    NOT_AN_INTERFACE("@SharedStruct applies to interfaces, but %s is %s; declare it as an interface whose abstract"
            + " methods are the struct's getters and setters"),
    /** A struct interface with type parameters. */
    GENERIC_INTERFACE("@SharedStruct interface %s must not have type parameters: a struct's layout is fixed at"
            + " compile time; remove %s"),
    /** A private or local struct interface, which the generated class could not implement. */
    NOT_ACCESSIBLE("@SharedStruct interface %s must not be private or local: the generated class %s implements it"
            + " from the same package; make it package-private or public"),
    /** An abstract accessor inherited from a super-interface. */
    INHERITED_ABSTRACT("%s inherits the abstract method %s from %s; declare every accessor in the @SharedStruct"
            + " interface itself (super-interfaces may only have default and static methods)"),
    /** A struct interface without any accessor. */
    NO_FIELDS("@SharedStruct interface %s declares no fields; add at least one getter, such as int count()"),
    /** An accessor with type parameters. */
    GENERIC_METHOD("accessor %s must not have type parameters; remove %s"),
    /** An accessor that declares a checked exception. */
    THROWS_CHECKED("accessor %s must not declare the checked exception %s: shared memory access throws none;"
            + " remove the throws clause"),
    /** An abstract method that is neither a getter nor a setter. */
    NOT_AN_ACCESSOR("%s is neither a getter nor a setter: a getter takes no parameters and returns the field"
            + " (T name(), T getName(), boolean isName()); a setter takes the new value and returns void"
            + " (void name(T value), void setName(T value))"),
    /** A setter that returns a value. */
    SETTER_NOT_VOID("setter %s must return void, not %s"),
    /** A getter whose type a struct cannot store. */
    UNSUPPORTED_TYPE("field %s has type %s, which a shared struct cannot store; supported types: boolean, byte,"
            + " short, char, int, long, float, double, enums, @SharedStruct interfaces, @Length(n) String, and"
            + " @Length(n) arrays of primitives or of @SharedStruct interfaces"),
    /** A setter or indexed accessor whose type disagrees with the getter's. */
    TYPE_MISMATCH("setter %s takes %s, but the getter %s returns %s; make the types agree"),
    /** A setter of a field no getter declares. */
    SETTER_WITHOUT_GETTER("setter %s writes field %s, which has no getter; declare a getter such as %s %s()"
            + " (getters decide the fields and their order)"),
    /** Two getters of one field. */
    DUPLICATE_GETTER("%s and %s both read field %s; keep one of them"),
    /** Two setters of one field. */
    DUPLICATE_SETTER("%s and %s both write field %s; keep one of them"),
    /** An accessor named like a method of {@code Object} the generated class defines. */
    RESERVED_NAME("%s clashes with %s, which the generated class defines to compare and print struct content;"
            + " rename the accessor"),
    /** Two fields whose generated constants would have the same name. */
    CONSTANT_CLASH("field %s needs the constant %s in the generated class, which %s already uses; rename the field"),
    /** An interface constant that a generated constant would hide. */
    INTERFACE_CONSTANT_CLASH("constant %s would hide the generated class's %s of the same name; rename the constant"),
    /** An array or string field without {@code @Length}. */
    MISSING_LENGTH("field %s has type %s, which needs a fixed size in shared memory; annotate the getter with"
            + " @Length(n): n elements for an array, n bytes of UTF-8 for a String"),
    /** A {@code @Length} below 1 or over the limit. */
    BAD_LENGTH("@Length(%d) on field %s is out of range; a length is at least 1 and at most %d"),
    /** A {@code @Length} on a field that is neither an array nor a string. */
    LENGTH_ON_SCALAR("@Length on field %s has no meaning for type %s; @Length is for arrays and Strings only, remove it"),
    /** A {@code @Length} on a method other than the field's getter. */
    LENGTH_NOT_ON_GETTER("@Length belongs on the getter that declares the field, not on %s; move it to the getter"),
    /** An array of arrays. */
    MULTI_DIMENSIONAL("field %s has type %s; multi-dimensional arrays are not supported: use a one-dimensional"
            + " @Length(rows * columns) array, or an array of a @SharedStruct that holds one row"),
    /** An array whose elements a struct cannot store. */
    UNSUPPORTED_ARRAY_ELEMENT("field %s is an array of %s, which a shared struct cannot store; array elements may be"
            + " boolean, byte, short, char, int, long, float, double, or a @SharedStruct interface"),
    /** A nested interface that is not a {@code @SharedStruct}. */
    NOT_A_STRUCT("field %s has type %s, which is an interface but not a @SharedStruct; annotate %s with"
            + " @SharedStruct to embed it"),
    /** A struct that contains itself, directly or through others. */
    CYCLE("field %s embeds %s, which contains itself (%s); a struct cannot contain itself, directly or through"
            + " others: store an index or a handle instead"),
    /** A field operation ({@code getAndAddCount}...) on a field that does not exist. */
    OPERATION_WITHOUT_FIELD("%s is a field operation (%s) on field %s, but there is no such field; declare its getter,"
            + " such as int %s()"),
    /** A field operation on a field of a type it does not work on. */
    OPERATION_FIELD_TYPE("%s works on fields of type %s, but field %s is %s"),
    /** A field operation declared with the wrong parameter or result types. */
    OPERATION_SIGNATURE("%s must be declared as %s for field %s"),
    /** A struct over the size limit, reported on the field that crosses it. */
    STRUCT_TOO_LARGE("struct %s would take more than %d bytes once field %s is added (it ends at byte %d); a struct"
            + " is copied and locked whole, so keep data this large in a shared array (shm.array(TypeCode.LONG, n))"
            + " or split the struct"),
    /** A getter whose type no source declares and no processor generated, once processing is over. */
    UNRESOLVED_TYPE("field %s has type %s, which does not exist: no source declares it and no annotation processor"
            + " generated it in any round; declare the type or fix the processor that should generate it"),
    /** Two struct types whose C header and Python module would be the same files. */
    PEER_FILE_CLASH("the C header and Python module of %s would be META-INF/sharedstruct/%s.h and .py, which are %s's"
            + " (. and $ become _ in those names); rename or move one of the two types"),
    /** Two struct types whose generated classes would have the same name. */
    GENERATED_CLASS_CLASH("the generated class of %s would be %s, which is %s's (the runtime finds a struct's class by"
            + " that name: SharedStruct_ and the type's nested names joined with _); rename one of the two types"),
    /** A failure of the processor itself, with its stack trace. */
    INTERNAL_ERROR("the sharedstruct processor failed on %s; please report this with the stack trace: %s");

    /** The text, with {@link String#format} conversions for the arguments. */
    private final String template;

    Message(String template) {
        this.template = template;
    }

    /**
     * The message with its arguments, tagged so that build logs can be searched for it.
     *
     * @param arguments the values the template's {@code %} conversions stand for
     * @return {@code [SharedStruct.<name>] } followed by the filled-in template
     */
    public String format(Object... arguments) {
        return "[SharedStruct." + name().toLowerCase(Locale.ROOT) + "] " + String.format(Locale.ROOT, template, arguments);
    }
}
