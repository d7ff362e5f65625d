package dev.hmap.codegen;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One specialization: a key kind and a value kind, and every name and number derived from them. */
public record MapSpec(KeyKind key, ValueKind value) {
    /** The types hmap ships. */
    public static final List<MapSpec> ALL = List.of(
            new MapSpec(KeyKind.INT, ValueKind.INT), new MapSpec(KeyKind.INT, ValueKind.LONG),
            new MapSpec(KeyKind.INT, ValueKind.DOUBLE), new MapSpec(KeyKind.LONG, ValueKind.INT),
            new MapSpec(KeyKind.LONG, ValueKind.LONG), new MapSpec(KeyKind.LONG, ValueKind.DOUBLE),
            new MapSpec(KeyKind.INT, ValueKind.NONE), new MapSpec(KeyKind.LONG, ValueKind.NONE),
            new MapSpec(KeyKind.STRING, ValueKind.INT), new MapSpec(KeyKind.STRING, ValueKind.LONG),
            new MapSpec(KeyKind.STRING, ValueKind.DOUBLE), new MapSpec(KeyKind.STRING, ValueKind.NONE));

    public boolean isSet() {
        return value == ValueKind.NONE;
    }

    /** The public interface: {@code LongLongMap}, {@code LongSet}. */
    public String name() {
        return key.prefix + (isSet() ? "Set" : value.prefix + "Map");
    }

    public String implName() {
        return name() + "Impl";
    }

    public String cursorName() {
        return key.prefix + value.prefix + "Cursor";
    }

    /** The functional interface forEach takes. */
    public String consumerName() {
        if (isSet()) return "java.util.function." + key.setConsumer;
        return key.isString() ? "java.util.function.Obj" + value.prefix + "Consumer<String>"
                : key.prefix + value.prefix + "Consumer";
    }

    /** Whether this spec needs a generated consumer interface (String maps use java.util.function's). */
    public boolean ownConsumer() {
        return !isSet() && !key.isString();
    }

    public BucketLayout layout() {
        return BucketLayout.of(key.goType, value.goType);
    }

    /** The template variables of this spec; the only bridge between the data and the templates. */
    public Map<String, Object> variables() {
        BucketLayout l = layout();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("map", !isSet());
        v.put("set", isSet());
        v.put("Name", name());
        v.put("Impl", implName());
        v.put("Cursor", cursorName());
        v.put("Consumer", consumerName());
        v.put("KP", key.prefix);
        v.put("VP", value.prefix);
        v.put("k", key.javaType);
        v.put("K", key.boxed);
        v.put("str", key.isString());
        v.put("Base", key.isString() ? "StringMapCore" : "MapCore");
        v.put("KEY", key.layout == null ? "" : key.layout);
        v.put("hashExpr", key.hashExpression == null ? "" : key.hashExpression);
        // How generated code reads the current key of a cursor: a field for primitives, decoded for strings.
        v.put("curKey", key.isString() ? "key()" : "key");
        v.put("curKeyC", key.isString() ? "c.key()" : "c.key");
        v.put("v", value.javaType);
        v.put("V", value.boxed);
        v.put("VAL", value.layout == null ? "" : value.layout);
        v.put("zero", value.zero == null ? "" : value.zero);
        v.put("double", value == ValueKind.DOUBLE);
        v.put("goType", l.goType());
        v.put("KS", l.keySize());
        v.put("VS", l.valueSize());
        v.put("BS", l.bucketSize());
        v.put("KEYS_OFF", l.keysOffset());
        v.put("VALUES_OFF", l.valuesOffset());
        v.put("OVERFLOW_OFF", l.overflowOffset());
        return v;
    }
}
