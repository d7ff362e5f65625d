// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * What maps with byte-string keys (String and Bytes) add to {@link MapCore}, written once: the stored form
 * of a key, and the probe a lookup compares against.
 *
 * <h2>Keys in memory</h2>
 * A key slot is Go's 16-byte string header, {@code (data offset, length)}; the bytes (a String key's
 * {@link Wtf8} encoding, a Bytes key's own) live in the map's byte heap, as MapCore's byte blocks: freed
 * by remove (after the last open cursor), dropped whole by clear() and reused by later inserts.
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
 */
public abstract class StringMapCore extends MapCore {

    protected StringMapCore(BucketDescriptor layout, long hint, Integer seed, boolean prefault, FileSpec file) {
        this(layout, hint, seed, prefault, file, false);
    }

    protected StringMapCore(BucketDescriptor layout, long hint, Integer seed, boolean prefault, FileSpec file,
                            boolean stringHashCode) {
        super(layout, hint, seed, prefault, file, stringHashCode);
    }

    // ------------------------------------------------------------------ probes

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

    /** Rejects key bytes to insert that are not a string's encoding (see {@link Wtf8#invalidAt}). */
    protected static void checkWellFormed(MemorySegment p, byte[] pa, long po, long pl) {
        long bad = Wtf8.invalidAt(p, pa, po, pl);
        if (bad < 0) return;
        int b = Wtf8.at(p, pa, po + bad);
        throw new IllegalArgumentException(String.format("key bytes are not a string's encoding (UTF-8, or WTF-8 for"
                + " unpaired surrogates): byte %d of %d (0x%02X) does not fit", bad, pl, b));
    }

    /** The map-memory offset of a probe that points into this map, or -1. */
    protected final long identityOf(MemorySegment p, long po) {
        return p == mem ? po : -1;
    }

    // ------------------------------------------------------------------ key bytes

    /** Writes the key given by ByteKeys.hashWords' words into the key heap; returns their offset (0 if empty). */
    protected final long storeKeyWords(int n, long w0, long w1, long wa, long wb) {
        if (n == 0) return 0;
        long off = memory.allocate(n, MapMemory.BYTES);
        mem = memory.segment();
        ByteKeys.writeWords(mem, off, n, w0, w1, wa, wb);
        return off;
    }

    /** Writes s's {@code len} encoded bytes into the key heap; returns their offset (0 if empty). */
    protected final long storeString(String s, long len) {
        if (len == 0) return 0;
        long off = memory.allocate(len, MapMemory.BYTES);
        mem = memory.segment();
        Wtf8.encode(s, mem, off);
        return off;
    }

    // ------------------------------------------------------------------ hashes

    // Every form of a key hashes alike. By default that is the seeded hash of its bytes (ByteKeys). With
    // stringHashCode, it is the key's String.hashCode() mixed with the seeds: a ready String then gives its
    // cached hash, so a lookup's first bucket load does not wait for the String's chars, and bytes hash by
    // decoding them (Wtf8.hashCode).

    /** The map's hash of a probe's bytes (the same for a segment and an array holding the same bytes). */
    protected final long probeHash(MemorySegment p, byte[] pa, long po, long pl) {
        if (stringHashCode) {
            return Hashing.hash32(pa != null ? Wtf8.hashCode(pa, (int) po, (int) pl) : Wtf8.hashCode(p, po, pl), seed0, seed1);
        }
        return pa != null ? ByteKeys.hash(pa, (int) po, (int) pl, seed0, seed1) : ByteKeys.hash(p, po, pl, seed0, seed1);
    }

    /** The hash of a String key when keys hash by String.hashCode(): one load when the String cached it. */
    protected final long stringHash(String s) {
        return Hashing.hash32(s.hashCode(), seed0, seed1);
    }

    /** The map's hash of the len key bytes at off of m. */
    protected final long hashBytes(MemorySegment m, long off, long len) {
        return stringHashCode ? Hashing.hash32(Wtf8.hashCode(m, off, len), seed0, seed1) : ByteKeys.hash(m, off, len, seed0, seed1);
    }

    /** The hash of the key whose header is at ko. */
    protected final long hashAt(MemorySegment m, long ko) {
        return hashBytes(m, StringHeader.data(m, ko), StringHeader.length(m, ko));
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

    /** Whether the key whose header is at ko is s: its bytes decode to s's chars. */
    protected static boolean sameString(MemorySegment m, long ko, String s) {
        return Wtf8.equals(m, StringHeader.data(m, ko), StringHeader.length(m, ko), s);
    }

    /** Whether the key whose header is at ko is the ASCII key of n bytes given as ByteKeys.hashWords' words. */
    protected static boolean sameWords(MemorySegment m, long ko, int n, long w0, long w1, long wa, long wb) {
        return StringHeader.length(m, ko) == n && ByteKeys.equalWords(m, StringHeader.data(m, ko), n, w0, w1, wa, wb);
    }

    /** The probe's 4 bytes at off. */
    protected static int probeWord4(MemorySegment p, byte[] pa, long off) {
        return pa != null ? ByteKeys.word4(pa, (int) off) : ByteKeys.word4(p, off);
    }
}
