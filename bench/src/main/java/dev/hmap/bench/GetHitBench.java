// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * <b>get, hit</b>: the cost of one successful lookup in a map of {@code size} entries, for every peer of
 * {@link Peers} (hmap, HashMap, fastutil, Agrona, Eclipse Collections, Chronicle Map) and both key kinds
 * ({@code key} = {@code long} or {@code int}).
 *
 * <p>The map is filled once per trial (no size hint; Chronicle and go-bound presized) with {@code size} distinct random
 * keys from {@link Keys#distinct(KeyKind, long, int)}. Each invocation then looks up {@value MapBench#BATCH}
 * keys taken in turn from a pre-shuffled copy of the key array; the position persists across invocations,
 * so over a run every key is looked up about equally often. The score is ns per lookup
 * ({@code @OperationsPerInvocation}). Lookups are independent of each other, so the CPU may overlap several
 * cache misses: this is lookup throughput, as a loop over a batch of keys would see it.
 *
 * <p>Pitfalls avoided:
 * <ul>
 *   <li><i>Dead code / constant folding:</i> every result is added to a sum that the method returns (JMH
 *       consumes it), and the keys come from an array field, so the JIT can neither drop the lookups nor
 *       fold a constant key. {@code @Setup} checks one batch's sum against the expected values.</li>
 *   <li><i>Measuring the RNG:</i> keys are generated and shuffled in {@code @Setup}; the measured loop only
 *       reads an array sequentially (which the hardware prefetcher streams for free).</li>
 *   <li><i>Measuring cache effects instead of the map:</i> the lookup order is a random permutation, not
 *       insertion order (which would favour HashMap, whose nodes are allocated in insertion order). At 1M
 *       and 10M entries the maps exceed the last-level cache, so these sizes measure each layout's DRAM and
 *       TLB behaviour, which is the point; {@code size=1000} shows the in-cache cost.</li>
 *   <li><i>Megamorphic dispatch:</i> a fork builds one {@link Peer}, so the call site is monomorphic and
 *       inlined.</li>
 * </ul>
 * HashMap and Chronicle Map box the probe key on every call (what a caller holding a primitive pays).
 * <p>{@code -p impl=go-bound} (long keys; not in the default {@code impl} list) runs {@link GoLayoutBound}, Go's
 * layout off-heap with nothing of hmap's around it, presized: the bound hmap's cost is quoted against.
 *
 * <p>Run alone (from the repository root, after {@code ./mvnw -q -pl bench -am package -DskipTests}):
 * <pre>
 * java -jar bench/target/benchmarks.jar 'GetHitBench' -p key=long -p impl=hmap -p size=1000000 -f 1 -wi 2 -i 3 -w 2s -r 2s
 * java -jar bench/target/benchmarks.jar 'GetHitBench' -p key=long -p impl=hmap,go-bound -p size=1000,100000,1000000,10000000 -f 1 -wi 2 -i 3 -w 2s -r 2s
 * </pre>
 */
public class GetHitBench extends MapBench {
    @Param({"1000", "1000000", "10000000"})
    public int size;

    @Setup(Level.Trial)
    public void setup() {
        long[] keys = fill(size);
        // probe[i] = keys[order[i]], whose value is order[i]: one batch must sum to those.
        int[] order = StringKeys.shuffled(StringKeys.range(0, size), Keys.SHUFFLE_SEED);
        probe = new long[size];
        long expected = 0;
        for (int i = 0; i < size; i++) probe[i] = keys[order[i]];
        for (int j = 0; j < BATCH; j++) expected += order[j % size];
        pos = 0;
        long got = getHit();
        if (got != expected) throw new IllegalStateException(impl + ": sum " + got + " != " + expected);
        pos = 0;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long getHit() {
        return getBatch();
    }
}
