// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * <b>full iteration</b>: one pass over every entry of a map of {@code size} entries with the peer's own
 * fastest iteration API (hmap: its cursor; fastutil: {@code fastIterator()}; Agrona, Eclipse Collections:
 * {@code forEach}-style primitive callbacks; HashMap: {@code entrySet()}; Chronicle Map:
 * {@code forEachEntry}), summing keys and values. Every peer of {@link Peers}, both key kinds.
 *
 * <p>The JMH score is ns per <i>pass</i>; the report divides it by {@code size} (ns per entry).
 *
 * <p>Pitfalls avoided:
 * <ul>
 *   <li><i>Dead code:</i> the sum of all keys and values is returned, and checked once in {@code @Setup}
 *       against the sum over the key array.</li>
 *   <li><i>Cache effects:</i> a pass at 1M and 10M entries streams far more than the last-level cache, so
 *       no pass starts warm; {@code size=1000} shows the in-cache cost.</li>
 *   <li><i>Megamorphic dispatch:</i> one {@link Peer} per fork.</li>
 * </ul>
 *
 * <p>Run alone (from the repository root, after {@code ./mvnw -q -pl bench -am package -DskipTests}):
 * <pre>
 * java -jar bench/target/benchmarks.jar 'IterateBench' -p key=long -p impl=hmap -p size=1000000 -f 1 -wi 2 -i 3 -w 2s -r 2s
 * </pre>
 */
public class IterateBench extends MapBench {
    @Param({"1000", "1000000", "10000000"})
    public int size;

    @Setup(Level.Trial)
    public void setup() {
        long[] keys = fill(size);
        long expected = 0;
        for (int i = 0; i < size; i++) expected += keys[i] + i;
        long got = iterate();
        if (got != expected) throw new IllegalStateException(impl + ": iteration sum " + got + " != " + expected);
    }

    @Benchmark
    public long iterate() {
        return map.iterate();
    }
}
