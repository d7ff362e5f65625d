// SPDX-License-Identifier: Apache-2.0
package dev.hmap.codegen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** One specialization: a key kind and a value kind, and every name and number derived from them. */
public record MapSpec(KeyKind key, ValueKind value) {
    /** The types hmap ships. */
    public static final List<MapSpec> ALL = List.of(
            new MapSpec(KeyKind.INT, ValueKind.INT), new MapSpec(KeyKind.INT, ValueKind.LONG),
            new MapSpec(KeyKind.INT, ValueKind.DOUBLE), new MapSpec(KeyKind.LONG, ValueKind.INT),
            new MapSpec(KeyKind.LONG, ValueKind.LONG), new MapSpec(KeyKind.LONG, ValueKind.DOUBLE),
            new MapSpec(KeyKind.INT, ValueKind.NONE), new MapSpec(KeyKind.LONG, ValueKind.NONE),
            new MapSpec(KeyKind.STRING, ValueKind.INT), new MapSpec(KeyKind.STRING, ValueKind.LONG),
            new MapSpec(KeyKind.STRING, ValueKind.DOUBLE), new MapSpec(KeyKind.STRING, ValueKind.NONE),
            new MapSpec(KeyKind.BYTES, ValueKind.INT), new MapSpec(KeyKind.BYTES, ValueKind.LONG),
            new MapSpec(KeyKind.BYTES, ValueKind.DOUBLE), new MapSpec(KeyKind.BYTES, ValueKind.NONE),
            new MapSpec(KeyKind.INT, ValueKind.BYTES), new MapSpec(KeyKind.LONG, ValueKind.BYTES),
            new MapSpec(KeyKind.STRING, ValueKind.BYTES), new MapSpec(KeyKind.BYTES, ValueKind.BYTES));

    public boolean isSet() {
        return value == ValueKind.NONE;
    }

    /** The public interface: {@code LongLongMap}, {@code LongSet}. */
    public String name() {
        return key.prefix() + (isSet() ? "Set" : value.prefix() + "Map");
    }

    public String implName() {
        return name() + "Impl";
    }

    public String cursorName() {
        return key.prefix() + value.prefix() + "Cursor";
    }

    /** The functional interface forEach takes. */
    public String consumerName() {
        return value.consumer(key, cursorName());
    }

    /** Whether this spec needs a generated consumer interface (the others are java.util.function's). */
    public boolean ownConsumer() {
        return value.ownConsumer(key);
    }

    public BucketLayout layout() {
        return BucketLayout.of(key.goType(), value.goType());
    }

    /** The template variables of this spec; the only bridge between the data and the templates. */
    public Map<String, Object> variables() {
        BucketLayout l = layout();
        KeyKind.Snippets s = key.snippets();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("map", !isSet());
        v.put("set", isSet());
        v.put("wordValues", value.ops() == Op.Of.WORD_VALUES);
        v.put("Name", name());
        v.put("Impl", implName());
        v.put("Cursor", cursorName());
        v.put("Consumer", consumerName());
        v.put("KP", key.prefix());
        v.put("VP", value.prefix());
        v.put("k", key.javaType());
        v.put("K", key.boxed());
        v.put("v", value.javaType());
        v.put("V", value.boxed());
        v.put("VAL", value.layout() == null ? "" : value.layout());
        v.put("zero", value.zero() == null ? "" : value.zero());
        v.put("missingBits", value.missingBits());
        v.put("goType", l.goType());
        v.put("goFile", key.goFile());
        v.put("goSuffix", key.goSuffix());
        v.put("KS", l.keySize());
        v.put("VS", l.valueSize());
        v.put("BS", l.bucketSize());
        v.put("KEYS_OFF", l.keysOffset());
        v.put("VALUES_OFF", l.valuesOffset());
        v.put("OVERFLOW_OFF", l.overflowOffset());
        v.put("exampleKey", key.exampleKey());

        // The key kind's hooks.
        v.put("Base", s.base());
        String option = s.builderOption();
        v.put("builderOptionPartial", option.isEmpty() ? "" : "builder-" + option);
        v.put("optionArg", option.isEmpty() ? "" : ", " + option);
        v.put("optionParam", option.isEmpty() ? "" : ", boolean " + option);
        v.putAll(probeVariables(s.probe()));
        List<Map<String, Object>> probes = new ArrayList<>(), writeProbes = new ArrayList<>();
        for (Probe p : key.probes()) {
            probes.add(probeVariables(p));
            if (p.writes()) writeProbes.add(probeVariables(p));
        }
        v.put("probes", probes);
        v.put("writeProbes", writeProbes);
        v.put("oneBucketPartial", s.oneBucketPartial());
        v.put("keepKey", s.keepKey());
        v.put("releaseKey", s.releaseKey());
        v.put("hashAt", s.hashAt());
        v.put("register0", s.register0());
        v.put("register1", s.register1());
        v.put("loadKey", "long k0 = " + s.register0() + ", k1 = " + s.register1() + ";");
        v.put("hashRegisters", s.hashRegisters());
        v.put("findRegisters", s.findRegisters());
        v.put("keyOfRegisters", s.keyOfRegisters());
        v.put("keyText", s.keyText());
        v.put("currentCheck", s.currentCheck());
        v.put("keyRegisters", s.registersDoc());
        v.put("lookupKey", s.lookupKey());
        v.put("assignKey", s.assignKey());
        v.put("deleteKey", s.deleteKey());
        v.put("formsPartial", s.formsPartial());
        v.put("cursorPartial", s.cursorPartial());
        v.put("cursorApiPartial", s.cursorApiPartial());
        v.put("batchPartial", s.batchPartial());
        v.put("batchApiPartial", s.batchApiPartial());
        v.put("checkKeyBytes", s.checkKeyBytes());
        String encoding = s.text().encoding();
        v.put("keyEncoding", encoding.isEmpty() ? "" : encoding + ",");

        // The value kind's hooks.
        v.put("takeValue", value.takeValue());
        v.put("clearValue", value.clearValue());
        v.put("storeNewValue", value.storeNewValue());
        v.put("loadValue", value.loadValue());
        v.put("valuePartial", value.partial());
        v.put("valueApiPartial", value.ops() == Op.Of.WORD_VALUES ? "word-values-api" : ""); // merge, missingValue
        v.put("valueBoxedPartial", value.partial().isEmpty() ? "" : value.partial() + "-boxed");
        v.put("valueCursorPartial", value.partial().isEmpty() ? "" : value.partial() + "-cursor");
        v.put("valueCursorApiPartial", value.partial().isEmpty() ? "" : value.partial() + "-cursor-api");
        v.put("builderNote", (isSet() ? "sets" : "maps") + " with a size hint"
                + (value.ops() == Op.Of.WORD_VALUES ? ", a missing value" : "") + " or a fixed seed");
        v.put("cursorExampleValue", value.cursorExampleValue());
        v.put("forEachArgs", value.forEachArgs());
        v.put("forEachDoc", value.forEachDoc());
        v.put("valueNote", value.valueNote());
        v.put("example", String.join("\n", value.example(key.exampleKey())));

        // Generated class shapes.
        v.put("viewType", isSet() ? "Set<" + key.boxed() + ">" : "Map<" + key.boxed() + ", " + value.boxed() + ">");
        v.put("boxedInterface", isSet() ? "BoxedSet<" + key.boxed() + ">" : "BoxedMap<" + key.boxed() + ", " + value.boxed() + ">");
        v.put("imports", imports(implImports()));
        v.put("apiImports", imports(apiImports()));
        v.put("apiAnnotations", key.takes(KeyForm.BYTES_STORE) || value.takesBytesStore()
                ? "// BytesStore (the ...At methods) comes from an optional module (requires static chronicle.bytes), on purpose.\n"
                + "@SuppressWarnings(\"exports\")" : "");
        String note = s.text().apiNote();
        v.put("keyKindNote", note.isEmpty() ? "" : " *\n * <p>" + note.replace("\n", "\n * "));
        v.put("nullKey", key.isReference() ? " or {@code key}" : "");
        v.put("methods", Api.methods(this, v));
        v.put("apiMethods", Api.methods(this, v));
        return v;
    }

    private static Map<String, Object> probeVariables(Probe p) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("P", p.suffix());
        v.put("probeNote", p.note());
        v.put("probe", p.params());
        v.put("args", p.args());
        v.put("hash", p.hash());
        v.put("setup", p.setup());
        v.put("matches", p.matches());
        v.put("oneBucket", p.oneBucket());
        v.put("lookupTouch", p.touchOnLookup() ? "touch(m, b); // a hit reads the key's other lines: fetch them now" : "");
        v.put("prepareKey", p.prepareKey());
        v.put("storeKey", p.storeKey());
        return v;
    }

    private List<String> implImports() {
        List<String> i = new ArrayList<>(List.of("dev.hmap.internal.BucketDescriptor", "dev.hmap.internal.BoxedCursor",
                "dev.hmap.internal.FileSpec", "dev.hmap.internal.Layouts", "dev.hmap.internal.Tophash", "java.lang.foreign.MemorySegment",
                "java.lang.ref.Cleaner", "java.util.Objects"));
        i.addAll(key.snippets().imports());
        if (isSet()) {
            i.addAll(List.of("dev.hmap.internal.BoxedSet", "dev.hmap.internal.SetView", "java.util.Set"));
        } else {
            i.addAll(List.of("dev.hmap.internal.BoxedMap", "dev.hmap.internal.MapView", "java.util.Map"));
            if (value.ops() == Op.Of.WORD_VALUES) i.add("java.util.function." + value.prefix() + "BinaryOperator");
        }
        i.addAll(value.implImports());
        if (!ownConsumer()) i.add("java.util.function." + consumerName().replaceAll("<.*", ""));
        return i;
    }

    private List<String> apiImports() {
        List<String> i = new ArrayList<>(List.of("dev.hmap.internal.FileSpec", "java.nio.file.Path"));
        if (isSet()) i.add("java.util.Set");
        else i.add("java.util.Map");
        if (value.ops() == Op.Of.WORD_VALUES) i.add("java.util.function." + value.prefix() + "BinaryOperator");
        if (key.takes(KeyForm.SEGMENT)) i.add("java.lang.foreign.MemorySegment");
        if (key.takes(KeyForm.BYTES_STORE)) i.add("net.openhft.chronicle.bytes.BytesStore");
        if (key.takes(KeyForm.BUFFER)) i.add("java.nio.ByteBuffer");
        i.addAll(value.apiImports());
        if (!ownConsumer()) i.add("java.util.function." + consumerName().replaceAll("<.*", ""));
        return i;
    }

    /** Sorted as an IDE would: java.* after the others, one list. */
    private static List<Map<String, Object>> imports(List<String> names) {
        TreeSet<String> sorted = new TreeSet<>((a, b) -> {
            boolean ja = a.startsWith("java."), jb = b.startsWith("java.");
            return ja != jb ? (ja ? 1 : -1) : a.compareTo(b);
        });
        sorted.addAll(names);
        return sorted.stream().map(n -> Template.vars("name", n)).toList();
    }
}
