// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import dev.hmap.KeyForm.Key;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleProxies;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.LongBinaryOperator;

import static java.lang.invoke.MethodHandles.collectArguments;
import static java.lang.invoke.MethodHandles.constant;
import static java.lang.invoke.MethodHandles.dropArguments;
import static java.lang.invoke.MethodHandles.explicitCastArguments;
import static java.lang.invoke.MethodHandles.filterArguments;
import static java.lang.invoke.MethodHandles.filterReturnValue;
import static java.lang.invoke.MethodHandles.foldArguments;
import static java.lang.invoke.MethodHandles.identity;
import static java.lang.invoke.MethodHandles.insertArguments;
import static java.lang.invoke.MethodHandles.permuteArguments;
import static java.lang.invoke.MethodType.methodType;

/**
 * The implementations under test, derived from the API instead of listed: every type {@link OffHeapMap}
 * permits, its key and value kinds read off its cursor ({@code key()}, {@code value()}), its builder, and
 * its operations as method handles adapted to one long-typed shape. {@link MapUnderTest} puts any of them
 * behind one interface, so each behaviour test is written once and runs over every type, and a type added
 * to the generator joins every suite without test code.
 *
 * <p>Keys and values travel as long. An int key or value must fit (one that does not is a test bug);
 * double values are integers below 2^53, so every conversion is exact, and a non-integral double read back
 * is an engine bug. A set is a map whose only value is {@link #PRESENT} and whose missing value is 0: put
 * is add (returning the previous "value"), get is {@code contains ? 1 : 0}, remove returns 1 when it
 * removed; addTo, merge, setValue and asMap are unsupported.
 *
 * <p>String keys take the whole long domain through a {@link StringKeyCodec.Codec} (by default the
 * adversarial mapping of {@link StringKeyCodec}), and each call passes its key in the next
 * {@link KeyForm} the type offers for that method, so every test exercises every form. Tests that choose
 * the form call the {@link Key} methods of {@link MapUnderTest}.
 */
final class MapImpls {
    private MapImpls() {}

    /** The single "value" of a set entry. */
    static final long PRESENT = 1;

    // The helpers' handles come first: ALL, below, is derived with them.
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    private static final MethodHandle BOOLEAN = helper("bool", long.class, boolean.class);
    private static final MethodHandle PRESENCE = helper("presence", long.class, boolean.class);
    private static final MethodHandle ADDED = helper("added", long.class, boolean.class);
    private static final MethodHandle OR_DEFAULT = helper("orDefault", long.class, boolean.class, long.class);
    private static final MethodHandle UNSUPPORTED = helper("unsupported", long.class, String.class);
    private static final MethodHandle UNSUPPORTED_CURSOR = dropArguments(UNSUPPORTED, 0, Object.class);
    private static final MethodHandle FITS = helper("fits", long.class, String.class, long.class, long.class);
    private static final MethodHandle INTEGRAL = helper("integral", long.class, double.class);
    private static final MethodHandle TO_INT = helper("toInt", int.class, long.class);
    private static final MethodHandle TO_DOUBLE = helper("toDouble", double.class, long.class);
    private static final MethodHandle KEY_OF = helper("keyOf", Key.class, StringKeyCodec.Codec.class, long.class, int.class);
    private static final MethodHandle DECODE = helper("decode", long.class, StringKeyCodec.Codec.class, String.class);
    /** A Bytes-keyed type's keys: the Key of a string, and the string of a ByteString (see StringKeyCodec.bytesKey). */
    private static final MethodHandle BYTES_KEY = helper("bytesKey", Key.class, Key.class);
    private static final MethodHandle BYTES_KEY_STRING = helper("bytesKeyString", String.class, ByteString.class);
    /** Byte-string values (see ValueForm): the value of a ByteString, of a buffer's first n bytes, and a Val. */
    private static final MethodHandle VALUE_OF = helper("valueOf", long.class, ByteString.class);
    private static final MethodHandle FROM_ARRAY = helper("fromArray", long.class, long.class);
    private static final MethodHandle FROM_COPY = helper("fromCopy", long.class, byte[].class);
    private static final MethodHandle FROM_SEGMENT = helper("fromSegment", long.class, long.class, long.class);
    private static final MethodHandle VALUE_ARRAY = helper("valueArray", Object.class);
    private static final MethodHandle VALUE_SEGMENT = helper("valueSegment", Object.class);
    private static final MethodHandle VAL_OF = helper("valOf", ValueForm.Val.class, long.class);
    private static final MethodHandle PREVIOUS = helper("previous", long.class, long.class, long.class);
    private static final MethodHandle WROTE = helper("wrote", long.class, long.class, boolean.class);
    private static final MethodHandle SET_BYTES = helper("setBytes", long.class, MethodHandle.class, MethodHandle.class,
            Object.class, long.class);
    private static final MethodHandle ACCEPT = helper("accept", void.class, MapUnderTest.EntryConsumer.class, long.class, long.class);
    private static final MethodHandle APPLY = helper("apply", long.class, LongBinaryOperator.class, long.class, long.class);

    /** What a type's keys are. */
    enum KeyKind {
        INT(int.class, 4), LONG(long.class, 8), STRING(String.class, 16), BYTES(ByteString.class, 16);

        final Class<?> type;
        /** The bytes of a key slot: the key, or Go's string header (pointer, length). */
        final int slotSize;

        KeyKind(Class<?> type, int slotSize) {
            this.type = type;
            this.slotSize = slotSize;
        }

        static KeyKind of(Class<?> type) {
            return kindOf(values(), k -> k.type, type);
        }
    }

    /**
     * Inside the adapter, what an absent key of a map of byte-string values reads as (its reads say "absent",
     * -1, where a word map returns its missing value); no value maps to it (see Impl.value). MapUnderTest
     * shows it as the missing value the map was built with, so the suites treat every map alike.
     */
    static final long ABSENT_BYTES = Long.MIN_VALUE;

    /** What a type's values are ({@code NONE}: a set; {@code BYTES}: byte strings, see ValueForm). */
    enum ValueKind {
        INT(int.class), LONG(long.class), DOUBLE(double.class), BYTES(ByteString.class), NONE(void.class);

        final Class<?> type;

        ValueKind(Class<?> type) {
            this.type = type;
        }

        /** The bytes of a value slot: the value's own. */
        int slotSize() {
            return switch (this) {
                case INT -> Integer.BYTES;
                case LONG, DOUBLE -> Long.BYTES;
                case BYTES -> 16; // Go's string header
                case NONE -> 0;
            };
        }

        static ValueKind of(Class<?> type) {
            return kindOf(values(), k -> k.type, type);
        }
    }

    private static <E extends Enum<E>> E kindOf(E[] kinds, java.util.function.Function<E, Class<?>> typeOf, Class<?> type) {
        return Arrays.stream(kinds).filter(k -> typeOf.apply(k) == type).findFirst().orElseThrow(() -> new IllegalArgumentException(
                type + " is new to the suites: add it to " + kinds[0].getDeclaringClass().getSimpleName()));
    }

    /** The long-typed operations of {@link MapUnderTest} that take a key. */
    enum Op {
        GET, GET_OR_DEFAULT, CONTAINS_KEY, PUT, PUT_IF_ABSENT, REMOVE, ADD_TO, MERGE
    }

    // ------------------------------------------------------------------ the implementations

    /** Every type, then each String-keyed type again with {@code stringHashCode(true)}. */
    static final List<Impl> ALL = withHashCodeVariants(Arrays.stream(OffHeapMap.class.getPermittedSubclasses())
            .map(t -> new Impl(new Api(t.asSubclass(OffHeapMap.class)), StringKeyCodec.DEFAULT, false)).toList());
    static final List<Impl> MAPS = ALL.stream().filter(i -> !i.isSet()).toList();
    static final List<Impl> WORD_MAPS = ALL.stream().filter(Impl::wordValues).toList();
    static final List<Impl> SETS = ALL.stream().filter(Impl::isSet).toList();
    static final List<Impl> STRINGS = ALL.stream().filter(Impl::stringKeys).toList();
    static final List<Impl> BYTE_STRINGS = ALL.stream().filter(Impl::byteStringKeys).toList();

    private static List<Impl> withHashCodeVariants(List<Impl> types) {
        return java.util.stream.Stream.concat(types.stream(),
                types.stream().filter(Impl::stringKeys).map(i -> new Impl(i.api, i.codec, true))).toList();
    }

    /** The implementation of the API type with this simple name (its default build). */
    static Impl named(String name) {
        return ALL.stream().filter(i -> i.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no type " + name + " among " + ALL));
    }

    /**
     * One type under test: its kinds and domains, its API's handles, and (String keys) the codec of its long
     * keys. The handles are the type's, not the codec's, so that each is made once: the JVM spins a class
     * for each method handle called often, which costs a millisecond or so.
     */
    static final class Impl {
        final Api api;
        final StringKeyCodec.Codec codec;
        /** Built with stringHashCode(true): keys hashed by String.hashCode() (String keys only). */
        final boolean stringHashCode;

        Impl(Api api, StringKeyCodec.Codec codec, boolean stringHashCode) {
            this.api = api;
            this.codec = codec;
            this.stringHashCode = stringHashCode;
        }

        /** The same type with its String (or Bytes) keys mapped by another codec. */
        Impl withCodec(StringKeyCodec.Codec c) {
            if (!byteStringKeys()) throw new UnsupportedOperationException(this + " has no String or Bytes keys");
            return new Impl(api, c, stringHashCode);
        }

        /** A consumer forEach takes, passing entries to c (made per call: for tests that call the API themselves). */
        Object consumer(MapUnderTest.EntryConsumer c) {
            if (api.valueKind == ValueKind.BYTES) { // forEach passes the cursor
                MethodHandle k = api.cursorKey.asType(api.cursorKey.type()), key = insertArguments(k, 1, codec);
                MethodHandle accept = filterArguments(ACCEPT, 1, key, insertArguments(api.value, 1, 0L));
                return MethodHandleProxies.asInterfaceInstance(api.consumerType,
                        permuteArguments(accept, methodType(void.class, MapUnderTest.EntryConsumer.class, Object.class), 0, 1, 1).bindTo(c));
            }
            MethodHandle decode = byteStringKeys() ? api.decode.bindTo(codec) : out(api.keyKind.type);
            MethodHandle accept = isSet() ? insertArguments(ACCEPT, 2, PRESENT) : filterArguments(ACCEPT, 2, out(api.valueKind.type));
            return MethodHandleProxies.asInterfaceInstance(api.consumerType, filterArguments(accept, 1, decode).bindTo(c));
        }

        /** An operator merge takes, applying f to long values (made per call, as consumer). */
        Object operator(LongBinaryOperator f) {
            return MethodHandleProxies.asInterfaceInstance(api.operatorType, insertArguments(api.operator, 0, f));
        }

        String name() {
            return api.type.getSimpleName();
        }

        KeyKind keyKind() {
            return api.keyKind;
        }

        ValueKind valueKind() {
            return api.valueKind;
        }

        boolean isSet() {
            return api.valueKind == ValueKind.NONE;
        }

        /** Whether the map keeps bytes of its own per entry: String or Bytes keys, or byte-string values. */
        boolean ownsBytes() {
            return byteStringKeys() || api.valueKind == ValueKind.BYTES;
        }

        /** A map whose values are words (int, long, double): it has a missing value, addTo and merge. */
        boolean wordValues() {
            return !isSet() && api.valueKind != ValueKind.BYTES;
        }

        boolean intKeys() {
            return api.keyKind == KeyKind.INT;
        }

        boolean stringKeys() {
            return api.keyKind == KeyKind.STRING;
        }

        /** String or Bytes keys: keys through the codec, passed as a Key in every form the type offers. */
        boolean byteStringKeys() {
            return api.byteStrings();
        }

        /** The key forms the type offers (String and Bytes keys), in rotation order. */
        List<KeyForm> forms() {
            return api.forms;
        }

        MapUnderTest create() {
            return build(0, 0, null);
        }

        MapUnderTest create(long hint) {
            return build(hint, 0, null);
        }

        /** A map with the given hint, missing value (ignored by sets and byte-string values) and builder seed (null: random). */
        MapUnderTest build(long hint, long missing, Integer seed) {
            // A map of byte-string values has no missing value: the adapter reads an absent key as ABSENT_BYTES,
            // which MapUnderTest shows as the missing value asked for, as a word map would return it.
            return new MapUnderTest(this, api.build(hint, wordValues() ? value(missing) : 0, seed, null, false, false, stringHashCode), isSet() ? 0 : value(missing));
        }

        /**
         * A map in {@code file}: a new one if the file is missing or empty, else the one it holds (see the
         * builder's file()); opened read-only if asked.
         */
        MapUnderTest open(java.nio.file.Path file, boolean readOnly, long hint, long missing, Integer seed) {
            return open(file, readOnly, false, hint, missing, seed);
        }

        /** As {@link #open(java.nio.file.Path, boolean, long, long, Integer)}, shared beside a writer if asked. */
        MapUnderTest open(java.nio.file.Path file, boolean readOnly, boolean shared, long hint, long missing, Integer seed) {
            MapUnderTest m = new MapUnderTest(this, api.build(hint, wordValues() ? value(missing) : 0, seed, file, readOnly, shared, stringHashCode),
                    isSet() ? 0 : value(missing));
            m.shared = shared;
            return m;
        }

        /** Folds any long into the key domain. */
        long key(long raw) {
            return intKeys() ? (int) raw : raw;
        }

        /** Folds any long into the value domain (doubles: exact integers in the int range). */
        long value(long raw) {
            return switch (api.valueKind) {
                case INT, DOUBLE -> (int) raw;
                case LONG -> raw;
                case BYTES -> raw == ABSENT_BYTES ? 0 : raw;
                case NONE -> PRESENT;
            };
        }

        /** What addTo stores: the sum, wrapped as the value type wraps. */
        long sum(long a, long b) {
            return switch (api.valueKind) {
                case INT -> (int) (a + b);
                case LONG, DOUBLE -> a + b;
                case BYTES, NONE -> throw new UnsupportedOperationException(this + " has no addTo");
            };
        }

        long randomKey(SplittableRandom r) {
            int s = r.nextInt(64);
            if (s == 0) {
                long[] specials = intKeys()
                        ? new long[] {0, -1, 1, Integer.MIN_VALUE, Integer.MAX_VALUE}
                        : new long[] {0, -1, 1, Long.MIN_VALUE, Long.MAX_VALUE, Integer.MIN_VALUE, 1L << 32};
                return specials[r.nextInt(specials.length)];
            }
            return intKeys() ? r.nextInt() : r.nextLong();
        }

        long randomValue(SplittableRandom r) {
            return switch (api.valueKind) {
                case INT, DOUBLE -> r.nextInt();
                case LONG -> r.nextLong();
                case BYTES -> r.nextInt(16) == 0 ? 0 : value(r.nextLong()); // empty now and then
                case NONE -> PRESENT;
            };
        }

        /** An increment for addTo: small for doubles so sums stay exact. */
        long randomIncrement(SplittableRandom r) {
            return switch (api.valueKind) {
                case INT -> r.nextInt();
                case LONG -> r.nextLong();
                case DOUBLE -> r.nextInt(-1 << 20, 1 << 20);
                case BYTES, NONE -> 0;
            };
        }

        /** Key k as the views see it: an Integer, a Long, the String the codec maps k to, or its ByteString. */
        Object boxKey(long k) {
            return switch (api.keyKind) {
                case INT -> (int) k;
                case LONG -> k;
                case STRING -> codec.encode(k);
                case BYTES -> ByteString.copyOf(StringKeyCodec.bytesKey(StringKeyCodec.wtf8(codec.encode(k))));
            };
        }

        /** The inverse of boxKey. */
        long unboxKey(Object k) {
            return switch (api.keyKind) {
                case INT, LONG -> ((Number) k).longValue();
                case STRING -> codec.decode((String) k);
                case BYTES -> codec.decode(bytesKeyString((ByteString) k));
            };
        }

        /** The inverse of boxValue. */
        long unboxValue(Object v) {
            return v instanceof ByteString b ? ValueForm.valueOf(b) : v instanceof Double d ? integral(d) : ((Number) v).longValue();
        }

        Object boxValue(long v) {
            return switch (api.valueKind) {
                case INT -> (int) v;
                case LONG -> v;
                case DOUBLE -> (double) v;
                case BYTES -> ByteString.copyOf(ValueForm.bytesOf(v));
                case NONE -> throw new UnsupportedOperationException("sets have no values");
            };
        }

        /**
         * A key of the wrong boxed type (an Integer for long keys, a Long for int keys; for String keys a
         * StringBuilder holding the very same characters, which is a CharSequence but no String; for Bytes
         * keys a byte[] of the very same bytes, which compares by identity).
         */
        Object foreignKey(long k) {
            return switch (api.keyKind) {
                case INT -> k;
                case LONG -> (int) k;
                case STRING -> new StringBuilder(codec.encode(k));
                case BYTES -> ((ByteString) boxKey(k)).toByteArray();
            };
        }

        @Override
        public String toString() {
            return stringHashCode ? name() + "[stringHashCode]" : name();
        }
    }

    // ------------------------------------------------------------------ the API by reflection

    /** One API type's methods as handles, found by reflection (the same whatever the codec). */
    static final class Api {
        final Class<? extends OffHeapMap> type;
        final Class<?> cursorType, consumerType, operatorType;
        final KeyKind keyKind;
        final ValueKind valueKind;
        /** The key forms offered (String keys), in rotation order. */
        final List<KeyForm> forms;
        /**
         * By Op: String keys: by KeyForm, (OffHeapMap, Key, long value, Object f)long, null where the type
         * has no such overload; int and long keys: one, (OffHeapMap, long key, int call, long value, Object f)long.
         */
        final Map<Op, MethodHandle[]> handles = new EnumMap<>(Op.class);
        /** (LongBinaryOperator, V, V)V: merge's operator over long values. */
        final MethodHandle operator;
        /**
         * By Op, in rotation (each long-keyed call takes the next key form):
         * (OffHeapMap, Codec, long key, int call, long value, Object f)long.
         */
        private final Map<Op, MethodHandle[]> rotation = new EnumMap<>(Op.class);
        /** (Object cursor, Codec)long: the current key as a long. */
        final MethodHandle cursorKey;
        /** (Codec, K)long, String and Bytes keys (else null): a key as the API returns it, as a long. */
        final MethodHandle decode;
        /** The consumer forEach and the operator merge take (null for sets), passing calls on to MapUnderTest's. */
        final Object routedConsumer, routedOperator;
        /** (OffHeapMap, Object)Object: missingValue() (boxed long), forEach(consumer), cursor(), asMap() or asSet(). */
        final MethodHandle missingValue, forEach, cursor, view;
        /** (Object cursor, long)long: next() (1 or 0), value(), setValue(v), remove(), keyLength() (String keys). */
        final MethodHandle next, value, setValue, remove, keyLength;
        /**
         * (Object cursor, Object)Object: String and Bytes keys (else null): key() (a String or a ByteString),
         * keyBytes(), copyKey(MemorySegment) (a boxed Long); String keys only: appendKey(out).
         */
        final MethodHandle keyString, keyBytes, copyKeySegment, appendKey;
        /** (Object cursor, byte[], int)int, String and Bytes keys (else null): copyKey(dst, offset). */
        final MethodHandle copyKeyArray;
        /** Byte-string values (else null): valueLength() as (Object, long)long, valueBytes() and copyValue(segment) as (Object, Object)Object. */
        final MethodHandle valueLength, valueBytes, copyValueSegment;
        /** Byte-string values (else null): copyValue(dst, offset) as (Object cursor, byte[], int)int. */
        final MethodHandle copyValueArray;
        private final Method builder, setExpectedSize, setMissingValue, setSeed, setPrefault, setFile, setReadOnly, setShared, setStringHashCode, build;
        /** The batched lookups of word-key types (else null): getAll by range and whole array, containsAll. */
        private final Method getAllRange, getAllWhole, containsAll;
        /** The methods the handles call: every public method of the type, its cursor and builder, but OffHeapMap's and the factories. */
        final Set<Method> used = new HashSet<>();

        Api(Class<? extends OffHeapMap> type) {
            // What the type is: its keys are what its cursor's key() returns, its values what value() does.
            this.type = type;
            this.cursorType = method(type, "cursor").getReturnType();
            this.keyKind = KeyKind.of(method(cursorType, "key").getReturnType());
            boolean strings = byteStrings();
            this.decode = keyKind == KeyKind.BYTES ? filterArguments(DECODE, 1, BYTES_KEY_STRING) : strings ? DECODE : null;
            boolean hasValues = Arrays.stream(cursorType.getMethods()).anyMatch(m -> m.getName().equals("value"));
            this.valueKind = hasValues ? ValueKind.of(method(cursorType, "value").getReturnType()) : ValueKind.NONE;
            this.consumerType = use(named(type, "forEach")).getParameterTypes()[0];

            this.builder = use(method(type, "builder"));
            Class<?> b = builder.getReturnType();
            this.setExpectedSize = use(method(b, "expectedSize", long.class));
            boolean words = !isSet() && valueKind != ValueKind.BYTES;
            this.setMissingValue = words ? use(method(b, "missingValue", valueKind.type)) : null;
            this.setSeed = use(method(b, "seed", int.class));
            this.setPrefault = use(method(b, "prefault", boolean.class));
            this.setFile = use(method(b, "file", java.nio.file.Path.class));
            this.setReadOnly = use(method(b, "readOnly", boolean.class));
            this.setShared = use(method(b, "shared", boolean.class));
            this.setStringHashCode = optional(b, "stringHashCode", boolean.class);
            this.build = use(method(b, "build"));
            Class<?> keyArray = keyKind.type.arrayType();
            this.containsAll = optional(type, "containsAll", keyArray, int.class, long[].class, int.class);
            this.getAllRange = !words ? null : optional(type, "getAll", keyArray, int.class, valueKind.type.arrayType(), int.class, int.class);
            this.getAllWhole = !words ? null : optional(type, "getAll", keyArray, valueKind.type.arrayType());

            // The keyed operations: a String key form is offered if the type has get (sets: contains) by it.
            this.forms = strings ? KeyForm.ALL.stream().filter(f -> find(isSet() ? "contains" : "containsKey", f, 0) != null).toList() : List.of();
            // By key form (null: word keys), then (writes of byte-string values) by value form; the first
            // value form's handle is the key form's in handles, every one is in the rotation.
            Map<Op, List<MethodHandle>> all = new EnumMap<>(Op.class);
            for (Op op : Op.values()) {
                MethodHandle[] h = new MethodHandle[strings ? KeyForm.ALL.size() : 1];
                List<MethodHandle> every = new java.util.ArrayList<>();
                for (KeyForm f : strings ? forms : java.util.Collections.<KeyForm>singletonList(null)) {
                    boolean valueForms = valueKind == ValueKind.BYTES && (op == Op.PUT || op == Op.PUT_IF_ABSENT);
                    for (ValueForm vf : valueForms ? ValueForm.ALL : java.util.Collections.<ValueForm>singletonList(null)) {
                        MethodHandle x = isSet() ? setOp(op, f) : valueKind == ValueKind.BYTES ? bytesOp(op, f, vf) : mapOp(op, f);
                        if (x == null) continue;
                        if (h[f == null ? 0 : f.ordinal()] == null) h[f == null ? 0 : f.ordinal()] = x;
                        every.add(x);
                    }
                }
                handles.put(op, h);
                all.put(op, every);
            }

            Method merge = words ? use(named(type, "merge")) : null;
            this.operatorType = merge == null ? null : merge.getParameterTypes()[2];
            this.operator = merge == null ? null : operatorHandle(APPLY, valueKind.type);
            this.routedOperator = merge == null ? null
                    : MethodHandleProxies.asInterfaceInstance(operatorType, operatorHandle(MapUnderTest.ROUTED_APPLY, valueKind.type));
            for (Op op : Op.values()) {
                // String and Bytes keys: the codec makes the Key; word keys: the codec is not used
                MethodHandle keyOf = keyKind == KeyKind.BYTES ? filterReturnValue(KEY_OF, BYTES_KEY) : KEY_OF;
                rotation.put(op, all.get(op).stream().map(x -> strings ? collectArguments(x, 1, keyOf)
                        : dropArguments(x, 1, StringKeyCodec.Codec.class)).toArray(MethodHandle[]::new));
            }

            // The rest of the API, and the cursor.
            Class<?> v = valueKind.type;
            MethodHandle outV = valueKind == ValueKind.BYTES ? VALUE_OF : isSet() ? null : out(v);
            this.missingValue = objectShape(!words ? dropArguments(constant(long.class, isSet() ? 0L : ABSENT_BYTES), 0, OffHeapMap.class)
                    : filterReturnValue(self("missingValue"), outV));
            this.forEach = objectShape(self("forEach"));
            this.cursor = objectShape(self("cursor"));
            this.view = objectShape(self(isSet() ? "asSet" : "asMap"));
            MethodHandle key = cursor("key");
            this.cursorKey = strings ? permuteArguments(filterArguments(decode, 1, key), methodType(long.class, Object.class,
                    StringKeyCodec.Codec.class), 1, 0) : dropArguments(filterReturnValue(key, out(keyKind.type)), 1, StringKeyCodec.Codec.class);
            this.next = longShape(cursor("next"));
            this.value = longShape(isSet() ? filterReturnValue(key, dropArguments(constant(long.class, PRESENT), 0, keyKind.type))
                    : filterReturnValue(cursor("value"), outV));
            this.setValue = longShape(isSet() ? insertArguments(UNSUPPORTED_CURSOR, 1, "setValue on a set")
                    : valueKind == ValueKind.BYTES ? insertArguments(SET_BYTES, 0,
                            cursor("setValue", byte[].class, int.class, int.class), cursor("setValue", java.lang.foreign.MemorySegment.class))
                    : filterArguments(cursor("setValue", v), 1, narrow(v)));
            MethodHandle routedKey = !strings ? out(keyKind.type) : keyKind == KeyKind.BYTES
                    ? filterArguments(MapUnderTest.ROUTED_DECODE, 0, BYTES_KEY_STRING) : MapUnderTest.ROUTED_DECODE;
            if (valueKind == ValueKind.BYTES) { // forEach passes the cursor: its key and value, as the suites' cursor reads them
                MethodHandle k = filterReturnValue(key, routedKey), val = insertArguments(value, 1, 0L);
                this.routedConsumer = MethodHandleProxies.asInterfaceInstance(consumerType, permuteArguments(
                        filterArguments(MapUnderTest.ROUTED_ACCEPT, 0, k, val), methodType(void.class, Object.class), 0, 0));
            } else {
                MethodHandle accept = isSet() ? insertArguments(MapUnderTest.ROUTED_ACCEPT, 1, PRESENT)
                        : filterArguments(MapUnderTest.ROUTED_ACCEPT, 1, outV);
                this.routedConsumer = MethodHandleProxies.asInterfaceInstance(consumerType, filterArguments(accept, 0, routedKey));
            }
            this.valueLength = valueKind == ValueKind.BYTES ? longShape(cursor("valueLength")) : null;
            this.valueBytes = valueKind == ValueKind.BYTES ? objectShape(cursor("valueBytes")) : null;
            this.copyValueSegment = valueKind == ValueKind.BYTES ? objectShape(cursor("copyValue", java.lang.foreign.MemorySegment.class)) : null;
            this.copyValueArray = valueKind == ValueKind.BYTES ? cursor("copyValue", byte[].class, int.class) : null;
            this.remove = longShape(cursor("remove"));
            this.keyLength = strings ? longShape(cursor("keyLength")) : null;
            this.keyString = strings ? objectShape(key) : null;
            this.keyBytes = strings ? objectShape(cursor("keyBytes")) : null;
            this.copyKeySegment = strings ? objectShape(cursor("copyKey", java.lang.foreign.MemorySegment.class)) : null;
            this.copyKeyArray = strings ? cursor("copyKey", byte[].class, int.class) : null;
            this.appendKey = keyKind == KeyKind.STRING ? objectShape(cursor("appendKey", Appendable.class)) : null;
        }

        /** (receiver[, Object])R as (receiver, Object)Object. */
        private static MethodHandle objectShape(MethodHandle h) {
            if (h.type().parameterCount() == 1) h = dropArguments(h, 1, Object.class);
            return h.asType(methodType(Object.class, h.type().parameterType(0), Object.class));
        }

        /** (Object cursor[, long])R as (Object, long)long: a boolean is 1 or 0, void is 0. */
        private static MethodHandle longShape(MethodHandle h) {
            if (h.type().parameterCount() == 1) h = dropArguments(h, 1, long.class);
            return explicitCastArguments(h, methodType(long.class, Object.class, long.class));
        }

        boolean isSet() {
            return valueKind == ValueKind.NONE;
        }

        /** String or Bytes keys (see Impl.byteStringKeys). */
        boolean byteStrings() {
            return keyKind == KeyKind.STRING || keyKind == KeyKind.BYTES;
        }

        /** The handle of op for a long-keyed call number {@code call}. */
        MethodHandle rotation(Op op, int call) {
            MethodHandle[] h = rotation.get(op);
            return h[Integer.remainderUnsigned(call, h.length)];
        }

        private Method use(Method m) {
            used.add(m);
            return m;
        }

        /** A map's op, by its own method. */
        private MethodHandle mapOp(Op op, KeyForm f) {
            return switch (op) {
                case GET -> shape(keyed("get", f, 0));
                case GET_OR_DEFAULT -> shape(keyed("getOrDefault", f, 1));
                case CONTAINS_KEY -> shape(filterReturnValue(keyed("containsKey", f, 0), BOOLEAN));
                case PUT -> shape(keyed("put", f, 1));
                case PUT_IF_ABSENT -> shape(keyed("putIfAbsent", f, 1));
                case REMOVE -> shape(keyed("remove", f, 0));
                case ADD_TO -> shape(keyed("addTo", f, 1));
                case MERGE -> f == null || find("merge", f, 2) != null ? shape(keyed("merge", f, 2)) : null;
            };
        }

        /** A set's op, through contains, add and remove (see the class comment). */
        private MethodHandle setOp(Op op, KeyForm f) {
            return switch (op) {
                case GET -> shape(filterReturnValue(keyed("contains", f, 0), PRESENCE));
                case GET_OR_DEFAULT -> shape(collectArguments(OR_DEFAULT, 0, keyed("contains", f, 0)));
                case CONTAINS_KEY -> shape(filterReturnValue(keyed("contains", f, 0), BOOLEAN));
                case PUT, PUT_IF_ABSENT -> shape(filterReturnValue(keyed("add", f, 0), ADDED));
                case REMOVE -> shape(filterReturnValue(keyed("remove", f, 0), PRESENCE));
                case ADD_TO, MERGE -> f != null && f != forms.get(0) ? null
                        : shape(dropArguments(insertArguments(UNSUPPORTED, 0, op + " on a set"), 0,
                                OffHeapMap.class, f == null ? long.class : Key.class, long.class, Object.class));
            };
        }

        /**
         * A map of byte-string values' op (see ValueForm): reads copy into a new array (getCopy) or a per-thread
         * segment and decode the long; writes read the previous value first (valueLength, then get into a
         * per-thread array), return it as a
         * word map's write would, and check that the write's "was present" agrees with it.
         */
        private MethodHandle bytesOp(Op op, KeyForm f, ValueForm vf) {
            MethodHandle get = insertArguments(collectArguments(keyed("get", f, null, 2, byte[].class, int.class), 2, VALUE_ARRAY), 2, 0L);
            MethodHandle getArray = filterReturnValue(get, FROM_ARRAY);
            MethodHandle previous = foldArguments(collectArguments(PREVIOUS, 1, getArray), 0, keyed("valueLength", f, null, 0));
            return switch (op) {
                case GET -> shape(filterReturnValue(keyed("getCopy", f, null, 0), FROM_COPY)); // writes read by getArray
                case GET_OR_DEFAULT -> shape(collectArguments(FROM_SEGMENT, 0,
                        collectArguments(keyed("get", f, null, 1, java.lang.foreign.MemorySegment.class), 2, VALUE_SEGMENT)));
                case CONTAINS_KEY -> shape(filterReturnValue(keyed("containsKey", f, 0), BOOLEAN));
                case PUT, PUT_IF_ABSENT -> {
                    MethodHandle write = filterArguments(keyed(op == Op.PUT ? "put" : "putIfAbsent", f, vf, 0), 2, VAL_OF);
                    yield shape(foldArguments(collectArguments(WROTE, 1, write), 0, previous));
                }
                case REMOVE -> shape(foldArguments(collectArguments(WROTE, 1, keyed("remove", f, 0)), 0, previous));
                case ADD_TO, MERGE -> f != null && f != forms.get(0) ? null
                        : shape(dropArguments(insertArguments(UNSUPPORTED, 0, op + " on " + type.getSimpleName()), 0,
                                OffHeapMap.class, f == null ? long.class : Key.class, long.class, Object.class));
            };
        }

        private MethodHandle keyed(String name, KeyForm f, int rest) {
            return keyed(name, f, null, rest);
        }

        /**
         * Method name(key, [value,] rest...) with the key in form f (int and long keys: f is null) and a
         * byte-string value in form vf (or none), as a handle of (OffHeapMap, key, [Val,] long...)long|boolean:
         * the key a Key (String and Bytes keys) or a long, the value a Val, primitive parameters converted
         * from long, other parameters as Object. {@code restTypes}, if given, pick among overloads by the
         * types of the rest.
         */
        private MethodHandle keyed(String name, KeyForm f, ValueForm vf, int rest, Class<?>... restTypes) {
            Method m = find(name, f, vf, rest, restTypes);
            if (m == null) throw new IllegalStateException(type.getSimpleName() + " has no " + name + " by " + (f == null ? keyKind : f)
                    + (vf == null ? "" : " and " + vf));
            // One layer of filters (the key's arguments from a Key, or the key narrowed; the value's from a Val;
            // values narrowed) and one of permutation (the Key and the Val passed once for all their arguments):
            // a deep chain of handles is slow to call.
            Class<?>[] p = m.getParameterTypes();
            int keyParams = f == null ? 1 : f.arguments.size(), valueParams = vf == null ? 0 : vf.arguments.size();
            MethodHandle[] filters = new MethodHandle[p.length];
            for (int i = 0; i < p.length; i++) {
                filters[i] = i < keyParams ? (f == null ? narrow(p[i]) : f.arguments.get(i))
                        : i < keyParams + valueParams ? vf.arguments.get(i - keyParams)
                        : p[i].isPrimitive() ? narrow(p[i]) : null;
            }
            MethodHandle h = filterArguments(unreflect(m), 1, filters);
            MethodType t = h.type().changeParameterType(0, OffHeapMap.class);
            for (int i = 1 + keyParams + valueParams; i < t.parameterCount(); i++) {
                if (!t.parameterType(i).isPrimitive()) t = t.changeParameterType(i, Object.class);
            }
            h = h.asType(t);
            h = collapse(h, 1, keyParams);
            h = collapse(h, 2, valueParams);
            Class<?> r = h.type().returnType();
            return r.isPrimitive() && r != boolean.class ? filterReturnValue(h, out(r)) : h;
        }

        /** h with its n parameters from position at (all of one type) taken as one. */
        private static MethodHandle collapse(MethodHandle h, int at, int n) {
            if (n <= 1) return h;
            MethodType t = h.type();
            int[] reorder = new int[t.parameterCount()];
            for (int i = 0; i < reorder.length; i++) reorder[i] = i < at ? i : i < at + n ? at : i - n + 1;
            return permuteArguments(h, t.dropParameterTypes(at + 1, at + n), reorder);
        }

        /**
         * The uniform shape, by dropping what h does not take: (OffHeapMap, Key, long value, Object f)long for
         * String keys, (OffHeapMap, long key, int call, long value, Object f)long for int and long keys (the
         * call number is for String keys' forms).
         */
        private MethodHandle shape(MethodHandle h) {
            boolean strings = byteStrings();
            MethodType t = strings ? methodType(long.class, OffHeapMap.class, Key.class, long.class, Object.class)
                    : methodType(long.class, OffHeapMap.class, long.class, int.class, long.class, Object.class);
            int[] reorder = new int[h.type().parameterCount()];
            for (int i = 0; i < reorder.length; i++) reorder[i] = i < 2 || strings ? i : i + 1;
            return permuteArguments(h, t, reorder);
        }

        /** The public method name(key params..., rest more) of the type, or null. */
        private Method find(String name, KeyForm f, int rest) {
            return find(name, f, null, rest);
        }

        /** The public method name(key params..., value params..., rest more) of the type, or null. */
        private Method find(String name, KeyForm f, ValueForm vf, int rest, Class<?>... restTypes) {
            List<Class<?>> keyParams = new java.util.ArrayList<>(f == null ? List.of(keyKind.type) : f.parameterTypes());
            if (vf != null) keyParams.addAll(vf.parameterTypes());
            String suffix = f != null && !f.suffix.isEmpty() ? f.suffix : vf == null ? "" : vf.suffix;
            for (Method m : type.getMethods()) {
                List<Class<?>> p = Arrays.asList(m.getParameterTypes());
                if (m.getName().equals(name + suffix) && !Modifier.isStatic(m.getModifiers()) && p.size() == keyParams.size() + rest
                        && p.subList(0, keyParams.size()).equals(keyParams)
                        && (restTypes.length == 0 || p.subList(keyParams.size(), p.size()).equals(List.of(restTypes)))) {
                    return use(m);
                }
            }
            return null;
        }

        /** A cursor method as (Object cursor, ...)R. */
        MethodHandle cursor(String name, Class<?>... params) {
            MethodHandle h = unreflect(use(method(cursorType, name, params)));
            return h.asType(h.type().changeParameterType(0, Object.class));
        }

        /** The one method of the type with this name, as (OffHeapMap, ...)R. */
        MethodHandle self(String name) {
            MethodHandle h = unreflect(use(named(type, name)));
            return h.asType(h.type().changeParameterType(0, OffHeapMap.class));
        }

        /** The method if the type has it (and then the suites call it), else null. */
        private Method optional(Class<?> c, String name, Class<?>... params) {
            try {
                return use(c.getMethod(name, params));
            } catch (NoSuchMethodException e) {
                return null;
            }
        }

        /** Whether the type has batched lookups (word keys). */
        boolean batched() {
            return containsAll != null;
        }

        /** containsKey(k) through containsAll, as a batch of one: its bit, 1 or 0. */
        long containsAllOfOne(OffHeapMap m, long k) {
            try {
                long[] bits = {-1L};
                containsAll.invoke(m, keyArrayOf(k), 0, bits, 1);
                return bits[0] & 1;
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw MapImpls.<RuntimeException>sneaky(e.getCause());
            } catch (Throwable e) {
                throw MapImpls.<RuntimeException>sneaky(e);
            }
        }

        private Object keyArrayOf(long k) {
            Object keys = java.lang.reflect.Array.newInstance(keyKind.type, 1);
            java.lang.reflect.Array.set(keys, 0, keyKind == KeyKind.INT ? (Object) (int) k : (Object) k);
            return keys;
        }

        /** get(k) of a map through getAll, as a batch of one, by range or by whole array as {@code whole} says. */
        long getAllOfOne(OffHeapMap m, long k, boolean whole) {
            try {
                Object keys = keyArrayOf(k), values = java.lang.reflect.Array.newInstance(valueKind.type, 1);
                if (whole) getAllWhole.invoke(m, keys, values);
                else getAllRange.invoke(m, keys, 0, values, 0, 1);
                Object v = java.lang.reflect.Array.get(values, 0);
                return v instanceof Double d ? (long) (double) d : ((Number) v).longValue();
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw MapImpls.<RuntimeException>sneaky(e.getCause());
            } catch (Throwable e) {
                throw MapImpls.<RuntimeException>sneaky(e);
            }
        }

        /**
         * Through the builder: expectedSize(hint), missingValue(missing) (maps), seed(seed) unless null, and
         * prefault for odd hints (so both settings meet every suite), build().
         */
        OffHeapMap build(long hint, long missing, Integer seed) {
            return build(hint, missing, seed, null, false, false, false);
        }

        /**
         * As {@link #build(long, long, Integer)}, in {@code file} (null: anonymous), opened read-only, or shared
         * (read-only beside a writer), if asked, and with stringHashCode(true) if asked (String keys).
         */
        OffHeapMap build(long hint, long missing, Integer seed, java.nio.file.Path file, boolean readOnly, boolean shared,
                         boolean stringHashCode) {
            try {
                Object b = setExpectedSize.invoke(builder.invoke(null), hint);
                if (file != null) b = setShared.invoke(setReadOnly.invoke(setFile.invoke(b, file), readOnly), shared);
                b = setPrefault.invoke(b, (hint & 1) == 1);
                if (setMissingValue != null) b = setMissingValue.invoke(b, narrow(valueKind.type).invoke(missing));
                if (seed != null) b = setSeed.invoke(b, seed.intValue());
                if (stringHashCode) b = setStringHashCode.invoke(b, true);
                return (OffHeapMap) build.invoke(b);
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw MapImpls.<RuntimeException>sneaky(e.getCause());
            } catch (Throwable e) {
                throw MapImpls.<RuntimeException>sneaky(e);
            }
        }
    }

    // ------------------------------------------------------------------ conversions and helpers

    private static long bool(boolean b) {
        return b ? 1 : 0;
    }

    private static long presence(boolean b) {
        return b ? PRESENT : 0;
    }

    /** add() is true when the key is new: the previous "value" was absent. */
    private static long added(boolean isNew) {
        return isNew ? 0 : PRESENT;
    }

    private static long orDefault(boolean present, long d) {
        return present ? PRESENT : d;
    }

    private static long unsupported(String what) {
        throw new UnsupportedOperationException(what);
    }

    private static int toInt(long x) {
        return (int) fits("int", (int) x, x);
    }

    private static double toDouble(long x) {
        return fits("double", (long) (double) x, x);
    }

    private static long fits(String type, long roundTrip, long x) {
        if (roundTrip != x) throw new IllegalArgumentException("test bug: " + x + " is not exact as " + type);
        return x;
    }

    /** d as a long; d must be an integer (the suites store integers, so another is the engine's garbage). */
    static long integral(double d) {
        long l = (long) d;
        if (l != d) throw new AssertionError("the map returned the non-integral double " + d + " (the suites store integers)");
        return l;
    }

    private static Key keyOf(StringKeyCodec.Codec codec, long k, int call) {
        return codec.key(k, call);
    }

    private static long decode(StringKeyCodec.Codec codec, String s) {
        return codec.decode(s);
    }

    // Byte-string values: the suites' reads go through a per-thread buffer and segment, large enough for
    // every value ValueForm.bytesOf makes.

    private static final ThreadLocal<byte[]> VALUE_BUFFER = ThreadLocal.withInitial(() -> new byte[8192]);
    private static final ThreadLocal<java.lang.foreign.MemorySegment> VALUE_SEGMENT_BUFFER =
            ThreadLocal.withInitial(() -> java.lang.foreign.MemorySegment.ofArray(new byte[8192]));

    private static Object valueArray() {
        return VALUE_BUFFER.get();
    }

    private static Object valueSegment() {
        return VALUE_SEGMENT_BUFFER.get();
    }

    /** get(key, buffer, 0)'s result n: the value in the buffer, or ABSENT_BYTES. */
    private static long fromArray(long n) {
        if (n < 0) return ABSENT_BYTES;
        if (n > VALUE_BUFFER.get().length) throw new AssertionError("a value of " + n + " bytes, longer than any the suites put");
        return ValueForm.valueOf(VALUE_BUFFER.get(), (int) n);
    }

    /** get through getCopy: the new array's value, or ABSENT_BYTES for null. */
    private static long fromCopy(byte[] b) {
        return b == null ? ABSENT_BYTES : ValueForm.valueOf(b, b.length);
    }

    /** getOrDefault through get(key, segment): the value, or the default. */
    private static long fromSegment(long n, long orDefault) {
        if (n < 0) return orDefault;
        java.lang.foreign.MemorySegment s = VALUE_SEGMENT_BUFFER.get();
        if (n > s.byteSize()) throw new AssertionError("a value of " + n + " bytes, longer than any the suites put");
        return ValueForm.valueOf(s.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), (int) n);
    }

    private static ValueForm.Val valOf(long v) {
        return new ValueForm.Val(v, (int) (v ^ v >>> 29));
    }

    private static long valueOf(ByteString s) {
        return ValueForm.valueOf(s);
    }

    /** The previous value of a write, read as valueLength and get, which must agree. */
    private static long previous(long length, long value) {
        if ((length < 0) != (value == ABSENT_BYTES) || length >= 0 && ValueForm.bytesOf(value).length != length) {
            throw new AssertionError("valueLength " + length + " disagrees with get, which read " + value);
        }
        return value;
    }

    /** A write's result: the previous value, as a word map's write returns it, after checking "was present". */
    private static long wrote(long previous, boolean present) {
        if (present != (previous != ABSENT_BYTES)) {
            throw new AssertionError("the write says the key was " + (present ? "" : "not ") + "present; get read " + previous);
        }
        return previous;
    }

    /** A cursor's setValue(v), by array range or by segment, as v says. */
    private static long setBytes(MethodHandle byRange, MethodHandle bySegment, Object cursor, long v) throws Throwable {
        byte[] b = ValueForm.bytesOf(v);
        if ((v & 1) == 0) {
            byte[] padded = new byte[b.length + 3];
            System.arraycopy(b, 0, padded, 2, b.length);
            byRange.invoke(cursor, padded, 2, b.length);
        } else {
            bySegment.invoke(cursor, java.lang.foreign.MemorySegment.ofArray(b));
        }
        return 0;
    }

    private static Key bytesKey(Key k) {
        return k.asBytesKey();
    }

    private static String bytesKeyString(ByteString b) {
        return StringKeyCodec.ofBytesKey(b.toByteArray());
    }

    private static void accept(MapUnderTest.EntryConsumer c, long k, long v) {
        c.accept(k, v);
    }

    private static long apply(LongBinaryOperator f, long a, long b) {
        return f.applyAsLong(a, b);
    }

    /** long -> t, exact: an argument that does not fit t is a test bug. */
    static MethodHandle narrow(Class<?> t) {
        if (t == long.class) return identity(long.class);
        if (t == int.class) return TO_INT; // the common cases in one call each (a chain of handles is slower)
        if (t == double.class) return TO_DOUBLE;
        MethodHandle cast = explicitCastArguments(identity(long.class), methodType(t, long.class));
        MethodHandle roundTrip = filterReturnValue(cast, explicitCastArguments(identity(t), methodType(long.class, t)));
        MethodHandle checked = MethodHandles.foldArguments(insertArguments(FITS, 0, t.getName()), roundTrip);
        return filterReturnValue(checked, cast);
    }

    /** t -> long, exact: integral types widen; a floating-point value must be an integer. */
    static MethodHandle out(Class<?> t) {
        if (t == float.class || t == double.class) return explicitCastArguments(INTEGRAL, methodType(long.class, t));
        return explicitCastArguments(identity(long.class), methodType(long.class, t));
    }

    /** long -> t as t's arithmetic wraps (int: the low bits); floating-point values must be exact. */
    static MethodHandle wrap(Class<?> t) {
        if (t == float.class || t == double.class) return narrow(t);
        return explicitCastArguments(identity(long.class), methodType(t, long.class));
    }

    /** ([f,] t a, t b)t = wrap(f(out(a), out(b))), apply being ([f,] long, long)long. */
    private static MethodHandle operatorHandle(MethodHandle apply, Class<?> t) {
        int a = apply.type().parameterCount() - 2;
        return filterReturnValue(filterArguments(apply, a, out(t), out(t)), wrap(t));
    }

    private static MethodHandle helper(String name, Class<?> r, Class<?>... params) {
        try {
            return LOOKUP.findStatic(MapImpls.class, name, methodType(r, params));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static MethodHandle unreflect(Method m) {
        try {
            return LOOKUP.unreflect(m);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The one public instance method of c with this name. */
    static Method named(Class<?> c, String name) {
        List<Method> m = Arrays.stream(c.getMethods()).filter(x -> x.getName().equals(name) && !Modifier.isStatic(x.getModifiers())).toList();
        if (m.size() != 1) throw new IllegalStateException(c.getName() + " has " + m.size() + " public methods " + name + ": " + m);
        return m.get(0);
    }

    static Method method(Class<?> c, String name, Class<?>... params) {
        try {
            return c.getMethod(name, params);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(c.getName() + " has no public " + name + Arrays.toString(params), e);
        }
    }

    /** Throws t as it is: method handles declare Throwable, the API throws only unchecked exceptions. */
    @SuppressWarnings("unchecked")
    static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Map<Object, Object> anyMap(Object m) {
        return (Map) m;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Set<Object> anySet(Object s) {
        return (Set) s;
    }
}
