package dev.hmap.codegen;

/**
 * The key kinds hmap specializes, and the only place they differ: Java type, Go type, how a key is read,
 * written and hashed. Mirrors Go's fast32 / fast64 / faststr paths.
 */
public enum KeyKind {
    INT("Int", "int", "Integer", GoType.INT32, "Layouts.INT", "Hashing.hash32(key, s0, s1)", "IntConsumer"),
    LONG("Long", "long", "Long", GoType.INT64, "Layouts.LONG", "Hashing.hash64(key, s0, s1)", "LongConsumer"),
    /**
     * Go's faststr path: the slot is a 16-byte string header (offset and length of the key's bytes in the
     * map's memory); hashing and comparing go through StringMapCore and ByteKeys.
     */
    STRING("String", "String", "String", GoType.STRING, null, null, "Consumer<String>");

    /** Name prefix: {@code Long} in {@code LongLongMap}. */
    public final String prefix;
    public final String javaType;
    public final String boxed;
    public final GoType goType;
    /** The {@code ValueLayout} constant that reads and writes a key slot. */
    public final String layout;
    /** Expression hashing {@code key} with the map's seeds {@code s0, s1}. */
    public final String hashExpression;
    /** The java.util.function consumer a set's forEach takes. */
    public final String setConsumer;

    KeyKind(String prefix, String javaType, String boxed, GoType goType, String layout, String hashExpression,
            String setConsumer) {
        this.prefix = prefix;
        this.javaType = javaType;
        this.boxed = boxed;
        this.goType = goType;
        this.layout = layout;
        this.hashExpression = hashExpression;
        this.setConsumer = setConsumer;
    }

    /** Whether keys are byte strings stored out of the slot (the slot holds a header). */
    public boolean isString() {
        return this == STRING;
    }
}
