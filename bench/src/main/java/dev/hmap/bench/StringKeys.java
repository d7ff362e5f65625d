// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Deterministic String keys for the String-keyed benchmarks ({@link StringGetBench}, {@link StringMemory}).
 *
 * <p>Every key is a function of its <i>id</i> {@code j} (0 &lt;= j &lt; {@value #MAX_KEYS}) and a fixed seed, so
 * every peer sees the same keys, run after run, and any number of keys can be made without a de-duplicating
 * set:
 * <ul>
 *   <li>characters are printable ASCII, {@code '!'..'~'} (94 symbols), so a key's UTF-8 bytes are its
 *       chars, one byte each;</li>
 *   <li>the first 4 characters are the base-94 digits of {@code j * 0x9E3779B1 mod 94^4}, a bijection
 *       (the multiplier is odd and not a multiple of 47), so distinct ids give distinct keys by
 *       construction, and consecutive ids do not give similar keys;</li>
 *   <li>the other characters, and the length ({@value #MIN_LEN}..{@value #MAX_LEN} when not fixed), come
 *       from a SplitMix64 stream seeded by {@code SEED} and {@code j}.</li>
 * </ul>
 * So "present" keys can be ids {@code [0, n)} and keys known to be absent ids {@code [n, 2n)}.
 */
public final class StringKeys {
    private StringKeys() {}

    /** Seed of the key characters and lengths. */
    public static final long SEED = 0x5EED_0101L;
    /** Seed of the lookup order (a shuffle of the present ids). */
    public static final long SHUFFLE_SEED = 0x5EED_0102L;
    /** Shortest and longest key of the variable-length key set. */
    public static final int MIN_LEN = 8, MAX_LEN = 24;
    /** Ids are unique below 94^4. */
    public static final int MAX_KEYS = 94 * 94 * 94 * 94;

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private static long mix(long z) { // SplitMix64's finalizer (a bijection)
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static void checkId(long j) {
        if (j < 0 || j >= MAX_KEYS) throw new IllegalArgumentException("key id out of range: " + j);
    }

    /** The length of key {@code j} in the variable-length set: uniform in {@value #MIN_LEN}..{@value #MAX_LEN}. */
    public static int length(long j) {
        long r = mix(SEED + j * GOLDEN);
        return MIN_LEN + (int) ((r >>> 1) % (MAX_LEN - MIN_LEN + 1));
    }

    /** The length of key {@code j}: {@code fixedLen}, or {@link #length(long)} when {@code fixedLen == 0}. */
    public static int length(long j, int fixedLen) {
        return fixedLen != 0 ? fixedLen : length(j);
    }

    /** Writes the {@code len} ASCII bytes of key {@code j} ({@code len >= 4}) at {@code dst[off]}. */
    public static void write(long j, int len, byte[] dst, int off) {
        checkId(j);
        if (len < 4) throw new IllegalArgumentException("keys have at least 4 chars: " + len);
        long p = (j * 0x9E3779B1L) % MAX_KEYS;
        for (int k = 0; k < 4; k++, p /= 94) dst[off + k] = (byte) ('!' + (p % 94));
        long s = mix(SEED ^ mix(j + 1));
        for (int k = 4; k < len; k++) {
            s += GOLDEN;
            dst[off + k] = (byte) ('!' + ((mix(s) >>> 1) % 94));
        }
    }

    /** Key {@code j} as a new String (its own fresh byte array), {@code len} chars. */
    public static String string(long j, int len) {
        byte[] b = new byte[len];
        write(j, len, b, 0);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** Key {@code j} of the variable-length set as a new String. */
    public static String string(long j) {
        return string(j, length(j));
    }

    /**
     * Keys {@code ids[0..]} concatenated in that order, as bytes: key {@code i} is
     * {@code bytes[start[i], start[i + 1])}. {@code fixedLen == 0}: variable lengths.
     */
    public record Packed(byte[] bytes, int[] start) {
        public int size() {
            return start.length - 1;
        }

        public int length(int i) {
            return start[i + 1] - start[i];
        }

        /** The same text as chars (ASCII: one char per byte). */
        public char[] chars() {
            char[] c = new char[bytes.length];
            for (int i = 0; i < c.length; i++) c[i] = (char) (bytes[i] & 0xFF);
            return c;
        }
    }

    public static Packed pack(int[] ids, int fixedLen) {
        int[] start = new int[ids.length + 1];
        long total = 0;
        for (int i = 0; i < ids.length; i++) {
            start[i] = (int) total;
            total += length(ids[i], fixedLen);
            if (total > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("too many key bytes: " + total);
        }
        start[ids.length] = (int) total;
        byte[] bytes = new byte[(int) total];
        for (int i = 0; i < ids.length; i++) write(ids[i], start[i + 1] - start[i], bytes, start[i]);
        return new Packed(bytes, start);
    }

    /** The ids {@code from, from + 1, ..., from + n - 1}. */
    public static int[] range(int from, int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = from + i;
        return a;
    }

    /** A copy of {@code ids} in a random (but fixed) order: Fisher-Yates with {@code seed}. */
    public static int[] shuffled(int[] ids, long seed) {
        int[] a = ids.clone();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = a.length - 1; i > 0; i--) {
            int k = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[k];
            a[k] = t;
        }
        return a;
    }
}
