// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The byte-string hash reads short keys as two overlapping words and long ones 16 bytes at a time: these
 * checks pin that every byte and the length still count, that where the bytes live does not change the
 * hash (segment or array probe), and that equal() agrees with Arrays.equals at every length around the
 * word boundaries.
 */
class ByteKeysTest {
    private static final long S0 = Hashing.seed0(12345), S1 = Hashing.seed1(12345);

    private static MemorySegment heap(byte[] b) {
        return MemorySegment.ofArray(b);
    }

    @Test
    void everyByteAndTheLengthCount() {
        SplittableRandom r = new SplittableRandom(1);
        for (int len = 0; len <= 80; len++) {
            byte[] key = new byte[len];
            r.nextBytes(key);
            long h = ByteKeys.hash(heap(key), 0, len, S0, S1);
            for (int i = 0; i < len; i++) {
                for (int bit = 0; bit < 8; bit++) {
                    byte[] k2 = key.clone();
                    k2[i] ^= (byte) (1 << bit);
                    assertNotEquals(h, ByteKeys.hash(heap(k2), 0, len, S0, S1), "len " + len + " byte " + i + " bit " + bit);
                }
            }
            // The same bytes followed by zeros: only the length differs.
            byte[] longer = Arrays.copyOf(key, len + 1);
            assertNotEquals(h, ByteKeys.hash(heap(longer), 0, len + 1, S0, S1), "len " + len + " vs a trailing 0");
        }
    }

    /** The words hashWords/equalWords take for a key of len <= 32 bytes, read as the hash reads them. */
    private static long[] words(byte[] k, int len) {
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(k).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long w0 = 0, w1 = 0, a, b;
        if (len >= 8) {
            if (len > 16) {
                w0 = bb.getLong(0);
                w1 = bb.getLong(8);
                a = bb.getLong(len - 16);
            } else {
                a = bb.getLong(0);
            }
            b = bb.getLong(len - 8);
        } else if (len >= 4) {
            a = bb.getInt(0) & 0xFFFFFFFFL;
            b = bb.getInt(len - 4) & 0xFFFFFFFFL;
        } else {
            a = len == 0 ? 0 : (k[0] & 0xFFL) << 16 | (k[len >>> 1] & 0xFFL) << 8 | k[len - 1] & 0xFFL;
            b = 0;
        }
        return new long[] {w0, w1, a, b};
    }

    @Test
    void theWordsOfAShortKeyHashAndCompareAsItsBytes() {
        SplittableRandom r = new SplittableRandom(4);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment nat = arena.allocate(64);
            for (int len = 0; len <= 32; len++) {
                for (int rep = 0; rep < 20; rep++) {
                    byte[] key = new byte[len];
                    r.nextBytes(key);
                    long[] w = words(key, len);
                    assertEquals(ByteKeys.hash(key, 0, len, S0, S1), ByteKeys.hashWords(len, w[0], w[1], w[2], w[3], S0, S1),
                            "len " + len);
                    nat.fill((byte) 0x5A);
                    MemorySegment.copy(key, 0, nat, java.lang.foreign.ValueLayout.JAVA_BYTE, 5, len);
                    assertTrue(ByteKeys.equalWords(nat, 5, len, w[0], w[1], w[2], w[3]), "len " + len);
                    // writeWords is their inverse: it writes exactly the key's bytes, and nothing around them.
                    MemorySegment out = arena.allocate(len + 16).fill((byte) 0x33);
                    ByteKeys.writeWords(out, 8, len, w[0], w[1], w[2], w[3]);
                    assertArrayEquals(key, out.asSlice(8, len).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), "len " + len);
                    for (long o : new long[] {0, 7, 8 + len, 15 + len}) assertEquals(0x33, out.get(java.lang.foreign.ValueLayout.JAVA_BYTE, o));
                    for (int i = 0; i < len; i++) { // every byte counts in the comparison
                        byte[] k2 = key.clone();
                        k2[i] ^= (byte) (1 << r.nextInt(8));
                        long[] w2 = words(k2, len);
                        assertFalse(ByteKeys.equalWords(nat, 5, len, w2[0], w2[1], w2[2], w2[3]), "len " + len + " byte " + i);
                    }
                }
            }
        }
    }

    @Test
    void whereTheBytesLiveDoesNotMatter() {
        SplittableRandom r = new SplittableRandom(2);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment nat = a.allocate(200);
            for (int len = 0; len <= 90; len++) {
                byte[] key = new byte[len + 7];
                r.nextBytes(key);
                int off = r.nextInt(8);
                MemorySegment.copy(key, off, nat, java.lang.foreign.ValueLayout.JAVA_BYTE, 3, len);
                long onHeap = ByteKeys.hash(heap(key), off, len, S0, S1);
                assertEquals(onHeap, ByteKeys.hash(nat, 3, len, S0, S1), "len " + len);
                assertEquals(onHeap, ByteKeys.hash(key, off, len, S0, S1), "array probe, len " + len);
                assertTrue(ByteKeys.equal(nat, 3, heap(key), off, len), "len " + len);
                assertTrue(ByteKeys.equal(nat, 3, key, off, len), "array probe, len " + len);
                if (len >= 4) assertEquals(ByteKeys.word4(nat, 3 + len - 4), ByteKeys.word4(key, off + len - 4));
            }
        }
    }

    @Test
    void equalAgreesWithArraysEquals() {
        SplittableRandom r = new SplittableRandom(3);
        for (int len = 0; len <= 70; len++) {
            byte[] a = new byte[len];
            r.nextBytes(a);
            assertTrue(ByteKeys.equal(heap(a), 0, heap(a.clone()), 0, len), "len " + len);
            assertTrue(ByteKeys.equal(heap(a), 0, a.clone(), 0, len), "array probe, len " + len);
            for (int i = 0; i < len; i++) {
                byte[] b = a.clone();
                b[i] ^= (byte) (1 << r.nextInt(8));
                assertFalse(ByteKeys.equal(heap(a), 0, heap(b), 0, len), "len " + len + " differing at " + i);
                assertFalse(ByteKeys.equal(heap(a), 0, b, 0, len), "array probe, len " + len + " differing at " + i);
            }
        }
    }

    @Test
    void seedsDecideCollisionsAndBitsAvalanche() {
        SplittableRandom r = new SplittableRandom(4);
        Set<Long> perSeed = new HashSet<>();
        byte[] key = "BTC-USD-PERP".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int seed = 0; seed < 1000; seed++) {
            perSeed.add(ByteKeys.hash(heap(key), 0, key.length, Hashing.seed0(seed), Hashing.seed1(seed)));
        }
        assertEquals(1000, perSeed.size(), "one key under 1000 seeds");
        for (int len : new int[] {1, 3, 4, 7, 8, 12, 16, 17, 24, 31, 40}) {
            long flips = 0, trials = 0;
            for (int t = 0; t < 200; t++) {
                byte[] k = new byte[len];
                r.nextBytes(k);
                long h = ByteKeys.hash(heap(k), 0, len, S0, S1);
                int bit = r.nextInt(len * 8);
                k[bit >>> 3] ^= (byte) (1 << (bit & 7));
                flips += Long.bitCount(h ^ ByteKeys.hash(heap(k), 0, len, S0, S1));
                trials++;
            }
            double mean = (double) flips / trials;
            assertTrue(mean > 28 && mean < 36, "len " + len + ": one flipped input bit flips " + mean + " of 64 on average");
        }
    }
}
