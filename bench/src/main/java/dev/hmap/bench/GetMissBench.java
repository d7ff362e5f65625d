// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * <b>get, miss</b>: the cost of one unsuccessful lookup in a map of {@code size} entries, for every peer
 * of {@link Peers} and both key kinds ({@code key} = {@code long} or {@code int}).
 *
 * <p>The map is filled once per trial (no size hint; Chronicle and go-bound presized) with {@code size} distinct random
 * keys. The probe keys are {@code size} other random keys, drawn from a different seed and filtered against
 * the map's keys ({@link Keys#absent}), so every lookup misses. Each invocation looks up
 * {@value MapBench#BATCH} of them in turn; the position persists across invocations. The score is ns per
 * lookup ({@code @OperationsPerInvocation}); lookups are independent, so this is lookup throughput.
 *
 * <p>Pitfalls avoided:
 * <ul>
 *   <li><i>Dead code / constant folding:</i> every result (the peer's missing value) is added to a sum that
 *       the method returns, and the keys come from an array field.</li>
 *   <li><i>Measuring the RNG:</i> keys are generated and filtered in {@code @Setup}; the measured loop only
 *       reads an array sequentially.</li>
 *   <li><i>Measuring cache effects instead of the map:</i> absent keys are random, so each lookup lands on
 *       an unrelated bucket (or slot); at 1M and 10M entries the maps exceed the last-level cache;
 *       {@code size=1000} shows the in-cache cost.</li>
 *   <li><i>Hidden hits:</i> {@link Keys#absent} rejects every key of the map, and {@code @Setup} checks that
 *       one batch of probes sums to the missing values only.</li>
 *   <li><i>Megamorphic dispatch:</i> one {@link Peer} per fork, a monomorphic call site.</li>
 * </ul>
 * <p>{@code -p impl=go-bound} (long keys; not in the default {@code impl} list) runs {@link GoLayoutBound}, Go's
 * layout off-heap with nothing of hmap's around it, presized: the bound hmap's cost is quoted against.
 *
 * <p>Run alone (from the repository root, after {@code ./mvnw -q -pl bench -am package -DskipTests}):
 * <pre>
 * java -jar bench/target/benchmarks.jar 'GetMissBench' -p key=long -p impl=hmap -p size=1000000 -f 1 -wi 2 -i 3 -w 2s -r 2s
 * java -jar bench/target/benchmarks.jar 'GetMissBench' -p key=long -p impl=hmap,go-bound -p size=1000,100000,1000000,10000000 -f 1 -wi 2 -i 3 -w 2s -r 2s
 * </pre>
 */
public class GetMissBench extends MapBench {
    @Param({"1000", "1000000", "10000000"})
    public int size;

    @Setup(Level.Trial)
    public void setup() {
        long[] keys = fill(size);
        probe = Keys.absent(kind(), Keys.MISS_SEED, size, keys);
        long missing = map.get(probe[0]);
        if (missing != 0 && missing != -1) throw new IllegalStateException(impl + ": probe key is present");
        pos = 0;
        if (getMiss() != BATCH * missing) throw new IllegalStateException(impl + ": a probe key is present");
        pos = 0;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long getMiss() {
        return getBatch();
    }
}
