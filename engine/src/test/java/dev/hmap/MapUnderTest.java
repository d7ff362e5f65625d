// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import dev.hmap.KeyForm.Key;
import dev.hmap.MapImpls.Impl;
import dev.hmap.MapImpls.Op;
import dev.hmap.internal.MapCore;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.LongBinaryOperator;

/**
 * One map or set of any type behind one long-typed interface (see {@link MapImpls} for the conventions).
 * The long-keyed methods map String keys through the type's codec and pass each in the next key form; the
 * {@link Key} methods pass a String key in the form the test chooses. Cursors of String maps decode their
 * keys through the codec and, every 8th key, check appendKey/keyBytes/keyLength against it.
 */
final class MapUnderTest implements AutoCloseable {
    @FunctionalInterface
    interface EntryConsumer {
        void accept(long key, long value);
    }

    private final Impl impl;
    private final MapImpls.Api api;
    private final OffHeapMap raw;
    /** Numbers the long-keyed calls: each takes the next key form (and varies the key's bytes). */
    private int calls;

    /*
     * forEach and merge pass the type's one consumer and operator (see Api), which pass the calls on to the
     * consumer and operator of the map in IN_CALL: one instance per type, as a new one costs microseconds
     * to make and a class to call often.
     */
    private static final ThreadLocal<MapUnderTest> IN_CALL = new ThreadLocal<>();
    private EntryConsumer consumer;
    private LongBinaryOperator operator;
    static final MethodHandle ROUTED_ACCEPT = routed("accept", void.class, long.class, long.class);
    static final MethodHandle ROUTED_DECODE = routed("decode", long.class, String.class);
    static final MethodHandle ROUTED_APPLY = routed("apply", long.class, long.class, long.class);

    /** Maps of byte-string values: what an absent key reads as (see MapImpls.ABSENT_BYTES); else unused. */
    private final long missing;

    /** A shared reader of a file (see the builder's shared()): lookups only, so no batched cross-check. */
    boolean shared;

    MapUnderTest(Impl impl, OffHeapMap raw, long missing) {
        this.impl = impl;
        this.api = impl.api;
        this.raw = raw;
        this.missing = missing;
    }

    /** A result as the suites see it: a byte-string map's "absent" as the missing value it was built with. */
    private long seen(long r) {
        return r == MapImpls.ABSENT_BYTES && !impl.isSet() && !impl.wordValues() ? missing : r;
    }

    Impl impl() {
        return impl;
    }

    OffHeapMap raw() {
        return raw;
    }

    MapCore core() {
        return (MapCore) raw;
    }

    long size() {
        return raw.size();
    }

    boolean isEmpty() {
        return raw.isEmpty();
    }

    void clear() {
        raw.clear();
    }

    MapStats stats() {
        return raw.stats();
    }

    @Override
    public void close() {
        raw.close();
    }

    // ------------------------------------------------------------------ long keys

    long get(long k) {
        long v = call(Op.GET, k, 0, null);
        if ((calls & 15) == 7) batchAgrees(k, v);
        return v;
    }

    /** Now and then, a lookup is made again as a batch of one (getAll; containsAll for sets), which must agree. */
    private void batchAgrees(long k, long single) {
        // Maps of byte-string values have no getAll (containsKey checks their containsAll).
        if (!api.batched() || !impl.isSet() && !impl.wordValues() || shared) return;
        long batch = impl.isSet() ? api.containsAllOfOne(raw, k) : api.getAllOfOne(raw, k, (calls & 16) != 0);
        if (batch != (impl.isSet() ? (single != 0 ? 1 : 0) : single)) {
            throw new AssertionError(impl + ": key " + k + ": the batched lookup gave " + batch + ", get " + single);
        }
    }

    long getOrDefault(long k, long d) {
        return call(Op.GET_OR_DEFAULT, k, d, null);
    }

    boolean containsKey(long k) {
        boolean has = call(Op.CONTAINS_KEY, k, 0, null) != 0;
        if ((calls & 15) == 7 && api.batched() && (api.containsAllOfOne(raw, k) == 1) != has) {
            throw new AssertionError(impl + ": key " + k + ": containsAll disagrees with containsKey (" + has + ")");
        }
        return has;
    }

    long put(long k, long v) {
        return call(Op.PUT, k, v, null);
    }

    long putIfAbsent(long k, long v) {
        return call(Op.PUT_IF_ABSENT, k, v, null);
    }

    long remove(long k) {
        return call(Op.REMOVE, k, 0, null);
    }

    long addTo(long k, long inc) {
        return call(Op.ADD_TO, k, inc, null);
    }

    long merge(long k, long v, LongBinaryOperator f) {
        LongBinaryOperator outer = operator; // f may call merge, on this map or another
        MapUnderTest outerMap = IN_CALL.get();
        operator = f;
        IN_CALL.set(this);
        try {
            return call(Op.MERGE, k, v, api.routedOperator);
        } finally {
            operator = outer;
            IN_CALL.set(outerMap);
        }
    }

    private long call(Op op, long k, long v, Object f) {
        int c = calls++;
        try {
            return seen((long) api.rotation(op, c).invokeExact(raw, impl.codec, k, c, v, f));
        } catch (Throwable t) {
            throw MapImpls.<RuntimeException>sneaky(t);
        }
    }

    // ------------------------------------------------------------------ String keys in a chosen form

    long get(Key k, KeyForm f) {
        return call(Op.GET, k, f, 0);
    }

    long getOrDefault(Key k, KeyForm f, long d) {
        return call(Op.GET_OR_DEFAULT, k, f, d);
    }

    boolean containsKey(Key k, KeyForm f) {
        return call(Op.CONTAINS_KEY, k, f, 0) != 0;
    }

    long put(Key k, KeyForm f, long v) {
        return call(Op.PUT, k, f, v);
    }

    long remove(Key k, KeyForm f) {
        return call(Op.REMOVE, k, f, 0);
    }

    /** Whether the type has op with its key in form f (merge, for one, takes only a String). */
    boolean offers(Op op, KeyForm f) {
        return impl.byteStringKeys() && api.handles.get(op)[f.ordinal()] != null;
    }

    /** Any op but merge, with the key in form f; as the long-keyed method of the same name. */
    long call(Op op, Key k, KeyForm form, long v) {
        if (!offers(op, form)) throw new UnsupportedOperationException(impl + " has no " + op + " by " + form);
        try {
            return seen((long) api.handles.get(op)[form.ordinal()].invokeExact(raw, k, v, (Object) null));
        } catch (Throwable t) {
            throw MapImpls.<RuntimeException>sneaky(t);
        }
    }

    // ------------------------------------------------------------------ the rest of the API

    boolean isSet() {
        return impl.isSet();
    }

    long missingValue() {
        return seen((long) self(api.missingValue, null));
    }

    void forEach(EntryConsumer c) {
        EntryConsumer outer = consumer; // c may call forEach, on this map or another
        MapUnderTest outerMap = IN_CALL.get();
        consumer = c;
        IN_CALL.set(this);
        try {
            self(api.forEach, api.routedConsumer);
        } finally {
            consumer = outer;
            IN_CALL.set(outerMap);
        }
    }

    private static void accept(long k, long v) {
        IN_CALL.get().consumer.accept(k, v);
    }

    private static long decode(String s) {
        return IN_CALL.get().impl.codec.decode(s);
    }

    private static long apply(long a, long b) {
        return IN_CALL.get().operator.applyAsLong(a, b);
    }

    private static MethodHandle routed(String name, Class<?> r, Class<?>... params) {
        try {
            return MethodHandles.lookup().findStatic(MapUnderTest.class, name, MethodType.methodType(r, params));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    Cur cursor() {
        return new Cur(self(api.cursor, null));
    }

    /** asMap() of a map (unsupported on sets). */
    Map<Object, Object> asMap() {
        if (isSet()) throw new UnsupportedOperationException(impl + " is a set");
        return MapImpls.anyMap(self(api.view, null));
    }

    /** asSet() of a set (unsupported on maps). */
    Set<Object> asSet() {
        if (!isSet()) throw new UnsupportedOperationException(impl + " is a map");
        return MapImpls.anySet(self(api.view, null));
    }

    private Object self(MethodHandle h, Object arg) {
        try {
            return (Object) h.invokeExact(raw, arg);
        } catch (Throwable t) {
            throw MapImpls.<RuntimeException>sneaky(t);
        }
    }

    @Override
    public String toString() {
        return raw.toString();
    }

    /** A cursor of any type; keys as long (decoded), and for String keys the key's String and bytes too. */
    final class Cur {
        private final Object c;
        private int keys, values;

        private Cur(Object c) {
            this.c = c;
        }

        boolean next() {
            return call(api.next, 0) != 0;
        }

        long key() {
            if (impl.byteStringKeys() && (keys++ & 7) == 0) checkKeyAccessors();
            try {
                return (long) api.cursorKey.invokeExact(c, impl.codec);
            } catch (Throwable t) {
                throw MapImpls.<RuntimeException>sneaky(t);
            }
        }

        /** The value (sets: PRESENT, after checking that there is a current key). */
        long value() {
            long v = call(api.value, 0);
            if (api.valueLength != null && (values++ & 7) == 0) checkValueAccessors(v);
            return v;
        }

        /**
         * A byte-string value's accessors agree with value(): valueLength and valueBytes are its bytes, and
         * copyValue copies them where they fit and writes nothing where they do not.
         */
        private void checkValueAccessors(long v) {
            byte[] expected = ValueForm.bytesOf(v);
            int n = expected.length;
            if (call(api.valueLength, 0) != n || !Arrays.equals(expected, ((MemorySegment) object(api.valueBytes, null)).toArray(ValueLayout.JAVA_BYTE))) {
                throw new AssertionError("valueLength/valueBytes disagree with value() " + v);
            }
            byte[] fits = filled(n + 3), shortBy1 = filled(n + 1);
            try {
                if ((int) api.copyValueArray.invokeExact(c, fits, 2) != n || !Arrays.equals(Arrays.copyOfRange(fits, 2, 2 + n), expected)
                        || fits[0] != 0x55 || fits[1] != 0x55 || fits[n + 2] != 0x55) {
                    throw new AssertionError("copyValue(byte[" + fits.length + "], 2) did not copy exactly the value " + v);
                }
                if (n > 0 && ((int) api.copyValueArray.invokeExact(c, shortBy1, 2) != n || !Arrays.equals(shortBy1, filled(n + 1)))) {
                    throw new AssertionError("copyValue into " + (n - 1) + " bytes of room returned no length " + n + " or wrote");
                }
            } catch (Throwable t) {
                throw MapImpls.<RuntimeException>sneaky(t);
            }
            MemorySegment seg = MemorySegment.ofArray(new byte[n]);
            if ((long) object(api.copyValueSegment, seg) != n || !Arrays.equals(seg.toArray(ValueLayout.JAVA_BYTE), expected)) {
                throw new AssertionError("copyValue(segment) did not copy the value " + v);
            }
        }

        void setValue(long v) {
            call(api.setValue, v);
        }

        void remove() {
            call(api.remove, 0);
        }

        /** The current String key as the cursor returns it. */
        String keyString() {
            return (String) keyObject();
        }

        /** The current String or Bytes key as the cursor returns it (a String or a ByteString). */
        Object keyObject() {
            return object(api.keyString, null);
        }

        MemorySegment keyBytes() {
            return (MemorySegment) object(api.keyBytes, null);
        }

        long keyLength() {
            return call(api.keyLength, 0);
        }

        void appendKey(Appendable out) {
            object(api.appendKey, out);
        }

        /**
         * The accessors of a String or Bytes key agree with key(): keyBytes and keyLength are its bytes (a
         * String's WTF-8), appendKey its characters, and copyKey copies them where they fit and writes
         * nothing where they do not.
         */
        private void checkKeyAccessors() {
            Object key = keyObject();
            byte[] expected;
            if (key instanceof String s) {
                StringBuilder sb = new StringBuilder("#");
                appendKey(sb);
                if (!sb.substring(1).equals(s)) {
                    throw new AssertionError("appendKey " + StringKeyCodec.describe(sb.substring(1)) + " != key() "
                            + StringKeyCodec.describe(s));
                }
                expected = StringKeyCodec.wtf8(s);
            } else {
                expected = ((ByteString) key).toByteArray();
            }
            byte[] actual = keyBytes().toArray(ValueLayout.JAVA_BYTE);
            long length = keyLength();
            if (!Arrays.equals(expected, actual) || length != expected.length) {
                throw new AssertionError("keyBytes/keyLength (" + actual.length + "/" + length + " bytes) are not the "
                        + "bytes of key() " + key);
            }
            int n = expected.length;
            byte[] fits = new byte[n + 3], shortBy1 = new byte[n + 1];
            Arrays.fill(fits, (byte) 0x55);
            Arrays.fill(shortBy1, (byte) 0x55);
            if (copyKey(fits, 2) != n || !Arrays.equals(Arrays.copyOfRange(fits, 2, 2 + n), expected)
                    || fits[0] != 0x55 || fits[1] != 0x55 || fits[n + 2] != 0x55) {
                throw new AssertionError("copyKey(byte[" + fits.length + "], 2) did not copy exactly the " + n + " bytes of key() " + key);
            }
            if (n > 0 && (copyKey(shortBy1, 2) != n || !Arrays.equals(shortBy1, filled(n + 1)))) {
                throw new AssertionError("copyKey into " + (n - 1) + " bytes of room returned no length " + n
                        + " or wrote into the buffer, key() " + key);
            }
            MemorySegment seg = MemorySegment.ofArray(new byte[n]);
            if ((long) object(api.copyKeySegment, seg) != n || !Arrays.equals(seg.toArray(ValueLayout.JAVA_BYTE), expected)) {
                throw new AssertionError("copyKey(segment) did not copy the bytes of key() " + key);
            }
        }

        private static byte[] filled(int n) {
            byte[] b = new byte[n];
            Arrays.fill(b, (byte) 0x55);
            return b;
        }

        int copyKey(byte[] dst, int offset) {
            try {
                return (int) api.copyKeyArray.invokeExact(c, dst, offset);
            } catch (Throwable t) {
                throw MapImpls.<RuntimeException>sneaky(t);
            }
        }

        private long call(MethodHandle h, long arg) {
            try {
                return (long) h.invokeExact(c, arg);
            } catch (Throwable t) {
                throw MapImpls.<RuntimeException>sneaky(t);
            }
        }

        private Object object(MethodHandle h, Object arg) {
            if (h == null) throw new UnsupportedOperationException(impl + " has no String keys");
            try {
                return (Object) h.invokeExact(c, arg);
            } catch (Throwable t) {
                throw MapImpls.<RuntimeException>sneaky(t);
            }
        }
    }
}
