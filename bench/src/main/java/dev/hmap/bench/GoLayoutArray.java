// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

/**
 * A reference point, not a map to use: {@code long -> long} lookups over Go 1.19's bucket layout (tophash
 * word, 8 keys, 8 values, overflow link: 18 longs, 144 bytes) held in a plain heap {@code long[]}, with
 * hmap's hash function and load factor. Peer name {@code go-array}, long keys only; not in
 * {@link Peers#NAMES}, so the report's tables leave it out: pass {@code -p impl=go-array} explicitly.
 *
 * <p>It answers one question: how fast can a lookup over this layout be on this machine, with no
 * off-heap access, no bounds or liveness checks beyond the array's own, no concurrent-use guards and no
 * growth in progress? Whatever hmap's {@code get()} costs above it is hmap's overhead; whatever it costs
 * above an open-addressing map (fastutil) is the layout's: a hit reads the tophash word, then the key,
 * and only then knows which value slot to read, where fastutil reads key and value at one index known from
 * the hash alone.
 *
 * <p>Only what {@link GetHitBench} and {@link GetMissBench} need: put (with full rehashing growth, never
 * measured) and get. {@code remove} is unsupported.
 */
final class GoLayoutArray extends Peer {
    private static final int BUCKET_LONGS = 18, KEYS = 1, VALUES = 9, OVERFLOW = 17;
    private static final long LSB = 0x0101010101010101L, MSB = 0x8080808080808080L;
    private static final long P2 = 0x8ebc6af09c88c6e3L;
    private static final long SEED0 = 0x243F6A8885A308D3L, SEED1 = 0x13198A2E03707345L; // SEED1 odd

    private long[] t;
    private int b;            // 2^b main buckets; overflow buckets follow them
    private int used;         // buckets in use, main and overflow
    private long count;

    GoLayoutArray() {
        super("go-array");
        t = new long[BUCKET_LONGS];
        used = 1;
    }

    private static long fold(long a, long m) {
        return Math.multiplyHigh(a, m) ^ (a * m);
    }

    /** hmap's Hashing.hash64, with a fixed seed. */
    private static long hash(long key) {
        return fold(fold(key ^ SEED0, SEED1), P2);
    }

    private static int top(long hash) {
        int top = (int) (hash >>> 56);
        return top < 5 ? top + 5 : top;
    }

    @Override
    public long get(long key) {
        long[] t = this.t;
        long hash = hash(key);
        int i = (int) (hash & ((1L << b) - 1)) * BUCKET_LONGS;
        long pattern = (top(hash) & 0xFFL) * LSB;
        for (;;) {
            long word = t[i];
            boolean last = ((word - LSB) & ~word & MSB) != 0;
            long x = word ^ pattern;
            for (long match = (x - LSB) & ~x & MSB; match != 0; match &= match - 1) {
                int s = Long.numberOfTrailingZeros(match) >>> 3;
                if (t[i + KEYS + s] == key) return t[i + VALUES + s];
            }
            int next = (int) t[i + OVERFLOW];
            if (last || next == 0) return 0;
            i = next;
        }
    }

    @Override
    public void put(long key, long value) {
        if (count >= 8 && count + 1 > 13 * ((1L << b) / 2)) grow();
        insert(key, value);
    }

    private void insert(long key, long value) {
        long hash = hash(key);
        int i = (int) (hash & ((1L << b) - 1)) * BUCKET_LONGS;
        int top = top(hash);
        for (;;) {
            long word = t[i];
            for (int s = 0; s < 8; s++) {
                int th = (int) (word >>> (8 * s)) & 0xFF;
                if (th == top && t[i + KEYS + s] == key) {
                    t[i + VALUES + s] = value;
                    return;
                }
                if (th == 0) {
                    t[i] = word | ((long) top << (8 * s));
                    t[i + KEYS + s] = key;
                    t[i + VALUES + s] = value;
                    count++;
                    return;
                }
            }
            int next = (int) t[i + OVERFLOW];
            if (next == 0) {
                if ((used + 1) * BUCKET_LONGS > t.length) t = java.util.Arrays.copyOf(t, t.length * 2);
                next = used++ * BUCKET_LONGS;
                t[i + OVERFLOW] = next;
            }
            i = next;
        }
    }

    private void grow() {
        long[] old = t;
        int oldUsed = used;
        b++;
        used = 1 << b;
        t = new long[used * BUCKET_LONGS + (used / 8 + 1) * BUCKET_LONGS];
        count = 0;
        for (int bi = 0; bi < oldUsed; bi++) {
            int i = bi * BUCKET_LONGS;
            for (int s = 0; s < 8; s++) {
                if (((old[i] >>> (8 * s)) & 0xFF) != 0) insert(old[i + KEYS + s], old[i + VALUES + s]);
            }
        }
    }

    @Override
    public long remove(long key) {
        throw new UnsupportedOperationException("go-array is a lookup reference: no remove");
    }

    @Override
    public long size() {
        return count;
    }

    @Override
    public long iterate() {
        long s = 0;
        for (int bi = 0; bi < used; bi++) {
            int i = bi * BUCKET_LONGS;
            for (int k = 0; k < 8; k++) {
                if (((t[i] >>> (8 * k)) & 0xFF) != 0) s += t[i + KEYS + k] + t[i + VALUES + k];
            }
        }
        return s;
    }
}
