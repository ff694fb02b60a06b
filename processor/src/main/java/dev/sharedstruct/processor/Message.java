package dev.sharedstruct.processor;

import java.util.Locale;

/**
 * Every diagnostic the processor can report, each saying what is wrong and how to fix it.
 * Arguments are filled in with {@link String#format}.
 */
public enum Message {
    NOT_AN_INTERFACE("@SharedStruct applies to interfaces, but %s is %s; declare it as an interface whose abstract"
            + " methods are the struct's getters and setters"),
    GENERIC_INTERFACE("@SharedStruct interface %s must not have type parameters: a struct's layout is fixed at"
            + " compile time; remove %s"),
    NOT_ACCESSIBLE("@SharedStruct interface %s must not be private or local: the generated class %s implements it"
            + " from the same package; make it package-private or public"),
    INHERITED_ABSTRACT("%s inherits the abstract method %s from %s; declare every accessor in the @SharedStruct"
            + " interface itself (super-interfaces may only have default and static methods)"),
    NO_FIELDS("@SharedStruct interface %s declares no fields; add at least one getter, such as int count()"),
    GENERIC_METHOD("accessor %s must not have type parameters; remove %s"),
    THROWS_CHECKED("accessor %s must not declare the checked exception %s: shared memory access throws none;"
            + " remove the throws clause"),
    NOT_AN_ACCESSOR("%s is neither a getter nor a setter: a getter takes no parameters and returns the field"
            + " (T name(), T getName(), boolean isName()); a setter takes the new value and returns void"
            + " (void name(T value), void setName(T value))"),
    SETTER_NOT_VOID("setter %s must return void, not %s"),
    UNSUPPORTED_TYPE("field %s has type %s, which a shared struct cannot store; supported types: boolean, byte,"
            + " short, char, int, long, float, double, enums, @SharedStruct interfaces, @Length(n) String, and"
            + " @Length(n) arrays of primitives or of @SharedStruct interfaces"),
    TYPE_MISMATCH("setter %s takes %s, but the getter %s returns %s; make the types agree"),
    SETTER_WITHOUT_GETTER("setter %s writes field %s, which has no getter; declare a getter such as %s %s()"
            + " (getters decide the fields and their order)"),
    DUPLICATE_GETTER("%s and %s both read field %s; keep one of them"),
    DUPLICATE_SETTER("%s and %s both write field %s; keep one of them"),
    RESERVED_NAME("%s clashes with %s, which the generated class defines to compare and print struct content;"
            + " rename the accessor"),
    CONSTANT_CLASH("field %s needs the constant %s in the generated class, which %s already uses; rename the field"),
    INTERFACE_CONSTANT_CLASH("constant %s would hide the generated class's %s of the same name; rename the constant"),
    MISSING_LENGTH("field %s has type %s, which needs a fixed size in shared memory; annotate the getter with"
            + " @Length(n): n elements for an array, n bytes of UTF-8 for a String"),
    BAD_LENGTH("@Length(%d) on field %s is out of range; a length is at least 1 and at most %d"),
    LENGTH_ON_SCALAR("@Length on field %s has no meaning for type %s; @Length is for arrays and Strings only, remove it"),
    LENGTH_NOT_ON_GETTER("@Length belongs on the getter that declares the field, not on %s; move it to the getter"),
    MULTI_DIMENSIONAL("field %s has type %s; multi-dimensional arrays are not supported: use a one-dimensional"
            + " @Length(rows * columns) array, or an array of a @SharedStruct that holds one row"),
    UNSUPPORTED_ARRAY_ELEMENT("field %s is an array of %s, which a shared struct cannot store; array elements may be"
            + " boolean, byte, short, char, int, long, float, double, or a @SharedStruct interface"),
    NOT_A_STRUCT("field %s has type %s, which is an interface but not a @SharedStruct; annotate %s with"
            + " @SharedStruct to embed it"),
    CYCLE("field %s embeds %s, which contains itself (%s); a struct cannot contain itself, directly or through"
            + " others: store an index or a handle instead"),
    OPERATION_WITHOUT_FIELD("%s is a field operation (%s) on field %s, but there is no such field; declare its getter,"
            + " such as int %s()"),
    OPERATION_FIELD_TYPE("%s works on fields of type %s, but field %s is %s"),
    OPERATION_SIGNATURE("%s must be declared as %s for field %s"),
    STRUCT_TOO_LARGE("struct %s would take more than %d bytes once field %s is added (it ends at byte %d); a struct"
            + " is copied and locked whole, so keep data this large in a shared array (shm.array(TypeCode.LONG, n))"
            + " or split the struct"),
    UNRESOLVED_TYPE("field %s has type %s, which does not exist: no source declares it and no annotation processor"
            + " generated it in any round; declare the type or fix the processor that should generate it"),
    INTERNAL_ERROR("the sharedstruct processor failed on %s; please report this with the stack trace: %s");

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
