package dev.hmap;

import dev.hmap.MapImpls.Impl;
import dev.hmap.internal.MapCore;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.util.function.BiConsumer;
import java.util.function.Function;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The four String-keyed types behind one String-typed interface, for the String tests: every lookup
 * flavour (String, CharSequence, byte[] range, heap and native MemorySegment) on one call, the cursor
 * accessors, forEach and the views. Maps are built with a missing value no test stores, so "absent" is
 * unambiguous; values are ints (exact in every value type).
 */
final class StringTargets {
    private StringTargets() {}

    /** How a lookup passes its key. */
    enum Flavour { STRING, STRING_BUILDER, CHAR_BUFFER, BYTE_RANGE, HEAP_SEGMENT, NATIVE_SEGMENT }

    static final Flavour[] FLAVOURS = Flavour.values();

    private static final CharBuffer DIRECT_CHARS = ByteBuffer.allocateDirect(1 << 22).asCharBuffer();

    /** A key in every flavour. Byte flavours use the reference WTF-8 bytes, not the engine's encoder. */
    static final class Key {
        final String s;
        final byte[] wtf8;
        final byte[] padded; // wtf8 at [off, off + wtf8.length), garbage around
        final int off;
        private final Arena arena;
        private MemorySegment nativeSeg;

        Key(String s, Arena arena) {
            this(s, StringKeyCodec.wtf8(s), arena);
        }

        /** A key given by raw bytes (e.g. getBytes(UTF_8) of an ill-formed string); s is for messages. */
        Key(String s, byte[] bytes, Arena arena) {
            this.s = s;
            this.wtf8 = bytes;
            this.arena = arena;
            this.off = (s.length() * 7 + bytes.length) % 5;
            this.padded = new byte[off + bytes.length + 3];
            java.util.Arrays.fill(padded, (byte) 0x5A);
            System.arraycopy(bytes, 0, padded, off, bytes.length);
        }

        static Key utf8(String s, Arena arena) {
            return new Key(s, s.getBytes(UTF_8), arena);
        }

        int len() {
            return wtf8.length;
        }

        CharSequence stringBuilder() {
            return new StringBuilder(s);
        }

        /** A CharBuffer: a window into a larger array, over a String, or a direct buffer's char view. */
        CharSequence charBuffer() {
            switch (s.length() % 3) {
                case 0 -> {
                    char[] c = new char[s.length() + 4];
                    java.util.Arrays.fill(c, '\uD800');
                    s.getChars(0, s.length(), c, 2);
                    return CharBuffer.wrap(c, 2, s.length());
                }
                case 1 -> {
                    return CharBuffer.wrap(s);
                }
                default -> { // a direct buffer's char view, shared: a probe is used before the next is made
                    if (s.length() > DIRECT_CHARS.capacity()) return CharBuffer.wrap(s.toCharArray());
                    CharBuffer cb = DIRECT_CHARS.clear();
                    cb.put(s).flip();
                    return cb;
                }
            }
        }

        MemorySegment heapSegment() {
            return MemorySegment.ofArray(padded).asSlice(off, wtf8.length);
        }

        MemorySegment nativeSegment() {
            if (arena == null) return heapSegment();
            if (nativeSeg == null) {
                nativeSeg = arena.allocate(Math.max(1, wtf8.length) + 8).asSlice(3, wtf8.length);
                MemorySegment.copy(wtf8, 0, nativeSeg, ValueLayout.JAVA_BYTE, 0, wtf8.length);
            }
            return nativeSeg;
        }

        @Override
        public String toString() {
            return StringKeyCodec.describe(s);
        }
    }

    @FunctionalInterface
    interface BytesFn<R> {
        R apply(byte[] b, int off, int len);
    }

    static <R> R by(Key k, Flavour f, Function<String, R> str, Function<CharSequence, R> chars, BytesFn<R> bytes,
                    Function<MemorySegment, R> seg) {
        return switch (f) {
            case STRING -> str.apply(k.s);
            case STRING_BUILDER -> chars.apply(k.stringBuilder());
            case CHAR_BUFFER -> chars.apply(k.charBuffer());
            case BYTE_RANGE -> bytes.apply(k.padded, k.off, k.len());
            case HEAP_SEGMENT -> seg.apply(k.heapSegment());
            case NATIVE_SEGMENT -> seg.apply(k.nativeSegment());
        };
    }

    /** A cursor of any String type. */
    interface Cur {
        boolean next();

        String key();

        MemorySegment keyBytes();

        long keyLength();

        void appendKey(Appendable out);

        /** The value (sets: 1). */
        long value();

        void remove();
    }

    /** One String map or set under test. */
    interface Target extends AutoCloseable {
        Impl impl();

        OffHeapMap raw();

        default MapCore core() {
            return (MapCore) raw();
        }

        default long size() {
            return raw().size();
        }

        default MapStats stats() {
            return raw().stats();
        }

        @Override
        default void close() {
            raw().close();
        }

        /** put (sets: add); the previous value, or null. */
        Long put(String k, long v);

        /** Looks k up by flavour f; asserts that get, getOrDefault and containsKey agree; null if absent. */
        Long get(Key k, Flavour f);

        /** Removes by flavour f; the removed value (sets: 1), or null. */
        Long remove(Key k, Flavour f);

        Cur cursor();

        /** forEach; sets pass 1 as the value. */
        void forEach(BiConsumer<String, Long> c);

        /** asMap().keySet() or asSet(). */
        java.util.Set<String> keyView();
    }

    static final int INT_MISSING = Integer.MIN_VALUE;
    static final long LONG_MISSING = Long.MIN_VALUE;
    private static final long DEFAULT = 0x0DEF;

    static Target create(Impl impl, long hint, Integer seed) {
        return switch (impl.name()) {
            case "StringIntMap" -> {
                StringIntMap.Builder b = StringIntMap.builder().expectedSize(hint).missingValue(INT_MISSING);
                if (seed != null) b.seed(seed);
                yield new IntT(impl, b.build());
            }
            case "StringLongMap" -> {
                StringLongMap.Builder b = StringLongMap.builder().expectedSize(hint).missingValue(LONG_MISSING);
                if (seed != null) b.seed(seed);
                yield new LongT(impl, b.build());
            }
            case "StringDoubleMap" -> {
                StringDoubleMap.Builder b = StringDoubleMap.builder().expectedSize(hint).missingValue(Double.NaN);
                if (seed != null) b.seed(seed);
                yield new DoubleT(impl, b.build());
            }
            case "StringSet" -> {
                StringSet.Builder b = StringSet.builder().expectedSize(hint);
                if (seed != null) b.seed(seed);
                yield new SetT(impl, b.build());
            }
            default -> throw new IllegalArgumentException(impl.name());
        };
    }

    /** Presence is containsKey's answer; get and getOrDefault must agree with it (get: the missing value). */
    private static Long agree(Key k, Flavour f, long v, boolean isMissing, boolean contains, long orDefault) {
        if (contains ? orDefault != v : !isMissing || orDefault != DEFAULT) {
            throw new AssertionError("lookup flavours disagree for " + k + " by " + f + ": get=" + v
                    + " containsKey=" + contains + " getOrDefault=" + orDefault);
        }
        return contains ? v : null;
    }

    private record IntT(Impl impl, StringIntMap m) implements Target {
        public OffHeapMap raw() { return m; }
        public Long put(String k, long v) {
            int p = m.put(k, (int) v);
            return p == INT_MISSING ? null : (long) p;
        }
        public Long get(Key k, Flavour f) {
            int v = by(k, f, m::get, m::get, m::get, m::get);
            boolean c = by(k, f, m::containsKey, m::containsKey, m::containsKey, m::containsKey);
            int d = by(k, f, x -> m.getOrDefault(x, (int) DEFAULT), x -> m.getOrDefault(x, (int) DEFAULT),
                    (b, o, l) -> m.getOrDefault(b, o, l, (int) DEFAULT), x -> m.getOrDefault(x, (int) DEFAULT));
            return agree(k, f, v, v == INT_MISSING, c, d);
        }
        public Long remove(Key k, Flavour f) {
            int v = by(k, f, m::remove, m::remove, m::remove, m::remove);
            return v == INT_MISSING ? null : (long) v;
        }
        public Cur cursor() {
            StringIntCursor c = m.cursor();
            return new Cur() {
                public boolean next() { return c.next(); }
                public String key() { return c.key(); }
                public MemorySegment keyBytes() { return c.keyBytes(); }
                public long keyLength() { return c.keyLength(); }
                public void appendKey(Appendable out) { c.appendKey(out); }
                public long value() { return c.value(); }
                public void remove() { c.remove(); }
            };
        }
        public void forEach(BiConsumer<String, Long> c) { m.forEach((k, v) -> c.accept(k, (long) v)); }
        public java.util.Set<String> keyView() { return m.asMap().keySet(); }
    }

    private record LongT(Impl impl, StringLongMap m) implements Target {
        public OffHeapMap raw() { return m; }
        public Long put(String k, long v) {
            long p = m.put(k, v);
            return p == LONG_MISSING ? null : p;
        }
        public Long get(Key k, Flavour f) {
            long v = by(k, f, m::get, m::get, m::get, m::get);
            boolean c = by(k, f, m::containsKey, m::containsKey, m::containsKey, m::containsKey);
            long d = by(k, f, x -> m.getOrDefault(x, DEFAULT), x -> m.getOrDefault(x, DEFAULT),
                    (b, o, l) -> m.getOrDefault(b, o, l, DEFAULT), x -> m.getOrDefault(x, DEFAULT));
            return agree(k, f, v, v == LONG_MISSING, c, d);
        }
        public Long remove(Key k, Flavour f) {
            long v = by(k, f, m::remove, m::remove, m::remove, m::remove);
            return v == LONG_MISSING ? null : v;
        }
        public Cur cursor() {
            StringLongCursor c = m.cursor();
            return new Cur() {
                public boolean next() { return c.next(); }
                public String key() { return c.key(); }
                public MemorySegment keyBytes() { return c.keyBytes(); }
                public long keyLength() { return c.keyLength(); }
                public void appendKey(Appendable out) { c.appendKey(out); }
                public long value() { return c.value(); }
                public void remove() { c.remove(); }
            };
        }
        public void forEach(BiConsumer<String, Long> c) { m.forEach((k, v) -> c.accept(k, v)); }
        public java.util.Set<String> keyView() { return m.asMap().keySet(); }
    }

    private record DoubleT(Impl impl, StringDoubleMap m) implements Target {
        public OffHeapMap raw() { return m; }
        public Long put(String k, long v) {
            double p = m.put(k, v);
            return Double.isNaN(p) ? null : MapImpls.integral(p);
        }
        public Long get(Key k, Flavour f) {
            double v = by(k, f, m::get, m::get, m::get, m::get);
            boolean c = by(k, f, m::containsKey, m::containsKey, m::containsKey, m::containsKey);
            double d = by(k, f, x -> m.getOrDefault(x, DEFAULT), x -> m.getOrDefault(x, DEFAULT),
                    (b, o, l) -> m.getOrDefault(b, o, l, DEFAULT), x -> m.getOrDefault(x, DEFAULT));
            boolean missing = Double.isNaN(v);
            return agree(k, f, missing ? 0 : MapImpls.integral(v), missing, c, MapImpls.integral(d));
        }
        public Long remove(Key k, Flavour f) {
            double v = by(k, f, m::remove, m::remove, m::remove, m::remove);
            return Double.isNaN(v) ? null : MapImpls.integral(v);
        }
        public Cur cursor() {
            StringDoubleCursor c = m.cursor();
            return new Cur() {
                public boolean next() { return c.next(); }
                public String key() { return c.key(); }
                public MemorySegment keyBytes() { return c.keyBytes(); }
                public long keyLength() { return c.keyLength(); }
                public void appendKey(Appendable out) { c.appendKey(out); }
                public long value() { return MapImpls.integral(c.value()); }
                public void remove() { c.remove(); }
            };
        }
        public void forEach(BiConsumer<String, Long> c) { m.forEach((k, v) -> c.accept(k, MapImpls.integral(v))); }
        public java.util.Set<String> keyView() { return m.asMap().keySet(); }
    }

    private record SetT(Impl impl, StringSet m) implements Target {
        public OffHeapMap raw() { return m; }
        public Long put(String k, long v) { return m.add(k) ? null : 1L; }
        public Long get(Key k, Flavour f) {
            return by(k, f, m::contains, m::contains, m::contains, m::contains) ? 1L : null;
        }
        public Long remove(Key k, Flavour f) {
            return by(k, f, m::remove, m::remove, m::remove, m::remove) ? 1L : null;
        }
        public Cur cursor() {
            StringCursor c = m.cursor();
            return new Cur() {
                public boolean next() { return c.next(); }
                public String key() { return c.key(); }
                public MemorySegment keyBytes() { return c.keyBytes(); }
                public long keyLength() { return c.keyLength(); }
                public void appendKey(Appendable out) { c.appendKey(out); }
                public long value() { c.key(); return 1; }
                public void remove() { c.remove(); }
            };
        }
        public void forEach(BiConsumer<String, Long> c) { m.forEach(k -> c.accept(k, 1L)); }
        public java.util.Set<String> keyView() { return m.asSet(); }
    }
}
