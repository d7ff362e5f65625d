// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import dev.hmap.StringLongCursor;
import dev.hmap.StringLongMap;
import it.unimi.dsi.fastutil.objects.Object2LongMap;
import it.unimi.dsi.fastutil.objects.Object2LongOpenHashMap;
import org.agrona.collections.Object2LongHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.ObjectLongHashMap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.HashMap;
import java.util.Map;

/**
 * String keys beyond lookups: <b>put</b> into an empty map without a hint (ns per put, the whole build of
 * {@code size} entries per invocation, the map then closed or dropped), <b>churn</b> (remove one present key
 * and insert one new key, the size staying {@code size}; ns per step) and <b>iteration</b> (one pass over
 * every entry, reading key and value; ns per entry), for {@link StringPeers}: hmap's {@code StringLongMap},
 * {@code HashMap<String, Long>}, fastutil, Agrona and Eclipse Collections.
 *
 * <p>Keys are ready Strings of 8 to 24 printable ASCII chars ({@link StringKeys}), made in {@code @Setup}:
 * the puts measure storing a key the caller already holds (hmap copies its bytes off-heap; the heap maps
 * keep a reference), not building it.
 *
 * <p>Pitfalls avoided:
 * <ul>
 *   <li><i>Dead code:</i> every op's result is summed and returned (JMH consumes it); the put benchmarks
 *       return the built map's size.</li>
 *   <li><i>Measuring growth of one map forever:</i> put builds a fresh map per invocation
 *       ({@code size} puts), so every invocation pays the same growth; churn keeps the size fixed.</li>
 *   <li><i>Cache effects instead of the map:</i> churn walks a ring of {@code 2 * size} keys, so the keys
 *       removed and inserted are spread over the whole map; at 1M entries nothing fits in cache.</li>
 *   <li><i>Megamorphic call sites:</i> one fork measures one peer.</li>
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
@State(Scope.Thread)
public class StringOpsBench extends BenchDefaults {
    @Param({"hmap", "HashMap", "fastutil", "agrona", "eclipse"})
    public String impl;

    @Param({"1000", "1000000"})
    public int size;

    /** The five maps behind one small interface; one fork builds one kind, so calls stay monomorphic. */
    abstract static class Ops {
        abstract void put(String k, long v);

        abstract long remove(String k);

        abstract long size();

        abstract long iterate();

        void close() {
        }
    }

    static Ops create(String impl) {
        return switch (impl) {
            case "hmap" -> new Ops() {
                final StringLongMap m = StringLongMap.create();
                void put(String k, long v) { m.put(k, v); }
                long remove(String k) { return m.remove(k); }
                long size() { return m.size(); }
                long iterate() {
                    long s = 0;
                    for (StringLongCursor c = m.cursor(); c.next(); ) s += c.keyLength() + c.value();
                    return s;
                }
                @Override void close() { m.close(); }
            };
            case "HashMap" -> new Ops() {
                final HashMap<String, Long> m = new HashMap<>();
                void put(String k, long v) { m.put(k, v); }
                long remove(String k) { Long v = m.remove(k); return v == null ? 0 : v; }
                long size() { return m.size(); }
                long iterate() {
                    long s = 0;
                    for (Map.Entry<String, Long> e : m.entrySet()) s += e.getKey().length() + e.getValue();
                    return s;
                }
            };
            case "fastutil" -> new Ops() {
                final Object2LongOpenHashMap<String> m = new Object2LongOpenHashMap<>();
                void put(String k, long v) { m.put(k, v); }
                long remove(String k) { return m.removeLong(k); }
                long size() { return m.size(); }
                long iterate() {
                    long s = 0;
                    for (var it = m.object2LongEntrySet().fastIterator(); it.hasNext(); ) {
                        Object2LongMap.Entry<String> e = it.next();
                        s += e.getKey().length() + e.getLongValue();
                    }
                    return s;
                }
            };
            case "agrona" -> new Ops() {
                final Object2LongHashMap<String> m = new Object2LongHashMap<>(-1L);
                void put(String k, long v) { m.put(k, v); }
                long remove(String k) { return m.removeKey(k); }
                long size() { return m.size(); }
                long iterate() {
                    long[] s = {0};
                    m.forEachLong((k, v) -> s[0] += k.length() + v);
                    return s[0];
                }
            };
            case "eclipse" -> new Ops() {
                final ObjectLongHashMap<String> m = new ObjectLongHashMap<>();
                void put(String k, long v) { m.put(k, v); }
                long remove(String k) { return m.removeKeyIfAbsent(k, 0); }
                long size() { return m.size(); }
                long iterate() {
                    long[] s = {0};
                    m.forEachKeyValue((k, v) -> s[0] += k.length() + v);
                    return s[0];
                }
            };
            default -> throw new IllegalArgumentException("impl: " + String.join(", ", StringPeers.NAMES) + "; not " + impl);
        };
    }

    private String[] ring;
    private int head;
    private Ops churnMap, iterMap;

    @Setup(Level.Trial)
    public void setup() {
        ring = new String[2 * size];
        for (int i = 0; i < ring.length; i++) ring[i] = StringKeys.string(i);
        churnMap = create(impl);
        for (int i = 0; i < size; i++) churnMap.put(ring[i], i);
        iterMap = churnMap;
        head = 0;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (churnMap.size() != size) throw new IllegalStateException("churn changed the size: " + churnMap.size());
        churnMap.close();
    }

    @Benchmark
    @OperationsPerInvocation(MapBench.BATCH)
    public long churn() {
        Ops m = churnMap;
        String[] r = ring;
        int n = size, len = r.length, h = head;
        long sum = 0;
        for (int j = 0; j < MapBench.BATCH; j++) {
            sum += m.remove(r[h]);
            int t = h + n;
            if (t >= len) t -= len;
            m.put(r[t], t);
            if (++h == len) h = 0;
        }
        head = h;
        return sum;
    }

    /** One pass over every entry; the score divided by size is ns per entry (the report does so). */
    @Benchmark
    public long iterate() {
        return iterMap.iterate();
    }

    /**
     * Builds a map of {@code size} entries from empty, no hint, then closes (hmap) or drops it: the score
     * divided by size is ns per put (the report does so).
     */
    @Benchmark
    public long put() {
        Ops m = create(impl);
        try {
            String[] r = ring;
            for (int i = 0, n = size; i < n; i++) m.put(r[i], i);
            return m.size();
        } finally {
            m.close();
        }
    }
}
