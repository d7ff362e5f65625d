// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import dev.hmap.LongLongMap;
import dev.hmap.StringLongMap;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import org.agrona.collections.Long2LongHashMap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.HashMap;

/**
 * <b>many maps</b>: one operation = close (or drop) the oldest of {@code live} maps, create a new one and put
 * its first entry. The score is the amortized cost of a small map's whole life, with every step on the
 * benchmark's thread: hmap's close gives its pooled region back, returns dead pages to the kernel
 * ({@code madvise}) and, once per full cohort (2 MiB of regions), closes the cohort's shared arena (one
 * handshake with every thread) and unmaps it. For the heap peers the garbage is collected by the JVM's GC
 * threads, whose cost shows in the score only as far as they take the second core.
 *
 * <ul>
 *   <li>{@code impl}: {@code hmap} ({@code LongLongMap}), {@code hmap-string} ({@code StringLongMap}, 8-byte
 *       keys), {@code HashMap} ({@code HashMap<Long, Long>}), {@code fastutil} ({@code Long2LongOpenHashMap}),
 *       {@code agrona} ({@code Long2LongHashMap}).</li>
 *   <li>{@code live}: 1 (made, used and closed at once) or 100,000 maps alive at a time, in a ring, so a
 *       map is closed 100,000 operations after it was made and cohorts retire in the middle of the run.</li>
 * </ul>
 *
 * <p>Allocation per operation comes from {@code -prof gc}. Run alone (from the repository root, after
 * {@code ./mvnw -q -pl bench -am package -DskipTests}):
 * <pre>
 * java -jar bench/target/benchmarks.jar 'bench\.ManyMapsBench' -f 1 -wi 3 -i 5 -w 2s -r 2s -prof gc
 * </pre>
 */
@State(Scope.Thread)
public class ManyMapsBench extends BenchDefaults {
    /** Operations per invocation: enough that the ring's bookkeeping is noise. */
    static final int BATCH = 1000;

    @Param({"hmap", "hmap-string", "HashMap", "fastutil", "agrona"})
    public String impl;

    @Param({"1", "100000"})
    public int live;

    private Object[] ring;
    private int head;
    private long next;
    private String[] keys;

    @Setup(Level.Trial)
    public void setup() {
        ring = new Object[live];
        keys = new String[4096];
        for (int i = 0; i < keys.length; i++) keys[i] = String.format("k%07d", i); // 8 bytes
        for (int i = 0; i < live; i++) ring[i] = make();
    }

    @TearDown(Level.Trial)
    public void closeAll() {
        for (int i = 0; i < ring.length; i++) {
            drop(ring[i]);
            ring[i] = null;
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long cycle() {
        Object[] r = ring;
        int h = head;
        long sum = 0;
        for (int j = 0; j < BATCH; j++) {
            drop(r[h]);
            Object m = make();
            r[h] = m;
            sum += System.identityHashCode(m) & 1;
            if (++h == r.length) h = 0;
        }
        head = h;
        return sum;
    }

    /** A new map with its first entry. */
    private Object make() {
        long k = next++;
        switch (impl) {
            case "hmap" -> {
                LongLongMap m = LongLongMap.create();
                m.put(k, k);
                return m;
            }
            case "hmap-string" -> {
                StringLongMap m = StringLongMap.create();
                m.put(keys[(int) (k & (keys.length - 1))], k);
                return m;
            }
            case "HashMap" -> {
                HashMap<Long, Long> m = new HashMap<>();
                m.put(k, k);
                return m;
            }
            case "fastutil" -> {
                Long2LongOpenHashMap m = new Long2LongOpenHashMap();
                m.put(k, k);
                return m;
            }
            case "agrona" -> {
                Long2LongHashMap m = new Long2LongHashMap(-1L);
                m.put(k, k);
                return m;
            }
            default -> throw new IllegalArgumentException(impl);
        }
    }

    private static void drop(Object m) {
        if (m instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
