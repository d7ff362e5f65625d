// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * <b>put</b>: the cost per entry of building a whole map of N entries from empty, for every peer of
 * {@link Peers} and both key kinds; {@code hint=none}: no size hint, growth included (total time / N);
 * {@code hint=presized}: the map is created for N entries first (each library's own capacity argument;
 * Chronicle Map's {@code entries(N)}, which it always needs: it has no {@code none} variant and fails
 * that combination in setup).
 *
 * <p>Every invocation creates a fresh empty map, puts N distinct random keys ({@code keys[i] -> i}, made
 * once per trial) and closes the map, so hmap's and Chronicle's off-heap memory goes back inside the
 * measured region. The score is ns per put ({@code @OperationsPerInvocation(N)}). Because that must be a
 * constant, N is chosen by the method rather than by a {@code @Param}: {@code put1K}, {@code put100K},
 * {@code put1M}, {@code put10M}. {@code -p impl=go-bound} ({@link GoLayoutBound}, long keys, presized only)
 * builds Go's layout off-heap with nothing of hmap's around it: the bound of {@code hint=presized}.
 *
 * <p>Included, on purpose, for every peer: all rehashes/evacuations on the way to N, page faults on fresh
 * memory, and the cost of getting rid of the previous map (munmap in close(); for heap maps the GC work
 * their garbage causes, which lands in later invocations and is amortized over the iteration). For HashMap
 * and Chronicle Map this includes boxing.
 *
 * <p>Pitfalls avoided:
 * <ul>
 *   <li><i>Dead code:</i> the map's size is returned (JMH consumes it).</li>
 *   <li><i>Measuring a warm, pre-grown map:</i> each invocation starts from a new empty map; no state
 *       carries over between invocations.</li>
 *   <li><i>Measuring the RNG:</i> the keys are generated in {@code @Setup}.</li>
 *   <li><i>Leaking off-heap memory across invocations:</i> maps are closed in the measured method.</li>
 *   <li><i>Megamorphic dispatch:</i> one {@link Peer} class per fork.</li>
 * </ul>
 *
 * <p>Run alone (from the repository root, after {@code ./mvnw -q -pl bench -am package -DskipTests}):
 * <pre>
 * java -jar bench/target/benchmarks.jar 'PutBench.put1M' -p key=long -p impl=hmap -p hint=none -f 1 -wi 2 -i 3 -w 2s -r 2s
 * java -jar bench/target/benchmarks.jar 'PutBench.put1M' -p key=long -p impl=hmap,go-bound -p hint=presized -f 1 -wi 2 -i 3 -w 2s -r 2s
 * </pre>
 */
public class PutBench extends MapBench {
    @Param({"none", "presized"})
    public String hint;

    private long[] keys;

    /** Makes the keys of the running method's size only. */
    @Setup(Level.Trial)
    public void setup(BenchmarkParams params) {
        String method = params.getBenchmark();
        int n = method.endsWith("put1K") ? 1_000 : method.endsWith("put100K") ? 100_000
                : method.endsWith("put1M") ? 1_000_000 : 10_000_000;
        if (!hint.equals("none") && !hint.equals("presized")) throw new IllegalArgumentException("hint: " + hint);
        if (hint.equals("none") && !Peers.growable(impl)) {
            throw new IllegalArgumentException(impl + " must be presized: run it with -p hint=presized");
        }
        keys = Keys.distinct(kind(), Keys.SEED, n);
    }

    @Benchmark
    @OperationsPerInvocation(1_000)
    public long put1K() {
        return build();
    }

    @Benchmark
    @OperationsPerInvocation(100_000)
    public long put100K() {
        return build();
    }

    @Benchmark
    @OperationsPerInvocation(1_000_000)
    public long put1M() {
        return build();
    }

    @Benchmark
    @OperationsPerInvocation(10_000_000)
    public long put10M() {
        return build();
    }

    private long build() {
        long[] k = keys;
        try (Peer m = Peers.create(kind(), impl, hint.equals("presized") ? k.length : 0)) {
            for (int i = 0; i < k.length; i++) m.put(k[i], i);
            return m.size();
        }
    }
}
