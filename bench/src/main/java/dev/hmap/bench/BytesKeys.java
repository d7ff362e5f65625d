// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * Deterministic keys and values of the bytes-to-bytes tools ({@link BytesBench}, {@link BytesMemory}):
 * 16-byte keys and random value bytes, all from {@link SplittableRandom} with fixed seeds, made before any
 * measurement. A key's first 8 bytes are one of {@link Keys#distinct} (little-endian), so the keys are
 * distinct by construction; the other 8 are random, so no byte of a key is predictable from another.
 */
public final class BytesKeys {
    private BytesKeys() {}

    /** Bytes per key. */
    public static final int KEY_LEN = 16;
    /** Bytes per value in the fixed-size tools ({@link BytesBench}, {@link BytesMemory}'s fill). */
    public static final int VALUE_LEN = 100;
    /** Seed of the keys' second halves. */
    public static final long TAIL_SEED = 0x5EED_0201L;
    /** Seed of the value bytes. */
    public static final long VALUE_SEED = 0x5EED_0202L;

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** {@code n} distinct keys of {@value #KEY_LEN} bytes, packed: key {@code i} is {@code [16 i, 16 i + 16)}. */
    public static byte[] packed(int n) {
        if ((long) n * KEY_LEN > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("too many keys: " + n);
        long[] heads = Keys.distinct(Keys.SEED, n);
        SplittableRandom rnd = new SplittableRandom(TAIL_SEED);
        byte[] b = new byte[n * KEY_LEN];
        for (int i = 0; i < n; i++) {
            LONG_LE.set(b, i * KEY_LEN, heads[i]);
            LONG_LE.set(b, i * KEY_LEN + 8, rnd.nextLong());
        }
        return b;
    }

    /** The keys of {@link #packed(int)} as one array each. */
    public static byte[][] arrays(int n) {
        return split(packed(n), KEY_LEN);
    }

    /** {@code packed} cut into arrays of {@code len} bytes. */
    public static byte[][] split(byte[] packed, int len) {
        byte[][] a = new byte[packed.length / len][];
        for (int i = 0; i < a.length; i++) a[i] = java.util.Arrays.copyOfRange(packed, i * len, i * len + len);
        return a;
    }

    /** {@code n} random bytes from {@code seed}. */
    public static byte[] random(long seed, int n) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    /** {@code n} arrays of {@code len} random bytes each from {@code seed}, allocated one after another. */
    public static byte[][] values(long seed, int n, int len) {
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[][] a = new byte[n][];
        for (int i = 0; i < n; i++) {
            a[i] = new byte[len];
            rnd.nextBytes(a[i]);
        }
        return a;
    }
}
