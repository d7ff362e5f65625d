// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * String keys beyond lookups: <b>put</b> into an empty map without a hint (ns per put, the whole build of
 * {@code size} entries per invocation, the map then closed or dropped), <b>churn</b> (remove one present key
 * and insert one new key, the size staying {@code size}; ns per step) and <b>iteration</b> (one pass over
 * every entry, reading key and value; ns per entry), for {@link StringPeers}: hmap's {@code StringLongMap},
 * {@code HashMap<String, Long>}, fastutil, Agrona and Eclipse Collections, each behind {@link StringPeer}.
 *
 * <p>Keys are ready Strings of 8 to 24 printable ASCII chars ({@link StringKeys}), made in {@code @Setup}:
 * the puts measure storing a key the caller already holds (hmap copies its bytes off-heap; the heap maps
 * keep a reference), not building it.
 *
 * <p>Pitfalls avoided:
 * <ul>
 *   <li><i>Dead code:</i> every op's result is summed and returned (JMH consumes it); the put benchmarks
 *       return the built map's size. Churn also checks that every remove found its key.</li>
 *   <li><i>Measuring growth of one map forever:</i> put builds a fresh map per invocation
 *       ({@code size} puts), so every invocation pays the same growth; churn keeps the size fixed.</li>
 *   <li><i>Cache effects instead of the map:</i> churn walks a ring of {@code 2 * size} keys, so the keys
 *       removed and inserted are spread over the whole map; at 1M entries nothing fits in cache.</li>
 *   <li><i>Megamorphic call sites:</i> one fork measures one peer; the churn loop is {@link KeyForm#churnBatch},
 *       the one {@link StringFlavourChurnBench} runs for hmap's other key forms.</li>
 * </ul>
 *
 * <p>{@code put} and {@code iterate} score one whole build or pass; divided by {@code size} they are ns per
 * put and per entry. {@code churn} scores one remove-plus-insert step.
 *
 * <p>Run alone (from the repository root, after {@code ./mvnw -q -pl bench -am package -DskipTests}):
 * <pre>
 * java -jar bench/target/benchmarks.jar 'StringOpsBench.churn' -p impl=hmap -p size=1000000 -f 1 -wi 2 -i 3
 * </pre>
 */
public class StringOpsBench extends StringRingBench {
    @Param({"hmap", "hmapHashCode", "HashMap", "fastutil", "agrona", "eclipse"})
    public String impl;

    /** The map holds the ring's own String objects, as a caller's map holds the keys it was given. */
    @Setup(Level.Trial)
    public void setup() {
        ring = KeyForm.of("String", StringKeys.range(0, 2 * size));
        map = StringPeers.create(impl);
        ring.fill(map, size);
    }

    /** One pass over every entry; the score divided by size is ns per entry (the report does so). */
    @Benchmark
    public long iterate() {
        return map.iterate();
    }

    /**
     * Builds a map of {@code size} entries from empty, no hint, then closes (hmap) or drops it: the score
     * divided by size is ns per put (the report does so).
     */
    @Benchmark
    public long put() {
        try (StringPeer m = StringPeers.create(impl)) {
            ring.fill(m, size);
            return m.size();
        }
    }
}
