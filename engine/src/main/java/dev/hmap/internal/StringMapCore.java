// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * What String-keyed maps add to {@link MapCore}, written once: the stored form of a key, the probe a
 * lookup compares against, and the memory of key bytes.
 *
 * <h2>Keys in memory</h2>
 * A key slot is Go's 16-byte string header, {@code (data offset, length)}; the bytes (the key's
 * {@link Wtf8} encoding) live in the map's own memory, in the {@link MapMemory#KEYS} heap: size classes in
 * 8-byte steps up to 64 bytes, pages beyond 2 KiB. They are freed by remove, dropped whole by clear() and
 * reused by later inserts, so a churn at steady size does not grow the map. The empty string has data
 * offset 0 and no bytes.
 *
 * <h2>Probes</h2>
 * Every lookup flavour is reduced to a probe: {@code length} bytes at {@code offset} of either a segment or
 * a byte array (the other one null). A {@code MemorySegment} key and a {@code byte[]} range are their own
 * probes, not copied; a {@code CharSequence} is encoded, and a {@code BytesStore} range copied, into a
 * per-thread scratch array, so lookups allocate nothing and concurrent readers (which Go allows) never
 * share one. Array probes are read with plain array loads: a heap segment over the array would cost a
 * bounds and a liveness check per load, and mixing heap and native segments in one call site makes the
 * JIT check the segment's class on every access (JMH, 1K keys by byte[]: 121 ns per hit with a heap-segment
 * scratch copy, about half without). A probe that points into the map's own memory (a cursor re-finding a
 * key) is recognised by address, Go's pointer-identity shortcut.
 *
 * <p>Freed key bytes could be reused while a cursor still reads an old bucket's copy of a removed key's
 * header; so while any cursor is open, frees wait in a limbo list and are done once the last one ends.
 */
public abstract class StringMapCore extends MapCore {

    protected StringMapCore(BucketDescriptor layout, long hint, Integer seed, boolean prefault) {
        super(layout, hint, seed, prefault);
    }

    // ------------------------------------------------------------------ probes

    /** A thread's scratch buffer for probe bytes. */
    protected static final class Scratch {
        private byte[] buf = new byte[256];
        public MemorySegment seg = MemorySegment.ofArray(buf);

        /** Encodes {@code s} (WTF-8) at offset 0; returns its length in bytes. */
        public long encode(CharSequence s) {
            int n = s.length();
            if (n <= buf.length) {
                // ASCII, the common case for symbols and ids: one pass, straight into the array.
                byte[] b = buf;
                int i = 0;
                for (char c; i < n && (c = s.charAt(i)) < 0x80; i++) b[i] = (byte) c;
                if (i == n) return n;
            }
            long len = Wtf8.encodedLength(s);
            ensure(len);
            Wtf8.encode(s, seg, 0);
            return len;
        }

        /** The scratch array (read it after encode: encoding a long key replaces it). */
        public byte[] array() {
            return buf;
        }

        /** The scratch array, at least n bytes long; its segment is {@link #seg}. */
        byte[] buffer(long n) {
            ensure(n);
            return buf;
        }

        private void ensure(long n) {
            if (n <= buf.length) return;
            if (n > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("a key of " + n + " bytes is too long");
            buf = new byte[(int) Math.min(Integer.MAX_VALUE - 16, Math.max(n, 2L * buf.length))];
            seg = MemorySegment.ofArray(buf);
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    protected static Scratch scratch() {
        return SCRATCH.get();
    }

    // An ASCII String of at most 32 chars is looked up by the words ByteKeys.hashWords reads, packed straight
    // from its chars: no scratch buffer (a ThreadLocal lookup, stores, and loads that wait on them), and
    // the words that hash the key also compare it. A word of ASCII bytes has its top bit clear, so -1
    // marks a non-ASCII char: such keys take the scratch encoding.

    /**
     * Chars [from, from + count) of s (count 4 or 8) as the little-endian word of their bytes, or -1 if one
     * is not ASCII. Callers pass a constant count, so the JIT unrolls the loop.
     */
    protected static long ascii(CharSequence s, int from, int count) {
        long w = 0;
        int any = 0;
        for (int i = 0; i < count; i++) {
            char c = s.charAt(from + i);
            any |= c;
            w |= (long) c << (i << 3);
        }
        return any < 0x80 ? w : -1;
    }

    /** A key of 1 to 3 chars as ByteKeys.hash reads it (first, middle and last byte), or -1 if not ASCII. */
    protected static long ascii3(CharSequence s, int n) {
        char c0 = s.charAt(0), c1 = s.charAt(n >>> 1), c2 = s.charAt(n - 1);
        return (c0 | c1 | c2) < 0x80 ? (long) c0 << 16 | (long) c1 << 8 | c2 : -1;
    }

    protected static <T> T requireKey(T key) {
        return Objects.requireNonNull(key, "key");
    }

    /**
     * A key segment must be alive even when no comparison would read it (an empty map, no key of its
     * length): a closed arena is reported the same way every time.
     */
    protected static MemorySegment requireAlive(MemorySegment key) {
        Objects.requireNonNull(key, "key");
        if (!key.scope().isAlive()) throw new IllegalStateException("Already closed: the key's segment belongs to a closed arena");
        return key;
    }

    /** A segment to copy into: alive and writable, checked even when nothing would be copied. */
    protected static MemorySegment requireWritable(MemorySegment dst) {
        Objects.requireNonNull(dst, "dst");
        if (!dst.scope().isAlive()) throw new IllegalStateException("Already closed: dst belongs to a closed arena");
        if (dst.isReadOnly()) throw new UnsupportedOperationException("dst is read-only");
        return dst;
    }

    /** Checks a byte[] key range and returns the array; an exception names the bad argument. */
    protected static byte[] checkRange(byte[] bytes, int offset, int length) {
        Objects.requireNonNull(bytes, "bytes");
        if (offset < 0 || length < 0 || offset > bytes.length - length) {
            throw new IndexOutOfBoundsException("offset " + offset + ", length " + length + " outside bytes["
                    + bytes.length + "]");
        }
        return bytes;
    }

    /** Rejects key bytes to insert that are not a string's encoding (see {@link Wtf8#invalidAt}). */
    protected static void checkWellFormed(MemorySegment p, byte[] pa, long po, long pl) {
        long bad = Wtf8.invalidAt(p, pa, po, pl);
        if (bad < 0) return;
        int b = Wtf8.at(p, pa, po + bad);
        throw new IllegalArgumentException(String.format("key bytes are not a string's encoding (UTF-8, or WTF-8 for"
                + " unpaired surrogates): byte %d of %d (0x%02X) does not fit", bad, pl, b));
    }

    /** Whether a key segment lies in this map's memory (a cursor's key view). */
    protected final boolean inMapMemory(MemorySegment key) {
        MemorySegment m = mem;
        if (!key.isNative() || m == MapMemory.CLOSED) return false;
        long a = key.address() - m.address();
        return a >= 0 && a < m.byteSize();
    }

    /** A copy of a segment's bytes in this thread's scratch array. */
    protected static byte[] scratchCopy(MemorySegment key) {
        byte[] buf = scratch().buffer(key.byteSize());
        MemorySegment.copy(key, Layouts.BYTE, 0, buf, 0, (int) key.byteSize());
        return buf;
    }

    /** The map-memory offset of a probe that points into this map, or -1. */
    protected final long identityOf(MemorySegment p, long po) {
        return p == mem ? po : -1;
    }

    // ------------------------------------------------------------------ key bytes

    /** Key bytes whose frees wait for open cursors to end; null until the first. */
    private MapMemory.LongList limbo;

    /** Copies a probe's bytes into the key heap; returns their offset (0 for the empty string). */
    protected final long storeKeyBytes(MemorySegment p, byte[] pa, long po, long len) {
        if (len == 0) return 0;
        long off = memory.allocate(len, MapMemory.KEYS);
        mem = memory.segment();
        if (pa != null) {
            MemorySegment.copy(pa, (int) po, mem, Layouts.BYTE, off, (int) len);
        } else {
            MemorySegment.copy(p, po, mem, off, len);
        }
        return off;
    }

    /** Writes the key given by ByteKeys.hashWords' words into the key heap; returns their offset (0 if empty). */
    protected final long storeKeyWords(int n, long w0, long w1, long wa, long wb) {
        if (n == 0) return 0;
        long off = memory.allocate(n, MapMemory.KEYS);
        mem = memory.segment();
        ByteKeys.writeWords(mem, off, n, w0, w1, wa, wb);
        return off;
    }

    /** The map's hash of a probe's bytes (the same for a segment and an array holding the same bytes). */
    protected final long probeHash(MemorySegment p, byte[] pa, long po, long pl) {
        return pa != null ? ByteKeys.hash(pa, (int) po, (int) pl, seed0, seed1) : ByteKeys.hash(p, po, pl, seed0, seed1);
    }

    /** Whether the pl key bytes at data in m equal the probe's. */
    protected static boolean probeEquals(MemorySegment m, long data, MemorySegment p, byte[] pa, long po, long pl) {
        return pa != null ? ByteKeys.equal(m, data, pa, (int) po, (int) pl) : ByteKeys.equal(m, data, p, po, pl);
    }

    /**
     * Whether the key whose header is at ko has the probe's bytes, its length already compared: by identity
     * (id, a probe in this map's memory, or -1), else byte by byte.
     */
    protected static boolean sameBytes(MemorySegment m, long ko, MemorySegment p, byte[] pa, long po, long pl, long id) {
        long data = StringHeader.data(m, ko);
        return data == id || probeEquals(m, data, p, pa, po, pl);
    }

    /** Whether the key whose header is at ko is the ASCII key of n bytes given as ByteKeys.hashWords' words. */
    protected static boolean sameWords(MemorySegment m, long ko, int n, long w0, long w1, long wa, long wb) {
        return StringHeader.length(m, ko) == n && ByteKeys.equalWords(m, StringHeader.data(m, ko), n, w0, w1, wa, wb);
    }

    /** The hash of the key whose header is at ko. */
    protected final long hashAt(MemorySegment m, long ko) {
        return ByteKeys.hash(m, StringHeader.data(m, ko), StringHeader.length(m, ko), seed0, seed1);
    }

    /** A deleted key: its bytes are freed (see {@link #freeKeyBytes}) and its header cleared, as Go does. */
    protected final void releaseKey(MemorySegment m, long ko) {
        freeKeyBytes(StringHeader.data(m, ko), StringHeader.length(m, ko));
        StringHeader.clear(m, ko);
    }

    /** The probe's 4 bytes at off. */
    protected static int probeWord4(MemorySegment p, byte[] pa, long off) {
        return pa != null ? ByteKeys.word4(pa, (int) off) : ByteKeys.word4(p, off);
    }

    /** Frees a removed key's bytes, or parks them while cursors are open. */
    protected final void freeKeyBytes(long off, long len) {
        if (len == 0) return;
        if (activeCursors > 0) {
            if (limbo == null) limbo = new MapMemory.LongList();
            limbo.add(off, len);
            return;
        }
        if (limbo != null && limbo.size() != 0) flushLimbo();
        memory.free(off, len, MapMemory.KEYS);
    }

    private void flushLimbo() {
        for (int i = 0; i < limbo.size(); i += 2) memory.free(limbo.get(i), limbo.get(i + 1), MapMemory.KEYS);
        limbo.clear();
    }

    @Override
    protected final void clearKeys() {
        if (limbo != null) limbo.clear();
        memory.dropHeap(MapMemory.KEYS);
    }
}
