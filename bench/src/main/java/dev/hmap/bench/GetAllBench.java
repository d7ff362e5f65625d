// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import dev.hmap.LongLongMap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * <b>Batched get, hit</b>: hmap's {@code getAll}, which looks keys up in groups of 16 so that their cache
 * misses overlap (the group's tophash words first, then its slots), against a loop of single gets: hmap's
 * own, fastutil's and the bound's ({@code go-bound}). Long keys; the score is ns per key.
 *
 * <p>The setup is {@link GetHitBench}'s (distinct random keys, a shuffled lookup order, {@value MapBench#BATCH}
 * lookups per invocation, the sum checked once): {@code impl=hmap-getAll} hands each batch of keys to
 * {@code getAll} into a reused {@code long[]} and sums it; every other impl is the loop of single gets of
 * {@link MapBench}. At 100M entries (3.2 GB of buckets) nearly every lookup misses every cache and the TLB,
 * which is where overlapping misses pays; at 1M, getAll must not be slower than the loop.
 *
 * <p>Run (100M needs about 10 GB of heap for fastutil and the key arrays; each fill takes a minute or more):
 * <pre>
 * java -Xmx12g -jar bench/target/benchmarks.jar GetAllBench -p impl=hmap-getAll,hmap,fastutil,go-bound -p size=1000000,100000000 -f 1 -wi 2 -i 3 -w 2s -r 2s -prof gc
 * java -Xmx12g -XX:+UseTransparentHugePages -jar bench/target/benchmarks.jar GetAllBench ...   # the heap on huge pages too
 * java -Xmx12g -jar bench/target/benchmarks.jar GetAllBench -p size=100000000 -p hint=presized ...      # every map presized
 * </pre>
 */
@State(Scope.Thread)
public class GetAllBench extends BenchDefaults {
    /** hmap through getAll; the other names are {@link Peers}' loops of single gets. */
    static final String GET_ALL = "hmap-getAll";

    @Param({"hmap-getAll", "hmap", "fastutil", "go-bound"})
    public String impl;

    @Param({"1000000", "100000000"})
    public int size;

    /**
     * {@code none}: the peers are filled without a size hint (go-bound is always presized); {@code presized}:
     * every peer is made for {@code size} entries, as a service holding 100M entries would make its map. A
     * growing hmap filled to 100M is in the last eighth before its growth threshold, where it has allocated
     * its next array (4.8 GB) and the background thread is still faulting it in while the lookups run.
     */
    @Param({"none"})
    public String hint;

    private Peer map;
    private LongLongMap direct;
    private long[] probe;
    private int pos;
    private final long[] values = new long[MapBench.BATCH];

    @Setup(Level.Trial)
    public void setup() {
        String peer = impl.equals(GET_ALL) ? "hmap" : impl;
        long[] keys = Keys.distinct(KeyKind.LONG, Keys.SEED, size);
        if (hint.equals("presized")) {
            map = Peers.create(KeyKind.LONG, peer, size);
            for (int i = 0; i < size; i++) map.put(keys[i], i);
        } else {
            map = Peers.filled(KeyKind.LONG, peer, keys);
        }
        if (impl.equals(GET_ALL)) direct = ((Peers.HmapLong) map).m;
        int[] order = StringKeys.shuffled(StringKeys.range(0, size), Keys.SHUFFLE_SEED);
        probe = new long[size];
        for (int i = 0; i < size; i++) probe[i] = keys[order[i]];
        long expected = 0;
        for (int j = 0; j < MapBench.BATCH; j++) expected += order[j];
        if (get() != expected) throw new IllegalStateException(impl + ": the first batch's sum is wrong");
        pos = 0;
    }

    @Benchmark
    @OperationsPerInvocation(MapBench.BATCH)
    public long get() {
        int i = pos + MapBench.BATCH > probe.length ? 0 : pos; // whole batches: start over before the end
        pos = i + MapBench.BATCH;
        if (direct == null) return MapBench.sumBatch(map, probe, i);
        long[] v = values;
        direct.getAll(probe, i, v, 0, v.length);
        long sum = 0;
        for (long x : v) sum += x;
        return sum;
    }

    @TearDown(Level.Trial)
    public void close() {
        map.close();
    }
}
