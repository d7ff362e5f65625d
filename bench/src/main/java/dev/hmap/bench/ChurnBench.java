// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * <b>churn</b>: one operation = remove an existing key, then insert a new one, so the map stays at exactly
 * {@code size} entries; every peer of {@link Peers}, both key kinds.
 *
 * <p>A ring of {@code 2 * size} distinct random keys is made once per trial, and the map is filled with the
 * first {@code size} of them. Step t removes {@code ring[t]} and puts {@code ring[t + size]} (indices modulo
 * {@code 2 * size}), so the map always holds {@code size} keys; a key comes back {@code size} steps after it
 * left. The ring position persists across invocations; each invocation does {@value MapBench#BATCH} steps,
 * and the score is ns per step (one remove plus one put). This exercises deletes (Go's emptyOne/emptyRest
 * marking), reuse of freed slots, and for hmap same-size growth when deletes leave overflow buckets behind;
 * for the open-addressing peers their deletion scheme (backward shift, tombstones); for HashMap node garbage
 * and GC; for Chronicle Map its segment locks and entry allocation; for go-bound ({@link GoLayoutBound}: Go's
 * layout with nothing of hmap's around it, presized, long keys, {@code -p impl=go-bound}) Go's own
 * emptyOne/emptyRest deletes and overflow buckets that stay linked, with no growth to squeeze them out (the
 * ring is fixed, so the chains stop lengthening within one turn of it).
 *
 * <p>Pitfalls avoided:
 * <ul>
 *   <li><i>Dead code:</i> the values returned by remove() are summed and returned (JMH consumes them).</li>
 *   <li><i>Measuring the RNG:</i> the ring is generated in {@code @Setup}.</li>
 *   <li><i>Cache effects instead of the map:</i> the ring is in random key order, so consecutive steps touch
 *       unrelated buckets, and a key returns only after {@code size} other steps, when its old slot is long
 *       out of the cache at 1M and 10M entries.</li>
 *   <li><i>A drifting workload:</i> the size never changes (checked at the end of the trial), so later
 *       iterations measure the same thing as earlier ones.</li>
 * </ul>
 *
 * <p>Run alone (from the repository root, after {@code ./mvnw -q -pl bench -am package -DskipTests}):
 * <pre>
 * java -jar bench/target/benchmarks.jar 'bench\.ChurnBench' -p key=long -p impl=hmap -p size=1000000 -f 1 -wi 2 -i 3 -w 2s -r 2s
 * java -jar bench/target/benchmarks.jar 'bench\.ChurnBench' -p key=long -p impl=hmap,go-bound -p size=1000,100000,1000000,10000000 -f 1 -wi 2 -i 3 -w 2s -r 2s
 * </pre>
 */
public class ChurnBench extends MapBench {
    @Param({"1000", "1000000", "10000000"})
    public int size;

    private long[] ring;
    private int head;

    @Setup(Level.Trial)
    public void setup() {
        ring = Keys.distinct(kind(), Keys.SEED, 2 * size);
        map = Peers.filled(kind(), impl, java.util.Arrays.copyOf(ring, size));
        head = 0;
    }

    @TearDown(Level.Trial)
    public void checkSize() {
        if (map.size() != size) throw new IllegalStateException("churn changed the size: " + map.size() + " != " + size);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long churn() {
        long sum = MapBench.churnBatch(map, ring, size, head);
        head = (int) ((head + (long) BATCH) % ring.length);
        return sum;
    }
}
