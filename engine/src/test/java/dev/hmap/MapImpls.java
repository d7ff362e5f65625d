// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import dev.hmap.internal.MapCore;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.LongBinaryOperator;

/**
 * The adapter layer of the conformance suites: every generated map and set behind one long-typed
 * interface, so each behaviour test is written once and runs over all eight implementations.
 *
 * <p>A set is treated as a map whose only value is {@link #PRESENT} and whose missing value is 0:
 * {@code put} is {@code add} (returning the previous "value"), {@code get} is {@code contains ? 1 : 0},
 * {@code remove} returns 1 when it removed. addTo, merge, setValue and asMap are unsupported on sets.
 *
 * <p>Keys and values travel as long. For int keys/values the adapter rejects longs outside the int range
 * (a test bug, not an engine bug); double values are integers below 2^53 so every conversion is exact.
 *
 * <p>String-keyed maps and sets take the whole long domain, mapped injectively to adversarial strings by
 * {@link StringKeyCodec} (empty, NUL, unpaired surrogates, 1- to 4-byte UTF-8, lengths around 8/16/32,
 * long keys sharing their first and last 4 bytes, a few beyond 2 KiB); their cursors' keys are decoded
 * back. Their adapters rotate the lookup flavours (String, CharSequence, byte[] range, MemorySegment) over
 * get/getOrDefault/containsKey/remove, and cross-check appendKey/keyBytes/keyLength against key() now and
 * then, so every conformance test exercises them too.
 */
final class MapImpls {
    private MapImpls() {}

    /** The single "value" of a set entry. */
    static final long PRESENT = 1;

    enum KeyType { INT, LONG, STRING }

    enum ValueType { INT, LONG, DOUBLE, NONE }

    @FunctionalInterface
    interface EntryConsumer {
        void accept(long key, long value);
    }

    /** A cursor of any implementation. */
    interface Cur {
        boolean next();

        long key();

        long value();

        void setValue(long v);

        void remove();
    }

    /** One map or set under test, long-typed. */
    interface MapUnderTest extends AutoCloseable {
        Impl impl();

        OffHeapMap raw();

        default MapCore core() {
            return (MapCore) raw();
        }

        default long size() {
            return raw().size();
        }

        default boolean isEmpty() {
            return raw().isEmpty();
        }

        default void clear() {
            raw().clear();
        }

        default MapStats stats() {
            return raw().stats();
        }

        @Override
        default void close() {
            raw().close();
        }

        long get(long k);

        long getOrDefault(long k, long d);

        boolean containsKey(long k);

        long put(long k, long v);

        long putIfAbsent(long k, long v);

        long remove(long k);

        long addTo(long k, long inc);

        long merge(long k, long v, LongBinaryOperator f);

        long missingValue();

        void forEach(EntryConsumer c);

        Cur cursor();

        /** asMap() of a map (unsupported on sets). */
        Map<Object, Object> asMap();

        /** asSet() of a set (unsupported on maps). */
        Set<Object> asSet();
    }

    @FunctionalInterface
    interface Factory {
        MapUnderTest make(Impl impl, long hint, long missing, Integer seed);
    }

    /** One implementation: its name, key and value domains and its factory. */
    record Impl(String name, KeyType keyType, ValueType valueType, Factory factory) {
        boolean isSet() {
            return valueType == ValueType.NONE;
        }

        boolean intKeys() {
            return keyType == KeyType.INT;
        }

        boolean stringKeys() {
            return keyType == KeyType.STRING;
        }

        MapUnderTest create() {
            return factory.make(this, 0, 0, null);
        }

        MapUnderTest create(long hint) {
            return factory.make(this, hint, 0, null);
        }

        /** A map with the given hint, missing value (ignored by sets) and builder seed (null: random). */
        MapUnderTest build(long hint, long missing, Integer seed) {
            return factory.make(this, hint, isSet() ? 0 : value(missing), seed);
        }

        /** Folds any long into the key domain. */
        long key(long raw) {
            return intKeys() ? (int) raw : raw;
        }

        /** Folds any long into the value domain (doubles: exact integers in the int range). */
        long value(long raw) {
            return switch (valueType) {
                case INT, DOUBLE -> (int) raw;
                case LONG -> raw;
                case NONE -> PRESENT;
            };
        }

        /** What addTo stores: the sum, wrapped as the value type wraps. */
        long sum(long a, long b) {
            return switch (valueType) {
                case INT -> (int) (a + b);
                case LONG, DOUBLE -> a + b;
                case NONE -> throw new UnsupportedOperationException();
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
            return switch (valueType) {
                case INT, DOUBLE -> r.nextInt();
                case LONG -> r.nextLong();
                case NONE -> PRESENT;
            };
        }

        /** An increment for addTo: small for doubles so sums stay exact. */
        long randomIncrement(SplittableRandom r) {
            return switch (valueType) {
                case INT -> r.nextInt();
                case LONG -> r.nextLong();
                case DOUBLE -> r.nextInt(-1 << 20, 1 << 20);
                case NONE -> 0;
            };
        }

        Object boxKey(long k) {
            if (stringKeys()) return StringKeyCodec.encoded(k).s();
            return intKeys() ? (Object) (int) k : (Object) k;
        }

        Object boxValue(long v) {
            return switch (valueType) {
                case INT -> (int) v;
                case LONG -> v;
                case DOUBLE -> (double) v;
                case NONE -> throw new UnsupportedOperationException("sets have no values");
            };
        }

        /**
         * A key of the wrong boxed type (an Integer for long keys, a Long for int keys; for String keys a
         * StringBuilder holding the very same characters, which is a CharSequence but no String).
         */
        Object foreignKey(long k) {
            if (stringKeys()) return new StringBuilder(StringKeyCodec.encode(k));
            return intKeys() ? (Object) k : (Object) (int) k;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final Impl INT_INT = new Impl("IntIntMap", KeyType.INT, ValueType.INT, (i, h, mv, s) -> {
        IntIntMap.Builder b = IntIntMap.builder().expectedSize(h).missingValue(iv(mv));
        if (s != null) b.seed(s);
        return new II(i, b.build());
    });
    static final Impl INT_LONG = new Impl("IntLongMap", KeyType.INT, ValueType.LONG, (i, h, mv, s) -> {
        IntLongMap.Builder b = IntLongMap.builder().expectedSize(h).missingValue(mv);
        if (s != null) b.seed(s);
        return new IL(i, b.build());
    });
    static final Impl INT_DOUBLE = new Impl("IntDoubleMap", KeyType.INT, ValueType.DOUBLE, (i, h, mv, s) -> {
        IntDoubleMap.Builder b = IntDoubleMap.builder().expectedSize(h).missingValue(dv(mv));
        if (s != null) b.seed(s);
        return new ID(i, b.build());
    });
    static final Impl LONG_INT = new Impl("LongIntMap", KeyType.LONG, ValueType.INT, (i, h, mv, s) -> {
        LongIntMap.Builder b = LongIntMap.builder().expectedSize(h).missingValue(iv(mv));
        if (s != null) b.seed(s);
        return new LI(i, b.build());
    });
    static final Impl LONG_LONG = new Impl("LongLongMap", KeyType.LONG, ValueType.LONG, (i, h, mv, s) -> {
        LongLongMap.Builder b = LongLongMap.builder().expectedSize(h).missingValue(mv);
        if (s != null) b.seed(s);
        return new LL(i, b.build());
    });
    static final Impl LONG_DOUBLE = new Impl("LongDoubleMap", KeyType.LONG, ValueType.DOUBLE, (i, h, mv, s) -> {
        LongDoubleMap.Builder b = LongDoubleMap.builder().expectedSize(h).missingValue(dv(mv));
        if (s != null) b.seed(s);
        return new LD(i, b.build());
    });
    static final Impl INT_SET = new Impl("IntSet", KeyType.INT, ValueType.NONE, (i, h, mv, s) -> {
        IntSet.Builder b = IntSet.builder().expectedSize(h);
        if (s != null) b.seed(s);
        return new IS(i, b.build());
    });
    static final Impl LONG_SET = new Impl("LongSet", KeyType.LONG, ValueType.NONE, (i, h, mv, s) -> {
        LongSet.Builder b = LongSet.builder().expectedSize(h);
        if (s != null) b.seed(s);
        return new LS(i, b.build());
    });

    static final Impl STRING_INT = new Impl("StringIntMap", KeyType.STRING, ValueType.INT, (i, h, mv, s) -> {
        StringIntMap.Builder b = StringIntMap.builder().expectedSize(h).missingValue(iv(mv));
        if (s != null) b.seed(s);
        return new SI(i, b.build());
    });
    static final Impl STRING_LONG = new Impl("StringLongMap", KeyType.STRING, ValueType.LONG, (i, h, mv, s) -> {
        StringLongMap.Builder b = StringLongMap.builder().expectedSize(h).missingValue(mv);
        if (s != null) b.seed(s);
        return new SL(i, b.build());
    });
    static final Impl STRING_DOUBLE = new Impl("StringDoubleMap", KeyType.STRING, ValueType.DOUBLE, (i, h, mv, s) -> {
        StringDoubleMap.Builder b = StringDoubleMap.builder().expectedSize(h).missingValue(dv(mv));
        if (s != null) b.seed(s);
        return new SD(i, b.build());
    });
    static final Impl STRING_SET = new Impl("StringSet", KeyType.STRING, ValueType.NONE, (i, h, mv, s) -> {
        StringSet.Builder b = StringSet.builder().expectedSize(h);
        if (s != null) b.seed(s);
        return new SS(i, b.build());
    });

    static final List<Impl> MAPS = List.of(INT_INT, INT_LONG, INT_DOUBLE, LONG_INT, LONG_LONG, LONG_DOUBLE,
            STRING_INT, STRING_LONG, STRING_DOUBLE);
    static final List<Impl> SETS = List.of(INT_SET, LONG_SET, STRING_SET);
    static final List<Impl> ALL = List.of(INT_INT, INT_LONG, INT_DOUBLE, LONG_INT, LONG_LONG, LONG_DOUBLE, INT_SET, LONG_SET,
            STRING_INT, STRING_LONG, STRING_DOUBLE, STRING_SET);
    static final List<Impl> STRINGS = List.of(STRING_INT, STRING_LONG, STRING_DOUBLE, STRING_SET);

    // ------------------------------------------------------------------ conversions

    static int ik(long k) {
        int i = (int) k;
        if (i != k) throw new IllegalArgumentException("test bug: key " + k + " outside the int range");
        return i;
    }

    static int iv(long v) {
        int i = (int) v;
        if (i != v) throw new IllegalArgumentException("test bug: value " + v + " outside the int range");
        return i;
    }

    private static final long EXACT = 1L << 53;

    static double dv(long v) {
        if (v > EXACT || v < -EXACT) throw new IllegalArgumentException("test bug: value " + v + " not exact as double");
        return v;
    }

    /** A double value read back from a map; must be an exact integer (else the engine returned garbage). */
    static long ld(double d) {
        long l = (long) d;
        if (l != d || Double.isNaN(d)) throw new AssertionError("map returned the non-integral double " + d);
        return l;
    }

    // ------------------------------------------------------------------ adapters

    private abstract static class Base<M extends OffHeapMap> implements MapUnderTest {
        final Impl impl;
        final M m;

        Base(Impl impl, M m) {
            this.impl = impl;
            this.m = m;
        }

        @Override
        public Impl impl() {
            return impl;
        }

        @Override
        public OffHeapMap raw() {
            return m;
        }

        @Override
        public Map<Object, Object> asMap() {
            throw new UnsupportedOperationException(impl + " is a set");
        }

        @Override
        public Set<Object> asSet() {
            throw new UnsupportedOperationException(impl + " is a map");
        }

        @Override
        public String toString() {
            return m.toString();
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Map<Object, Object> anyMap(Map<?, ?> m) {
        return (Map) m;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Set<Object> anySet(Set<?> s) {
        return (Set) s;
    }

    private static final class II extends Base<IntIntMap> {
        II(Impl i, IntIntMap m) { super(i, m); }
        public long get(long k) { return m.get(ik(k)); }
        public long getOrDefault(long k, long d) { return m.getOrDefault(ik(k), iv(d)); }
        public boolean containsKey(long k) { return m.containsKey(ik(k)); }
        public long put(long k, long v) { return m.put(ik(k), iv(v)); }
        public long putIfAbsent(long k, long v) { return m.putIfAbsent(ik(k), iv(v)); }
        public long remove(long k) { return m.remove(ik(k)); }
        public long addTo(long k, long inc) { return m.addTo(ik(k), iv(inc)); }
        public long merge(long k, long v, LongBinaryOperator f) {
            return m.merge(ik(k), iv(v), (a, b) -> (int) f.applyAsLong(a, b));
        }
        public long missingValue() { return m.missingValue(); }
        public void forEach(EntryConsumer c) { m.forEach(c::accept); }
        public Map<Object, Object> asMap() { return anyMap(m.asMap()); }
        public Cur cursor() {
            IntIntCursor c = m.cursor();
            return new Cur() {
                public boolean next() { return c.next(); }
                public long key() { return c.key(); }
                public long value() { return c.value(); }
                public void setValue(long v) { c.setValue(iv(v)); }
                public void remove() { c.remove(); }
            };
        }
    }

    private static final class IL extends Base<IntLongMap> {
        IL(Impl i, IntLongMap m) { super(i, m); }
        public long get(long k) { return m.get(ik(k)); }
        public long getOrDefault(long k, long d) { return m.getOrDefault(ik(k), d); }
        public boolean containsKey(long k) { return m.containsKey(ik(k)); }
        public long put(long k, long v) { return m.put(ik(k), v); }
        public long putIfAbsent(long k, long v) { return m.putIfAbsent(ik(k), v); }
        public long remove(long k) { return m.remove(ik(k)); }
        public long addTo(long k, long inc) { return m.addTo(ik(k), inc); }
        public long merge(long k, long v, LongBinaryOperator f) { return m.merge(ik(k), v, f); }
        public long missingValue() { return m.missingValue(); }
        public void forEach(EntryConsumer c) { m.forEach(c::accept); }
        public Map<Object, Object> asMap() { return anyMap(m.asMap()); }
        public Cur cursor() {
            IntLongCursor c = m.cursor();
            return new Cur() {
                public boolean next() { return c.next(); }
                public long key() { return c.key(); }
                public long value() { return c.value(); }
                public void setValue(long v) { c.setValue(v); }
                public void remove() { c.remove(); }
            };
        }
    }

    private static final class ID extends Base<IntDoubleMap> {
        ID(Impl i, IntDoubleMap m) { super(i, m); }
        public long get(long k) { return ld(m.get(ik(k))); }
        public long getOrDefault(long k, long d) { return ld(m.getOrDefault(ik(k), dv(d))); }
        public boolean containsKey(long k) { return m.containsKey(ik(k)); }
        public long put(long k, long v) { return ld(m.put(ik(k), dv(v))); }
        public long putIfAbsent(long k, long v) { return ld(m.putIfAbsent(ik(k), dv(v))); }
        public long remove(long k) { return ld(m.remove(ik(k))); }
        public long addTo(long k, long inc) { return ld(m.addTo(ik(k), dv(inc))); }
        public long merge(long k, long v, LongBinaryOperator f) {
            return ld(m.merge(ik(k), dv(v), (a, b) -> dv(f.applyAsLong(ld(a), ld(b)))));
        }
        public long missingValue() { return ld(m.missingValue()); }
        public void forEach(EntryConsumer c) { m.forEach((k, v) -> c.accept(k, ld(v))); }
        public Map<Object, Object> asMap() { return anyMap(m.asMap()); }
        public Cur cursor() {
            IntDoubleCursor c = m.cursor();
            return new Cur() {
                public boolean next() { return c.next(); }
                public long key() { return c.key(); }
                public long value() { return ld(c.value()); }
                public void setValue(long v) { c.setValue(dv(v)); }
                public void remove() { c.remove(); }
            };
        }
    }

    private static final class LI extends Base<LongIntMap> {
        LI(Impl i, LongIntMap m) { super(i, m); }
        public long get(long k) { return m.get(k); }
        public long getOrDefault(long k, long d) { return m.getOrDefault(k, iv(d)); }
        public boolean containsKey(long k) { return m.containsKey(k); }
        public long put(long k, long v) { return m.put(k, iv(v)); }
        public long putIfAbsent(long k, long v) { return m.putIfAbsent(k, iv(v)); }
        public long remove(long k) { return m.remove(k); }
        public long addTo(long k, long inc) { return m.addTo(k, iv(inc)); }
        public long merge(long k, long v, LongBinaryOperator f) {
            return m.merge(k, iv(v), (a, b) -> (int) f.applyAsLong(a, b));
        }
        public long missingValue() { return m.missingValue(); }
        public void forEach(EntryConsumer c) { m.forEach(c::accept); }
        public Map<Object, Object> asMap() { return anyMap(m.asMap()); }
        public Cur cursor() {
            LongIntCursor c = m.cursor();
            return new Cur() {
                public boolean next() { return c.next(); }
                public long key() { return c.key(); }
                public long value() { return c.value(); }
                public void setValue(long v) { c.setValue(iv(v)); }
                public void remove() { c.remove(); }
            };
        }
    }

    private static final class LL extends Base<LongLongMap> {
        LL(Impl i, LongLongMap m) { super(i, m); }
        public long get(long k) { return m.get(k); }
        public long getOrDefault(long k, long d) { return m.getOrDefault(k, d); }
        public boolean containsKey(long k) { return m.containsKey(k); }
        public long put(long k, long v) { return m.put(k, v); }
        public long putIfAbsent(long k, long v) { return m.putIfAbsent(k, v); }
        public long remove(long k) { return m.remove(k); }
        public long addTo(long k, long inc) { return m.addTo(k, inc); }
        public long merge(long k, long v, LongBinaryOperator f) { return m.merge(k, v, f); }
        public long missingValue() { return m.missingValue(); }
        public void forEach(EntryConsumer c) { m.forEach(c::accept); }
        public Map<Object, Object> asMap() { return anyMap(m.asMap()); }
        public Cur cursor() {
            LongLongCursor c = m.cursor();
            return new Cur() {
                public boolean next() { return c.next(); }
                public long key() { return c.key(); }
                public long value() { return c.value(); }
                public void setValue(long v) { c.setValue(v); }
                public void remove() { c.remove(); }
            };
        }
    }

    private static final class LD extends Base<LongDoubleMap> {
        LD(Impl i, LongDoubleMap m) { super(i, m); }
        public long get(long k) { return ld(m.get(k)); }
        public long getOrDefault(long k, long d) { return ld(m.getOrDefault(k, dv(d))); }
        public boolean containsKey(long k) { return m.containsKey(k); }
        public long put(long k, long v) { return ld(m.put(k, dv(v))); }
        public long putIfAbsent(long k, long v) { return ld(m.putIfAbsent(k, dv(v))); }
        public long remove(long k) { return ld(m.remove(k)); }
        public long addTo(long k, long inc) { return ld(m.addTo(k, dv(inc))); }
        public long merge(long k, long v, LongBinaryOperator f) {
            return ld(m.merge(k, dv(v), (a, b) -> dv(f.applyAsLong(ld(a), ld(b)))));
        }
        public long missingValue() { return ld(m.missingValue()); }
        public void forEach(EntryConsumer c) { m.forEach((k, v) -> c.accept(k, ld(v))); }
        public Map<Object, Object> asMap() { return anyMap(m.asMap()); }
        public Cur cursor() {
            LongDoubleCursor c = m.cursor();
            return new Cur() {
                public boolean next() { return c.next(); }
                public long key() { return c.key(); }
                public long value() { return ld(c.value()); }
                public void setValue(long v) { c.setValue(dv(v)); }
                public void remove() { c.remove(); }
            };
        }
    }

    private static final class IS extends Base<IntSet> {
        IS(Impl i, IntSet m) { super(i, m); }
        public long get(long k) { return m.contains(ik(k)) ? PRESENT : 0; }
        public long getOrDefault(long k, long d) { return m.contains(ik(k)) ? PRESENT : d; }
        public boolean containsKey(long k) { return m.contains(ik(k)); }
        public long put(long k, long v) { return m.add(ik(k)) ? 0 : PRESENT; }
        public long putIfAbsent(long k, long v) { return put(k, v); }
        public long remove(long k) { return m.remove(ik(k)) ? PRESENT : 0; }
        public long addTo(long k, long inc) { throw new UnsupportedOperationException("set"); }
        public long merge(long k, long v, LongBinaryOperator f) { throw new UnsupportedOperationException("set"); }
        public long missingValue() { return 0; }
        public void forEach(EntryConsumer c) { m.forEach(k -> c.accept(k, PRESENT)); }
        public Set<Object> asSet() { return anySet(m.asSet()); }
        public Cur cursor() {
            IntCursor c = m.cursor();
            return new Cur() {
                public boolean next() { return c.next(); }
                public long key() { return c.key(); }
                public long value() { c.key(); return PRESENT; }
                public void setValue(long v) { throw new UnsupportedOperationException("set"); }
                public void remove() { c.remove(); }
            };
        }
    }

    private static final class LS extends Base<LongSet> {
        LS(Impl i, LongSet m) { super(i, m); }
        public long get(long k) { return m.contains(k) ? PRESENT : 0; }
        public long getOrDefault(long k, long d) { return m.contains(k) ? PRESENT : d; }
        public boolean containsKey(long k) { return m.contains(k); }
        public long put(long k, long v) { return m.add(k) ? 0 : PRESENT; }
        public long putIfAbsent(long k, long v) { return put(k, v); }
        public long remove(long k) { return m.remove(k) ? PRESENT : 0; }
        public long addTo(long k, long inc) { throw new UnsupportedOperationException("set"); }
        public long merge(long k, long v, LongBinaryOperator f) { throw new UnsupportedOperationException("set"); }
        public long missingValue() { return 0; }
        public void forEach(EntryConsumer c) { m.forEach(k -> c.accept(k, PRESENT)); }
        public Set<Object> asSet() { return anySet(m.asSet()); }
        public Cur cursor() {
            LongCursor c = m.cursor();
            return new Cur() {
                public boolean next() { return c.next(); }
                public long key() { return c.key(); }
                public long value() { c.key(); return PRESENT; }
                public void setValue(long v) { throw new UnsupportedOperationException("set"); }
                public void remove() { c.remove(); }
            };
        }
    }

    // ------------------------------------------------------------------ String keys

    /** A String key in each lookup flavour, built from its reference WTF-8 bytes (not the engine's encoder). */
    static final class Probe {
        final String s;
        final byte[] bytes;   // the key's bytes at [off, off + len), with garbage around them
        final int off, len;

        Probe(long k, int salt) {
            StringKeyCodec.Encoded e = StringKeyCodec.encoded(k);
            s = e.s();
            byte[] b = e.wtf8();
            off = salt & 7;
            len = b.length;
            bytes = new byte[off + len + (salt >>> 3 & 3)];
            java.util.Arrays.fill(bytes, (byte) (0x41 + salt));
            System.arraycopy(b, 0, bytes, off, len);
        }

        CharSequence chars(int salt) {
            return (salt & 4) == 0 ? new StringBuilder(s) : java.nio.CharBuffer.wrap(s);
        }

        java.lang.foreign.MemorySegment segment() {
            return java.lang.foreign.MemorySegment.ofArray(bytes).asSlice(off, len);
        }
    }

    /** The flavour of the next lookup: rotates String, CharSequence, byte[] range, MemorySegment. */
    private abstract static class StrBase<M extends OffHeapMap> extends Base<M> {
        private int calls;

        StrBase(Impl impl, M m) {
            super(impl, m);
        }

        /** 0: String, 1: CharSequence, 2: byte[] range, 3: heap MemorySegment; plus salt bits above. */
        int flavour() {
            int c = calls++;
            return (c & 3) | (c >>> 2 & 0x3F) << 2;
        }

        static String s(long k) {
            return StringKeyCodec.encoded(k).s();
        }
    }

    /** Decodes cursor keys and, every 8th call, checks appendKey/keyBytes/keyLength against key(). */
    private static final class KeyCheck {
        private int calls;

        long key(String s, java.util.function.Consumer<Appendable> appendKey,
                 java.util.function.Supplier<java.lang.foreign.MemorySegment> keyBytes, long keyLength) {
            if ((calls++ & 7) == 0) {
                StringBuilder sb = new StringBuilder("#");
                appendKey.accept(sb);
                if (!sb.substring(1).equals(s)) {
                    throw new AssertionError("appendKey " + StringKeyCodec.describe(sb.substring(1)) + " != key() "
                            + StringKeyCodec.describe(s));
                }
                byte[] expected = StringKeyCodec.wtf8(s);
                byte[] actual = keyBytes.get().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                if (!java.util.Arrays.equals(expected, actual) || keyLength != expected.length) {
                    throw new AssertionError("keyBytes/keyLength (" + actual.length + "/" + keyLength + " bytes) are not the "
                            + "WTF-8 of key() " + StringKeyCodec.describe(s));
                }
            }
            return StringKeyCodec.decode(s);
        }
    }

    private static final class SI extends StrBase<StringIntMap> {
        SI(Impl i, StringIntMap m) { super(i, m); }
        public long get(long k) {
            int f = flavour();
            Probe p = new Probe(k, f >>> 2);
            return switch (f & 3) {
                case 0 -> m.get(p.s);
                case 1 -> m.get(p.chars(f));
                case 2 -> m.get(p.bytes, p.off, p.len);
                default -> m.get(p.segment());
            };
        }
        public long getOrDefault(long k, long d) {
            int f = flavour();
            Probe p = new Probe(k, f >>> 2);
            return switch (f & 3) {
                case 0 -> m.getOrDefault(p.s, iv(d));
                case 1 -> m.getOrDefault(p.chars(f), iv(d));
                case 2 -> m.getOrDefault(p.bytes, p.off, p.len, iv(d));
                default -> m.getOrDefault(p.segment(), iv(d));
            };
        }
        public boolean containsKey(long k) {
            int f = flavour();
            Probe p = new Probe(k, f >>> 2);
            return switch (f & 3) {
                case 0 -> m.containsKey(p.s);
                case 1 -> m.containsKey(p.chars(f));
                case 2 -> m.containsKey(p.bytes, p.off, p.len);
                default -> m.containsKey(p.segment());
            };
        }
        public long put(long k, long v) { return m.put(s(k), iv(v)); }
        public long putIfAbsent(long k, long v) { return m.putIfAbsent(s(k), iv(v)); }
        public long remove(long k) {
            int f = flavour();
            Probe p = new Probe(k, f >>> 2);
            return switch (f & 3) {
                case 0 -> m.remove(p.s);
                case 1 -> m.remove(p.chars(f));
                case 2 -> m.remove(p.bytes, p.off, p.len);
                default -> m.remove(p.segment());
            };
        }
        public long addTo(long k, long inc) { return m.addTo(s(k), iv(inc)); }
        public long merge(long k, long v, LongBinaryOperator f) {
            return m.merge(s(k), iv(v), (a, b) -> (int) f.applyAsLong(a, b));
        }
        public long missingValue() { return m.missingValue(); }
        public void forEach(EntryConsumer c) { m.forEach((k, v) -> c.accept(StringKeyCodec.decode(k), v)); }
        public Map<Object, Object> asMap() { return anyMap(m.asMap()); }
        public Cur cursor() {
            StringIntCursor c = m.cursor();
            KeyCheck kc = new KeyCheck();
            return new Cur() {
                public boolean next() { return c.next(); }
                public long key() { return kc.key(c.key(), c::appendKey, c::keyBytes, c.keyLength()); }
                public long value() { return c.value(); }
                public void setValue(long v) { c.setValue(iv(v)); }
                public void remove() { c.remove(); }
            };
        }
    }

    private static final class SL extends StrBase<StringLongMap> {
        SL(Impl i, StringLongMap m) { super(i, m); }
        public long get(long k) {
            int f = flavour();
            Probe p = new Probe(k, f >>> 2);
            return switch (f & 3) {
                case 0 -> m.get(p.s);
                case 1 -> m.get(p.chars(f));
                case 2 -> m.get(p.bytes, p.off, p.len);
                default -> m.get(p.segment());
            };
        }
        public long getOrDefault(long k, long d) {
            int f = flavour();
            Probe p = new Probe(k, f >>> 2);
            return switch (f & 3) {
                case 0 -> m.getOrDefault(p.s, d);
                case 1 -> m.getOrDefault(p.chars(f), d);
                case 2 -> m.getOrDefault(p.bytes, p.off, p.len, d);
                default -> m.getOrDefault(p.segment(), d);
            };
        }
        public boolean containsKey(long k) {
            int f = flavour();
            Probe p = new Probe(k, f >>> 2);
            return switch (f & 3) {
                case 0 -> m.containsKey(p.s);
                case 1 -> m.containsKey(p.chars(f));
                case 2 -> m.containsKey(p.bytes, p.off, p.len);
                default -> m.containsKey(p.segment());
            };
        }
        public long put(long k, long v) { return m.put(s(k), v); }
        public long putIfAbsent(long k, long v) { return m.putIfAbsent(s(k), v); }
        public long remove(long k) {
            int f = flavour();
            Probe p = new Probe(k, f >>> 2);
            return switch (f & 3) {
                case 0 -> m.remove(p.s);
                case 1 -> m.remove(p.chars(f));
                case 2 -> m.remove(p.bytes, p.off, p.len);
                default -> m.remove(p.segment());
            };
        }
        public long addTo(long k, long inc) { return m.addTo(s(k), inc); }
        public long merge(long k, long v, LongBinaryOperator f) { return m.merge(s(k), v, f); }
        public long missingValue() { return m.missingValue(); }
        public void forEach(EntryConsumer c) { m.forEach((k, v) -> c.accept(StringKeyCodec.decode(k), v)); }
        public Map<Object, Object> asMap() { return anyMap(m.asMap()); }
        public Cur cursor() {
            StringLongCursor c = m.cursor();
            KeyCheck kc = new KeyCheck();
            return new Cur() {
                public boolean next() { return c.next(); }
                public long key() { return kc.key(c.key(), c::appendKey, c::keyBytes, c.keyLength()); }
                public long value() { return c.value(); }
                public void setValue(long v) { c.setValue(v); }
                public void remove() { c.remove(); }
            };
        }
    }

    private static final class SD extends StrBase<StringDoubleMap> {
        SD(Impl i, StringDoubleMap m) { super(i, m); }
        public long get(long k) {
            int f = flavour();
            Probe p = new Probe(k, f >>> 2);
            return ld(switch (f & 3) {
                case 0 -> m.get(p.s);
                case 1 -> m.get(p.chars(f));
                case 2 -> m.get(p.bytes, p.off, p.len);
                default -> m.get(p.segment());
            });
        }
        public long getOrDefault(long k, long d) {
            int f = flavour();
            Probe p = new Probe(k, f >>> 2);
            return ld(switch (f & 3) {
                case 0 -> m.getOrDefault(p.s, dv(d));
                case 1 -> m.getOrDefault(p.chars(f), dv(d));
                case 2 -> m.getOrDefault(p.bytes, p.off, p.len, dv(d));
                default -> m.getOrDefault(p.segment(), dv(d));
            });
        }
        public boolean containsKey(long k) {
            int f = flavour();
            Probe p = new Probe(k, f >>> 2);
            return switch (f & 3) {
                case 0 -> m.containsKey(p.s);
                case 1 -> m.containsKey(p.chars(f));
                case 2 -> m.containsKey(p.bytes, p.off, p.len);
                default -> m.containsKey(p.segment());
            };
        }
        public long put(long k, long v) { return ld(m.put(s(k), dv(v))); }
        public long putIfAbsent(long k, long v) { return ld(m.putIfAbsent(s(k), dv(v))); }
        public long remove(long k) {
            int f = flavour();
            Probe p = new Probe(k, f >>> 2);
            return ld(switch (f & 3) {
                case 0 -> m.remove(p.s);
                case 1 -> m.remove(p.chars(f));
                case 2 -> m.remove(p.bytes, p.off, p.len);
                default -> m.remove(p.segment());
            });
        }
        public long addTo(long k, long inc) { return ld(m.addTo(s(k), dv(inc))); }
        public long merge(long k, long v, LongBinaryOperator f) {
            return ld(m.merge(s(k), dv(v), (a, b) -> dv(f.applyAsLong(ld(a), ld(b)))));
        }
        public long missingValue() { return ld(m.missingValue()); }
        public void forEach(EntryConsumer c) { m.forEach((k, v) -> c.accept(StringKeyCodec.decode(k), ld(v))); }
        public Map<Object, Object> asMap() { return anyMap(m.asMap()); }
        public Cur cursor() {
            StringDoubleCursor c = m.cursor();
            KeyCheck kc = new KeyCheck();
            return new Cur() {
                public boolean next() { return c.next(); }
                public long key() { return kc.key(c.key(), c::appendKey, c::keyBytes, c.keyLength()); }
                public long value() { return ld(c.value()); }
                public void setValue(long v) { c.setValue(dv(v)); }
                public void remove() { c.remove(); }
            };
        }
    }

    private static final class SS extends StrBase<StringSet> {
        SS(Impl i, StringSet m) { super(i, m); }
        public long get(long k) { return containsKey(k) ? PRESENT : 0; }
        public long getOrDefault(long k, long d) { return containsKey(k) ? PRESENT : d; }
        public boolean containsKey(long k) {
            int f = flavour();
            Probe p = new Probe(k, f >>> 2);
            return switch (f & 3) {
                case 0 -> m.contains(p.s);
                case 1 -> m.contains(p.chars(f));
                case 2 -> m.contains(p.bytes, p.off, p.len);
                default -> m.contains(p.segment());
            };
        }
        public long put(long k, long v) { return m.add(s(k)) ? 0 : PRESENT; }
        public long putIfAbsent(long k, long v) { return put(k, v); }
        public long remove(long k) {
            int f = flavour();
            Probe p = new Probe(k, f >>> 2);
            boolean removed = switch (f & 3) {
                case 0 -> m.remove(p.s);
                case 1 -> m.remove(p.chars(f));
                case 2 -> m.remove(p.bytes, p.off, p.len);
                default -> m.remove(p.segment());
            };
            return removed ? PRESENT : 0;
        }
        public long addTo(long k, long inc) { throw new UnsupportedOperationException("set"); }
        public long merge(long k, long v, LongBinaryOperator f) { throw new UnsupportedOperationException("set"); }
        public long missingValue() { return 0; }
        public void forEach(EntryConsumer c) { m.forEach(k -> c.accept(StringKeyCodec.decode(k), PRESENT)); }
        public Set<Object> asSet() { return anySet(m.asSet()); }
        public Cur cursor() {
            StringCursor c = m.cursor();
            KeyCheck kc = new KeyCheck();
            return new Cur() {
                public boolean next() { return c.next(); }
                public long key() { return kc.key(c.key(), c::appendKey, c::keyBytes, c.keyLength()); }
                public long value() { c.key(); return PRESENT; }
                public void setValue(long v) { throw new UnsupportedOperationException("set"); }
                public void remove() { c.remove(); }
            };
        }
    }
}
