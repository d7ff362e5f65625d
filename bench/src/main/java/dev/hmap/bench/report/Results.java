// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench.report;

import dev.hmap.bench.GrowthLatency;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * One run's numbers as the report reads them: the JMH results ({@link Measurement}), the growth-latency
 * results, the String memory lines ({@code RESULT peer n keyLen offHeapPerEntry heapPerEntry}) and the noise
 * floor ({@code seconds samples p99.99 max over1ms}, or null). Every lookup returns null for what the run did
 * not measure, which the tables print as "–" and the targets as "not measured".
 */
record Results(List<Measurement> ms, List<GrowthLatency.Result> growth, List<String[]> stringMemory, long[] noise) {

    /** Reads {@code json} and the tool files of {@code in} (each missing file reads as nothing measured). */
    static Results read(Path in, Path json) throws IOException {
        List<Measurement> ms = Files.exists(json) ? Measurement.fromJmhJson(Files.readString(json)) : List.of();
        List<GrowthLatency.Result> growth = new ArrayList<>();
        for (String line : lines(in.resolve("growth.txt"))) growth.add(GrowthLatency.Result.parse(line));
        List<String[]> sm = new ArrayList<>();
        for (String line : lines(in.resolve("string-memory.txt"))) sm.add(line.split(" "));
        long[] noise = lines(in.resolve("noise.txt")).stream().findFirst().map(l -> java.util.Arrays.stream(
                l.substring("RESULT ".length()).trim().split(" ")).mapToLong(Long::parseLong).toArray()).orElse(null);
        return new Results(ms, growth, sm, noise);
    }

    private static List<String> lines(Path p) throws IOException {
        return Files.exists(p) ? Files.readAllLines(p).stream().filter(l -> l.startsWith("RESULT ")).toList() : List.of();
    }

    // ---- the primitive-key operations ----

    /** One row family of the primitive benchmarks: which JMH benchmark, and how its score becomes ns/op. */
    record Op(String id, String title, String benchmark, String hint, boolean perEntry) {
        String benchmarkAt(int size) {
            return benchmark.equals("PutBench") ? putMethod(size) : benchmark;
        }
    }

    static final List<Op> OPS = List.of(
            new Op("get-hit", "get, hit (ns/op)", "GetHitBench.getHit", null, false),
            new Op("get-miss", "get, miss (ns/op)", "GetMissBench.getMiss", null, false),
            new Op("put", "put into an empty map, no hint (ns/put, total / N)", "PutBench", "none", false),
            new Op("put-presized", "put into a presized map (ns/put)", "PutBench", "presized", false),
            new Op("churn", "churn: remove + insert at a steady size (ns/step)", "ChurnBench.churn", null, false),
            new Op("iterate", "full iteration (ns/entry)", "IterateBench.iterate", null, true));

    /** The sizes PutBench has a method for (its N must be a constant of the method). */
    static final List<Integer> PUT_SIZES = List.of(1_000, 100_000, 1_000_000, 10_000_000);

    /** PutBench's method for N entries: {@code PutBench.put1K}, {@code put100K}, {@code put1M}, {@code put10M}. */
    static String putMethod(int size) {
        return "PutBench.put" + ReportWriter.size(size);
    }

    static Op op(String id) {
        return OPS.stream().filter(o -> o.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no op " + id));
    }

    private Measurement find(Op op, String key, String impl, int size) {
        String bench = op.benchmarkAt(size);
        for (Measurement m : ms) {
            if (!m.benchmark().equals(bench) || !m.param("key").equals(key) || !m.param("impl").equals(impl)) continue;
            if (op.hint() != null ? m.param("hint").equals(op.hint()) : m.param("size").equals(Integer.toString(size))) {
                return m;
            }
        }
        return null;
    }

    /** ns per op (per entry for iteration). */
    Double ns(Op op, String key, String impl, int size) {
        Measurement m = find(op, key, impl, size);
        if (m == null || Double.isNaN(m.score())) return null;
        return op.perEntry() ? m.score() / size : m.score();
    }

    /** B per op (per entry for iteration). */
    Double alloc(Op op, String key, String impl, int size) {
        Measurement m = find(op, key, impl, size);
        if (m == null || Double.isNaN(m.allocPerOp())) return null;
        return op.perEntry() ? m.allocPerOp() / size : m.allocPerOp();
    }

    /** The sizes of the primitive benchmarks in this run. */
    TreeSet<Integer> sizes() {
        TreeSet<Integer> s = new TreeSet<>();
        for (Measurement m : ms) {
            // StringGetBench, StringOpsBench, FileBench, FileReopen: their own tables
            if (m.benchmark().startsWith("String") || m.benchmark().startsWith("File")) continue;
            if (!m.param("size").isEmpty()) s.add(Integer.parseInt(m.param("size")));
            for (int n : PUT_SIZES) if (m.benchmark().equals(putMethod(n))) s.add(n);
        }
        return s;
    }

    /** The primitive key kinds in this run, long first. */
    List<String> keys() {
        return ms.stream().map(m -> m.param("key")).filter(k -> !k.isEmpty()).distinct().sorted((a, b) -> b.compareTo(a)).toList();
    }

    // ---- String keys ----

    /** StringGetBench {@code method} ({@code getHit}, {@code getMiss}) of a peer-form {@code impl}: ns per lookup. */
    Double stringNs(String method, String impl, int size) {
        Measurement m = string("StringGetBench." + method, impl, size);
        return m == null ? null : m.score();
    }

    /** StringOpsBench {@code method} of a peer: ns per put, per churn step, per entry of an iteration. */
    Double stringOpNs(String method, String peer, int size) {
        Measurement m = string("StringOpsBench." + method, peer, size);
        return m == null ? null : method.equals("churn") ? m.score() : m.score() / size;
    }

    /**
     * B/op of a String benchmark ({@code StringGetBench.getHit}, {@code StringOpsBench.put}, ...): per lookup,
     * per churn step, per put (a whole build divided by its size).
     */
    Double stringAlloc(String benchmark, String impl, int size) {
        Measurement m = string(benchmark, impl, size);
        if (m == null || Double.isNaN(m.allocPerOp())) return null;
        return benchmark.equals("StringOpsBench.put") ? m.allocPerOp() / size : m.allocPerOp();
    }

    /** The result of a String benchmark for {@code impl} (or {@code missImpl}) at {@code size}. */
    private Measurement string(String benchmark, String impl, int size) {
        for (Measurement m : ms) {
            if (m.benchmark().equals(benchmark) && (m.param("impl").equals(impl) || m.param("missImpl").equals(impl))
                    && m.param("size").equals(Integer.toString(size))) return m;
        }
        return null;
    }

    // ---- many small maps ----

    /** ManyMapsBench: ns per map life (create, first put, close) of {@code impl} with {@code live} maps alive. */
    Double manyMapsNs(String impl, int live) {
        for (Measurement m : ms) {
            if (m.benchmark().equals("ManyMapsBench.cycle") && m.param("impl").equals(impl)
                    && m.param("live").equals(Integer.toString(live))) return Double.isNaN(m.score()) ? null : m.score();
        }
        return null;
    }

    // ---- file-backed maps ----

    /** A FileBench ({@code getHit}, {@code put}, {@code churn}) or FileReopen ({@code open}, {@code close}) result. */
    private Measurement file(String benchmark, String impl, int size) {
        for (Measurement m : ms) {
            if (m.benchmark().equals(benchmark) && m.param("impl").equals(impl)
                    && m.param("size").equals(Integer.toString(size))) return m;
        }
        return null;
    }

    /** FileBench {@code method} of {@code impl}: ns per get, put or churn step. */
    Double fileNs(String method, String impl, int size) {
        Measurement m = file("FileBench." + method, impl, size);
        return m == null || Double.isNaN(m.score()) ? null : m.score();
    }

    /** FileBench {@code method} of {@code impl}: B per op. */
    Double fileAlloc(String method, String impl, int size) {
        Measurement m = file("FileBench." + method, impl, size);
        return m == null || Double.isNaN(m.allocPerOp()) ? null : m.allocPerOp();
    }

    /** FileReopen {@code method} ({@code open}, {@code close}) of {@code impl}: ms per open or close, a mean of single shots. */
    Double reopenMs(String method, String impl, int size) {
        Measurement m = file("FileReopen." + method, impl, size);
        return m == null || Double.isNaN(m.score()) ? null : m.score();
    }

    /** FileReopen {@code method} of {@code impl}: B per open (its helpers' allocation included). */
    Double reopenAlloc(String method, String impl, int size) {
        Measurement m = file("FileReopen." + method, impl, size);
        return m == null || Double.isNaN(m.allocPerOp()) ? null : m.allocPerOp();
    }

    /** The sizes of FileBench and FileReopen in this run. */
    TreeSet<Integer> fileSizes() {
        TreeSet<Integer> s = new TreeSet<>();
        for (Measurement m : ms) {
            if (m.benchmark().startsWith("FileBench.") || m.benchmark().startsWith("FileReopen.")) {
                s.add(Integer.parseInt(m.param("size")));
            }
        }
        return s;
    }

    // ---- the tools ----

    /** The growth-latency result of a peer. */
    GrowthLatency.Result growth(String peer) {
        return growth.stream().filter(r -> r.peer().equals(peer)).findFirst().orElse(null);
    }

    /** The String memory line of a peer. */
    String[] stringMemory(String peer) {
        return stringMemory.stream().filter(r -> r[1].equals(peer)).findFirst().orElse(null);
    }
}
