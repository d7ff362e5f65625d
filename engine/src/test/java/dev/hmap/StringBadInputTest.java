// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import dev.hmap.KeyForm.Key;
import dev.hmap.MapImpls.Impl;
import net.openhft.chronicle.bytes.BytesStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input to String maps and sets is refused and changes nothing, whatever the map holds: null keys (and
 * null functions, arrays, consumers) throw NullPointerException; byte and BytesStore ranges out of bounds
 * throw IndexOutOfBoundsException; segments of a closed arena throw IllegalStateException; bytes that are
 * no string's encoding are refused by every write. The calls are every public method of each type that
 * takes such a parameter, found by reflection.
 */
class StringBadInputTest {

    /** The states a map can be in when it gets bad input. */
    enum State { B0_ONE_KEY, B0_FULL, GROWN }

    static Stream<Arguments> implsAndStates() {
        return MapImpls.STRINGS.stream().flatMap(i -> Arrays.stream(State.values()).map(s -> Arguments.of(i, s)));
    }

    /** "abc" and 0, 7 or 499 more keys. */
    static Map<String, Long> fill(MapUnderTest m, State s) {
        Map<String, Long> ref = new HashMap<>();
        int n = switch (s) {
            case B0_ONE_KEY -> 1;
            case B0_FULL -> 8;
            case GROWN -> 500;
        };
        for (int i = 0; i < n; i++) {
            String k = i == 0 ? "abc" : StringKeyCodec.encode(i * 7919L);
            StringKeys.put(m, k, i);
            ref.put(k, m.impl().value(i));
        }
        return ref;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("implsAndStates")
    void nullKeysThrowNullPointerException(Impl impl, State state) {
        assertRefused(impl, state, NullPointerException.class, StringBadInputTest::nullCalls, m -> { });
    }

    static final int[][] BAD_RANGES = {{-1, 0}, {0, -1}, {0, 6}, {5, 1}, {6, 0}, {3, 3}, {-1, 2}, {1, Integer.MAX_VALUE},
        {Integer.MAX_VALUE, 1}, {Integer.MIN_VALUE, 0}, {2, Integer.MIN_VALUE}};

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("implsAndStates")
    void byteRangesOutOfBoundsThrowIndexOutOfBounds(Impl impl, State state) {
        byte[] five = "abcab".getBytes(UTF_8);
        assertRefused(impl, state, IndexOutOfBoundsException.class, m -> {
            Map<String, Runnable> calls = new LinkedHashMap<>();
            for (int[] r : BAD_RANGES) {
                rangeCalls(m, five, r[0], r[1], true).forEach((name, call) ->
                        calls.put(name + " offset " + r[0] + " length " + r[1] + " of 5 bytes", call));
            }
            return calls;
        }, m -> {
            // the edges that are in range: [0, 5), [5, 5), [2, 5) = "cab", [0, 3) = "abc"
            for (int[] r : new int[][] {{0, 5}, {5, 0}, {2, 3}, {0, 3}}) rangeCalls(m, five, r[0], r[1], false).values().forEach(Runnable::run);
        });
    }

    /**
     * Segments of a closed arena: IllegalStateException, the map unchanged. The probes have the length of
     * a present key ("abc"), so even Go's one-bucket path, which compares lengths first, must read them.
     * (Probes of other lengths on small maps: StringFormerBugsTest#closedSegmentsAreAlwaysRejected.)
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("implsAndStates")
    void segmentsOfAClosedArenaThrowIllegalState(Impl impl, State state) {
        List<MemorySegment> closed = new ArrayList<>();
        for (Arena a : new Arena[] {Arena.ofConfined(), Arena.ofShared(), Arena.ofConfined()}) {
            MemorySegment s = a.allocate(3);
            s.copyFrom(MemorySegment.ofArray("abc".getBytes(UTF_8)));
            closed.add(s);
            if (state == State.GROWN) closed.add(a.allocate(40)); // read by the hash of a B > 0 map
            a.close();
        }
        assertRefused(impl, state, IllegalStateException.class, m -> {
            Map<String, Runnable> calls = new LinkedHashMap<>();
            for (MemorySegment s : closed) {
                segmentCalls(m, s).forEach((name, call) -> calls.put(name + " with a closed arena's segment of " + s.byteSize() + " bytes", call));
            }
            return calls;
        }, m -> { });
    }

    /**
     * In a map filled for the state, every call throws type and changes nothing (the accepted calls, made
     * after them, must not change anything either); the map then still takes writes.
     */
    private static void assertRefused(Impl impl, State state, Class<? extends Throwable> type,
                                      Function<MapUnderTest, Map<String, Runnable>> refused, Consumer<MapUnderTest> accepted) {
        try (MapUnderTest m = StringKeys.open(impl, 0, null)) {
            Map<String, Long> ref = fill(m, state);
            String ctx = impl + " " + state;
            for (Map.Entry<String, Runnable> call : refused.apply(m).entrySet()) {
                assertThrows(type, call.getValue()::run, ctx + ": " + call.getKey());
            }
            accepted.accept(m);
            StringKeys.assertHolds(m, ref, () -> ctx + ": after the rejected calls");
            StringKeys.put(m, "after", 1); // still writable
        }
    }

    /** Writes by bytes that are no string's encoding are refused before anything changes; WTF-8 is accepted. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.hmap.ConformanceSuite#strings")
    void bytesThatAreNotAStringsEncodingAreRefusedAndChangeNothing(Impl impl) {
        int[][] bad = {{0xC0, 0x80}, {0x80}, {0xE2, 0x82}, {0xE0, 0x80, 0x80}, {0xF4, 0x90, 0x80, 0x80}, {0xF5, 0x80, 0x80, 0x80},
            {0xED, 0xA0, 0x80, 0xED, 0xB0, 0x80}, {'a', 0xFF, 'b'}};
        List<MapImpls.Op> writes = !impl.wordValues() ? List.of(MapImpls.Op.PUT)
                : List.of(MapImpls.Op.PUT, MapImpls.Op.PUT_IF_ABSENT, MapImpls.Op.ADD_TO);
        try (MapUnderTest m = StringKeys.open(impl, 0, null)) {
            Map<String, Long> ref = new HashMap<>();
            for (int i = 0; i < 100; i++) {
                StringKeys.put(m, "k" + i, i);
                ref.put("k" + i, impl.value(i));
            }
            long before = m.stats().offHeapBytes();
            int salt = 0;
            for (int[] v : bad) {
                byte[] b = new byte[v.length];
                for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
                for (KeyForm f : impl.forms()) {
                    if (!f.passesBytes()) continue;
                    for (MapImpls.Op op : writes) {
                        Key k = new Key("bad " + Arrays.toString(v), b, salt++);
                        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.call(op, k, f, 1),
                                impl + ": " + op + " by " + f + " of " + k.s);
                        assertTrue(e.getMessage().contains("encoding"), e.getMessage());
                    }
                }
            }
            assertEquals(before, m.stats().offHeapBytes(), "no key bytes were kept");
            StringKeys.assertHolds(m, ref, () -> impl + ": after the refused writes");
            StringKeys.put(m, "k0", 7); // the map is still writable: nothing was poisoned
            assertEquals(impl.value(7), StringKeys.lookup(m, new Key("k0"), KeyForm.STRING));
            // WTF-8 that is not UTF-8, a lone surrogate, is a string's encoding: accepted, read back as that string.
            byte[] lone = {(byte) 0xED, (byte) 0xA0, (byte) 0x80};
            m.put(new Key("\uD800", lone, 0), KeyForm.BYTE_RANGE, 9);
            assertEquals(impl.value(9), StringKeys.lookup(m, new Key("\uD800"), KeyForm.STRING));
        }
    }

    // ------------------------------------------------------------------ the calls, by reflection

    /**
     * Every public method of the type with a reference parameter, once per such parameter, called with null
     * there and valid arguments elsewhere (the key "abc", present in every state, and an absent key); plus
     * the views' put/add and get/contains of null, and a cursor's appendKey(null).
     */
    static Map<String, Runnable> nullCalls(MapUnderTest m) {
        Map<String, Runnable> calls = new LinkedHashMap<>();
        for (Method method : m.impl().api.type.getMethods()) {
            if (Modifier.isStatic(method.getModifiers())) continue;
            Class<?>[] p = method.getParameterTypes();
            for (String key : List.of("abc", "not there")) {
                for (int i = 0; i < p.length; i++) {
                    if (p[i].isPrimitive()) continue;
                    Object[] args = arguments(m, method, new Key(key));
                    args[i] = null;
                    calls.put(method.getName() + Arrays.toString(p) + " with null #" + i + " (key " + key + ")",
                            () -> invoke(method, m.raw(), args));
                }
            }
        }
        if (m.isSet()) {
            calls.put("asSet().add(null)", () -> m.asSet().add(null));
            calls.put("asSet().contains(null)", () -> m.asSet().contains(null));
        } else {
            calls.put("asMap().put(null, 1)", () -> m.asMap().put(null, m.impl().boxValue(1)));
            calls.put("asMap().get(null)", () -> m.asMap().get(null));
        }
        calls.put("cursor appendKey(null)", () -> {
            MapUnderTest.Cur cur = m.cursor();
            if (cur.next()) cur.appendKey(null);
            else throw new NullPointerException("empty map: nothing to append");
        });
        return calls;
    }

    /**
     * Every public method taking a key as a range of bytes (a byte[] or a Chronicle BytesStore of the 5
     * given bytes, offset, length). Writes only if they are to be refused ({@code refused}); removes only
     * where the range cannot remove a present key ("abc").
     */
    static Map<String, Runnable> rangeCalls(MapUnderTest m, byte[] b, int off, int len, boolean refused) {
        Map<String, Runnable> calls = new LinkedHashMap<>();
        for (Method method : keyed(m, KeyForm.BYTE_RANGE, KeyForm.BYTES_STORE)) {
            String name = method.getName();
            boolean read = name.startsWith("get") || name.startsWith("contains"), remove = name.startsWith("remove");
            if (!read && !remove && !refused || remove && off == 0 && len == 3) continue;
            Object[] args = arguments(m, method, new Key("abc"));
            boolean store = method.getParameterTypes()[0] == BytesStore.class;
            args[0] = store ? BytesStore.wrap(b) : b;
            args[1] = store ? (Object) (long) off : off;
            args[2] = store ? (Object) (long) len : len;
            calls.put(method.getName() + Arrays.toString(method.getParameterTypes()), () -> invoke(method, m.raw(), args));
        }
        return calls;
    }

    /** Every public method taking a key as a MemorySegment, given s. */
    static Map<String, Runnable> segmentCalls(MapUnderTest m, MemorySegment s) {
        Map<String, Runnable> calls = new LinkedHashMap<>();
        for (Method method : keyed(m, KeyForm.HEAP_SEGMENT)) {
            Object[] args = arguments(m, method, new Key("abc"));
            args[0] = s;
            calls.put(method.getName() + Arrays.toString(method.getParameterTypes()), () -> invoke(method, m.raw(), args));
        }
        return calls;
    }

    /** The public methods of m's type whose key is passed in one of the forms. */
    private static List<Method> keyed(MapUnderTest m, KeyForm... forms) {
        List<Method> out = new ArrayList<>();
        for (Method method : m.impl().api.type.getMethods()) {
            for (KeyForm f : forms) if (keyForm(method) == f) out.add(method);
        }
        return out;
    }

    /** The form the method takes its key in (the first of the forms with the same parameters), or null. */
    private static KeyForm keyForm(Method method) {
        List<Class<?>> p = Arrays.asList(method.getParameterTypes());
        for (KeyForm f : KeyForm.ALL) {
            List<Class<?>> k = f.parameterTypes();
            if (method.getName().endsWith(f.suffix) && p.size() >= k.size() && p.subList(0, k.size()).equals(k)) {
                return f;
            }
        }
        return null;
    }

    /** Valid arguments for method: key (in the method's form), values 1, an operator, a consumer. */
    private static Object[] arguments(MapUnderTest m, Method method, Key key) {
        Class<?>[] p = method.getParameterTypes();
        Object[] args = new Object[p.length];
        KeyForm f = keyForm(method);
        int i = 0;
        try {
            if (f != null) for (MethodHandle h : f.arguments) args[i++] = h.invoke(key);
            for (; i < p.length; i++) {
                if (p[i].isPrimitive()) args[i] = MapImpls.narrow(p[i]).invoke(1L);
                else if (p[i] == m.impl().api.operatorType) args[i] = m.impl().operator((a, b) -> b);
                else if (p[i] == m.impl().api.consumerType) args[i] = m.impl().consumer((k, v) -> { });
                else if (p[i] == byte[].class) args[i] = new byte[8]; // a value, or a buffer to read one into
                else if (p[i] == java.lang.foreign.MemorySegment.class) args[i] = java.lang.foreign.MemorySegment.ofArray(new byte[8]);
                else if (p[i] == java.nio.ByteBuffer.class) args[i] = java.nio.ByteBuffer.allocate(8);
                else if (p[i] == net.openhft.chronicle.bytes.BytesStore.class) {
                    args[i] = net.openhft.chronicle.bytes.Bytes.wrapForRead(new byte[8]).bytesStore();
                }
                else throw new AssertionError("no valid argument known for " + p[i] + " of " + method);
            }
        } catch (Throwable t) {
            throw MapImpls.<RuntimeException>sneaky(t);
        }
        return args;
    }

    private static void invoke(Method method, OffHeapMap raw, Object[] args) {
        try {
            method.invoke(raw, args);
        } catch (InvocationTargetException e) {
            throw MapImpls.<RuntimeException>sneaky(e.getCause());
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }
}
