// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.Arrays;

/**
 * <b>Bytes-to-bytes maps</b> (Go's {@code map[string]string}): hmap's {@link dev.hmap.BytesBytesMap} against
 * {@code HashMap<ByteBuffer, byte[]>} and Chronicle Map {@code ChronicleMap<Bytes, Bytes>}
 * ({@link BytesPeers}: how each is built and called, and why), with {@code size} entries of
 * {@value BytesKeys#KEY_LEN}-byte keys and {@value BytesKeys#VALUE_LEN}-byte values, all random bytes from
 * fixed seeds ({@link BytesKeys}). hmap and HashMap are filled without a size hint, Chronicle Map is sized
 * for {@code size} entries (it cannot grow past them). With {@code state=updated} every value is written once more before
 * the measurement (see {@link #state}).
 *
 * <ul>
 *   <li>{@code getHit}: one lookup of a present key, copying its value into one reused
 *       {@code byte[100]}: hmap {@code get(key, buf, 0)}; Chronicle {@code getUsing(key, using)} with a reused
 *       key {@code Bytes} refilled from the {@code byte[]} key and a reused value {@code Bytes} then read
 *       into the buffer; HashMap {@code get(ByteBuffer.wrap(key))} and {@code System.arraycopy} of the array
 *       it returns.</li>
 *   <li>{@code put}: one overwrite of a present key's value with another 100-byte value. hmap and Chronicle
 *       Map copy the 100 bytes into their memory (hmap frees the old value's bytes; Chronicle first copies
 *       the key and value into its reused {@code Bytes}); HashMap stores a reference to the caller's array,
 *       as its users do, so it copies nothing: the comparison is the maps as used, not the same work.</li>
 *   <li>{@code churn}: remove a present key, then insert a new one with a 100-byte value, so the size stays
 *       {@code size}: {@link ChurnBench}'s ring of {@code 2 * size} keys, step t removing {@code ring[t]}
 *       and inserting {@code ring[t + size]}.</li>
 * </ul>
 * The score is ns per operation (per remove + insert for churn), over batches of {@value MapBench#BATCH}.
 * hmap must allocate nothing in any of them (the project's GC-free premise; {@code -prof gc} shows it as
 * 0 B/op in {@code gc.alloc.rate.norm}); Chronicle Map, in the form {@link BytesPeers} uses, allocates
 * nothing; HashMap allocates a {@code ByteBuffer} per call, and a node per insert in {@code churn}.
 *
 * <p>Pitfalls avoided:
 * <ul>
 *   <li><i>Dead code:</i> every result (value length, one byte of the copied value, whether a key was
 *       present) is added to a sum that the method returns.</li>
 *   <li><i>Identity and cache sharing:</i> the lookup keys of {@code getHit} and {@code put} are copies of
 *       the stored keys, allocated in lookup order (so the loop reads them sequentially and the prefetcher
 *       hides them), never the arrays HashMap holds; every entry has a value array of its own, so HashMap's
 *       copies read memory as scattered as the off-heap maps' do.</li>
 *   <li><i>Cache effects:</i> lookup order is a random permutation of the present keys; at 1M entries
 *       every map is far beyond the last-level cache.</li>
 *   <li><i>Wrong answers:</i> {@code @Setup} checks that the map holds {@code size} entries and that the
 *       first lookups return the right bytes; the size is checked again after the trial (churn must not
 *       change it).</li>
 *   <li><i>Megamorphic dispatch:</i> a fork builds one {@link BytesPeer}, so each call site is monomorphic.</li>
 * </ul>
 *
 * <p>Run alone (from the repository root, after {@code ./mvnw -q -pl bench -am package -DskipTests}):
 * <pre>
 * java -jar bench/target/benchmarks.jar 'BytesBench' -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc
 * java -jar bench/target/benchmarks.jar 'BytesBench.getHit' -p impl=hmap,chronicle -p size=1000000 -f 1 -wi 2 -i 3 -w 2s -r 2s
 * </pre>
 */
@State(Scope.Thread)
public class BytesBench extends BenchDefaults {
    static final int BATCH = MapBench.BATCH;
    static final int KEY_LEN = BytesKeys.KEY_LEN, VALUE_LEN = BytesKeys.VALUE_LEN;
    /** Distinct 100-byte values that {@code put} and {@code churn} write, in turn (a power of two). */
    static final int NEW_VALUES = 4096;
    /** Lookups checked in {@code @Setup}. */
    static final int CHECKED = 1000;

    @Param({"hmap", "chronicle", "hashmap"})
    public String impl;

    @Param({"1000000"})
    public int size;

    /**
     * {@code fresh}: as filled. {@code updated}: then every value written again, in a random key order, as
     * a store's records are updated: a map that places a replaced value wherever its allocator has room
     * leaves it away from its key.
     */
    @Param({"fresh", "updated"})
    public String state;

    private BytesPeer map;
    /** 2 * size distinct keys; the map holds ring[head, head + size) (mod 2 * size). */
    private byte[][] ring;
    private int head;
    /** Copies of the present keys in lookup order (getHit, put) and where the next batch starts. */
    private byte[][] probes;
    private int pos;
    /** What put and churn write, and which comes next. */
    private byte[][] newValues;
    private int nextValue;
    /** The value buffer every lookup copies into. */
    private final byte[] buf = new byte[VALUE_LEN];

    @Setup(Level.Trial)
    public void setup() {
        ring = BytesKeys.arrays(2 * size);
        byte[][] values = BytesKeys.values(BytesKeys.VALUE_SEED, size, VALUE_LEN);
        map = BytesPeers.create(impl, size, KEY_LEN, VALUE_LEN, true);
        for (int i = 0; i < size; i++) map.put(ring[i], values[i]);
        if (map.size() != size) throw new IllegalStateException(impl + ": size " + map.size() + " != " + size);
        if (state.equals("updated")) {
            for (int i : StringKeys.shuffled(StringKeys.range(0, size), Keys.SHUFFLE_SEED + 1)) map.put(ring[i], values[i]);
        } else if (!state.equals("fresh")) {
            throw new IllegalArgumentException("state " + state + ": fresh or updated");
        }
        int[] order = StringKeys.shuffled(StringKeys.range(0, size), Keys.SHUFFLE_SEED);
        probes = new byte[size][];
        for (int i = 0; i < size; i++) probes[i] = ring[order[i]].clone();
        for (int i = 0; i < Math.min(size, CHECKED); i++) {
            Arrays.fill(buf, (byte) 0);
            int n = map.get(probes[i], buf);
            if (n != VALUE_LEN || !Arrays.equals(buf, values[order[i]])) {
                throw new IllegalStateException(impl + ": wrong value for key " + order[i] + " (length " + n + ")");
            }
        }
        newValues = BytesKeys.values(BytesKeys.VALUE_SEED + 1, NEW_VALUES, VALUE_LEN);
        head = 0;
        pos = 0;
        nextValue = 0;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        long n = map.size();
        map.close();
        if (n != size) throw new IllegalStateException(impl + ": the size changed: " + n + " != " + size);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long getHit() {
        BytesPeer m = map;
        byte[][] p = probes;
        byte[] b = buf;
        int i = pos;
        long sum = 0;
        for (int j = 0; j < BATCH; j++) {
            sum += m.get(p[i], b) + b[j & 63];
            if (++i == p.length) i = 0;
        }
        pos = i;
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long put() {
        BytesPeer m = map;
        byte[][] p = probes, v = newValues;
        int i = pos, k = nextValue;
        long sum = 0;
        for (int j = 0; j < BATCH; j++) {
            sum += m.put(p[i], v[k]);
            k = (k + 1) & (NEW_VALUES - 1);
            if (++i == p.length) i = 0;
        }
        pos = i;
        nextValue = k;
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long churn() {
        BytesPeer m = map;
        byte[][] r = ring, v = newValues;
        int n = size, len = r.length, h = head, k = nextValue;
        long sum = 0;
        for (int j = 0; j < BATCH; j++) {
            sum += m.remove(r[h]);
            int t = h + n;
            if (t >= len) t -= len;
            sum += m.put(r[t], v[k]);
            k = (k + 1) & (NEW_VALUES - 1);
            if (++h == len) h = 0;
        }
        head = h;
        nextValue = k;
        return sum;
    }
}
