// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Level;

/**
 * What the primitive-keyed benchmarks ({@link GetHitBench}, {@link GetMissBench}, {@link ChurnBench},
 * {@link IterateBench}, {@link PutBench}) share besides {@link BenchDefaults}: the parameters {@code key}
 * ({@code long}, {@code int}) and {@code impl} ({@link Peers#NAMES}; also {@code go-bound} and
 * {@code go-array}, long keys only, when named with {@code -p impl=}), the map under test (closed after the
 * trial) and the batched lookup loop.
 */
@State(Scope.Thread)
public abstract class MapBench extends BenchDefaults {
    /** Ops per invocation of the batched benchmarks. */
    static final int BATCH = 1024;

    @Param({"long", "int"})
    public String key;

    @Param({"hmap", "HashMap", "fastutil", "agrona", "eclipse", "chronicle"})
    public String impl;

    /** The map of the trial (null in {@link PutBench}, which builds one per invocation). */
    protected Peer map;

    /** The keys {@link #getBatch()} looks up, in lookup order, and where the next batch starts. */
    protected long[] probe;
    protected int pos;

    /**
     * Looks up the next {@value #BATCH} keys of {@link #probe} (wrapping around) and returns the sum of
     * the values, which the caller returns to JMH. The position persists across invocations.
     */
    protected final long getBatch() {
        long sum = sumBatch(map, probe, pos);
        pos = (int) ((pos + (long) BATCH) % probe.length);
        return sum;
    }

    /** The sum of the values of {@code p[from..]}'s next {@value #BATCH} keys (wrapping around). */
    static long sumBatch(Peer m, long[] p, int from) {
        int i = from;
        long sum = 0;
        for (int j = 0; j < BATCH; j++) {
            sum += m.get(p[i]);
            if (++i == p.length) i = 0;
        }
        return sum;
    }

    /**
     * One churn batch over a ring of keys, {@code size} of them in the map from {@code head} on (key i's
     * value is i): {@value #BATCH} times, removes the next present key and puts the key {@code size} places
     * ahead, so the size stays. Returns the sum of the removed values; the caller's head moves by BATCH.
     */
    static long churnBatch(Peer m, long[] r, int size, int head) {
        int len = r.length, h = head;
        long sum = 0;
        for (int j = 0; j < BATCH; j++) {
            sum += m.remove(r[h]);
            int t = h + size;
            if (t >= len) t -= len;
            m.put(r[t], t);
            if (++h == len) h = 0;
        }
        return sum;
    }

    /** Makes {@code n} distinct random keys of the trial's kind and fills {@link #map} with {@code keys[i] -> i}. */
    protected long[] fill(int n) {
        long[] keys = Keys.distinct(kind(), Keys.SEED, n);
        map = Peers.filled(kind(), impl, keys);
        return keys;
    }

    protected KeyKind kind() {
        return KeyKind.of(key);
    }

    @TearDown(Level.Trial)
    public void closeMap() {
        if (map != null) map.close();
    }
}
