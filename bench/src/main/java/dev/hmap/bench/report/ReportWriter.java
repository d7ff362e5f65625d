// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench.report;

import dev.hmap.bench.GrowthLatency;
import dev.hmap.bench.Peers;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Renders a report from saved results: JMH's JSON ({@link Measurement}), the growth-latency and String
 * memory result lines and {@code run.properties}, into {@code report.md} and {@code charts/*.png}. It runs
 * nothing, so it can render any earlier run again ({@code report --from DIR}).
 *
 * <p>Every table has peers as rows and sizes as columns; a time cell reads {@code 43.1 (2.9x)}, where the
 * factor is HashMap's time divided by this peer's (above 1: faster than HashMap). The "Targets" section
 * checks the project's goals against the numbers of this run only.
 */
final class ReportWriter {
    private final List<Measurement> ms;
    private final List<GrowthLatency.Result> growth;
    private final List<String[]> stringMemory; // RESULT peer n keyLen offHeapPerEntry heapPerEntry
    private final long[] noise; // seconds samples p99.99 max over1ms, or null
    private final Properties run;
    private final Path charts;
    private final StringBuilder md = new StringBuilder();

    private ReportWriter(List<Measurement> ms, List<GrowthLatency.Result> growth, List<String[]> stringMemory,
                         long[] noise, Properties run, Path charts) {
        this.ms = ms;
        this.noise = noise;
        this.growth = growth;
        this.stringMemory = stringMemory;
        this.run = run;
        this.charts = charts;
    }

    /** Reads {@code json} and the tool files of {@code in}, writes {@code out/report.md}; returns its path. */
    static Path write(Path in, Path json, Path out) throws IOException {
        List<Measurement> ms = Files.exists(json) ? Measurement.fromJmhJson(Files.readString(json)) : List.of();
        List<GrowthLatency.Result> growth = new ArrayList<>();
        for (String line : lines(in.resolve("growth.txt"))) growth.add(GrowthLatency.Result.parse(line));
        List<String[]> sm = new ArrayList<>();
        for (String line : lines(in.resolve("string-memory.txt"))) sm.add(line.split(" "));
        long[] noise = lines(in.resolve("noise.txt")).stream().findFirst().map(l -> java.util.Arrays.stream(
                l.substring("RESULT ".length()).trim().split(" ")).mapToLong(Long::parseLong).toArray()).orElse(null);
        Properties run = new Properties();
        if (Files.exists(in.resolve("run.properties"))) {
            try (Reader r = Files.newBufferedReader(in.resolve("run.properties"), StandardCharsets.UTF_8)) {
                run.load(r);
            }
        }
        Path charts = out.resolve("charts");
        Files.createDirectories(charts);
        ReportWriter w = new ReportWriter(ms, growth, sm, noise, run, charts);
        w.render();
        Path md = out.resolve("report.md");
        Files.writeString(md, w.md.toString(), StandardCharsets.UTF_8);
        return md;
    }

    private static List<String> lines(Path p) throws IOException {
        return Files.exists(p) ? Files.readAllLines(p).stream().filter(l -> l.startsWith("RESULT ")).toList() : List.of();
    }

    // ---- the primitive-key operations ----

    /** One row family of the primitive benchmarks: which JMH benchmark, and how its score becomes ns/op. */
    record Op(String id, String title, String benchmark, String hint, boolean perEntry) {
        String benchmarkAt(int size) {
            if (!benchmark.equals("PutBench")) return benchmark;
            return "PutBench.put" + (size == 1_000 ? "1K" : size == 1_000_000 ? "1M" : size == 10_000_000 ? "10M" : "?");
        }
    }

    static final List<Op> OPS = List.of(
            new Op("get-hit", "get, hit (ns/op)", "GetHitBench.getHit", null, false),
            new Op("get-miss", "get, miss (ns/op)", "GetMissBench.getMiss", null, false),
            new Op("put", "put into an empty map, no hint (ns/put, total / N)", "PutBench", "none", false),
            new Op("put-presized", "put into a presized map (ns/put)", "PutBench", "presized", false),
            new Op("churn", "churn: remove + insert at a steady size (ns/step)", "ChurnBench.churn", null, false),
            new Op("iterate", "full iteration (ns/entry)", "IterateBench.iterate", null, true));

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

    /** ns per op (per entry for iteration), or null when not measured. */
    Double ns(Op op, String key, String impl, int size) {
        Measurement m = find(op, key, impl, size);
        if (m == null || Double.isNaN(m.score())) return null;
        return op.perEntry() ? m.score() / size : m.score();
    }

    /** B per op (per entry for iteration), or null when not measured. */
    Double alloc(Op op, String key, String impl, int size) {
        Measurement m = find(op, key, impl, size);
        if (m == null || Double.isNaN(m.allocPerOp())) return null;
        return op.perEntry() ? m.allocPerOp() / size : m.allocPerOp();
    }

    private TreeSet<Integer> sizes() {
        TreeSet<Integer> s = new TreeSet<>();
        for (Measurement m : ms) {
            if (m.benchmark().startsWith("String")) continue; // StringGetBench, StringOpsBench: their own tables
            if (!m.param("size").isEmpty()) s.add(Integer.parseInt(m.param("size")));
            if (m.benchmark().endsWith("put1K")) s.add(1_000);
            if (m.benchmark().endsWith("put1M")) s.add(1_000_000);
            if (m.benchmark().endsWith("put10M")) s.add(10_000_000);
        }
        return s;
    }

    private List<String> keys() {
        return ms.stream().map(m -> m.param("key")).filter(k -> !k.isEmpty()).distinct().sorted((a, b) -> b.compareTo(a)).toList();
    }

    // ---- rendering ----

    private void render() throws IOException {
        md.append("# hmap benchmark report\n\n");
        md.append(String.format(Locale.ROOT, "Profile **%s**, run %s to %s (%s s; %s benchmarks failed). Generated by `%s`.%n%n",
                run.getProperty("profile", "?"), run.getProperty("started", "?"), run.getProperty("finished", "?"),
                run.getProperty("duration.seconds", "?"), run.getProperty("failed", "?"),
                run.getProperty("command", "bench/run-report")));
        md.append("This is the project's scoreboard: every number below comes from this run; where hmap falls short "
                + "of a target, the Targets section says so. Scores are JMH averages of one fork with short "
                + "iterations on a shared 2-core VM: read them to about ±15 %.\n\n");
        machine();
        targets();
        primitiveTables();
        allocation();
        strings();
        stringOps();
        growthSection();
        memory();
        commands();
    }

    private void machine() {
        md.append("## Machine and versions\n\n| | |\n|---|---|\n");
        for (String k : List.of("cpu", "cores", "ram", "kernel", "thp", "jdk")) {
            String label = switch (k) {
                case "cpu" -> "CPU";
                case "cores" -> "cores (available to the JVM)";
                case "ram" -> "RAM";
                case "thp" -> "transparent huge pages";
                case "jdk" -> "JDK";
                default -> k;
            };
            md.append("| ").append(label).append(" | ").append(run.getProperty(k, "?")).append(" |\n");
        }
        for (String k : new TreeSet<>(run.stringPropertyNames())) {
            if (k.startsWith("version.")) {
                md.append("| ").append(k.substring("version.".length())).append(" | ").append(run.getProperty(k)).append(" |\n");
            }
        }
        md.append("| JVM flags (every fork and child JVM) | `").append(run.getProperty("jvm.flags", "?")).append("` |\n");
        md.append("| JMH settings | `").append(run.getProperty("jmh.settings", "?")).append("` |\n\n");
    }

    // ---- targets ----

    private final List<String[]> targetRows = new ArrayList<>();

    private void target(String what, Boolean met, String numbers) {
        targetRows.add(new String[]{what, met == null ? "not measured" : met ? "**met**" : "**NOT met**", numbers});
    }

    private static String f(Double v) {
        if (v == null) return "–";
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f", v);
    }

    private static String size(int n) {
        return n >= 1_000_000 ? n / 1_000_000 + "M" : n >= 1_000 ? n / 1_000 + "K" : Integer.toString(n);
    }

    private void targets() {
        Map<String, Op> op = new LinkedHashMap<>();
        for (Op o : OPS) op.put(o.id(), o);
        // LongLongMap vs HashMap<Long, Long>: >= 3x on get-hit, get-miss, put (no hint), churn at 1M and 10M.
        for (int n : List.of(1_000_000, 10_000_000)) {
            for (String id : List.of("get-hit", "get-miss", "put", "churn")) {
                Double h = ns(op.get(id), "long", "hmap", n), j = ns(op.get(id), "long", "HashMap", n);
                target("LongLongMap ≥ 3x faster than HashMap<Long,Long>: " + id + " at " + size(n),
                        h == null || j == null ? null : j / h >= 3,
                        h == null || j == null ? "" : f(h) + " vs " + f(j) + " ns: " + f(j / h) + "x");
            }
        }
        // No slower than the fastest primitive peer on get-hit and get-miss.
        for (int n : List.of(1_000_000, 10_000_000)) {
            for (String id : List.of("get-hit", "get-miss")) {
                Double h = ns(op.get(id), "long", "hmap", n);
                String best = null;
                Double bestNs = null;
                for (String p : List.of("fastutil", "agrona", "eclipse")) {
                    Double v = ns(op.get(id), "long", p, n);
                    if (v != null && (bestNs == null || v < bestNs)) {
                        bestNs = v;
                        best = p;
                    }
                }
                target("LongLongMap no slower than the fastest primitive peer: " + id + " at " + size(n),
                        h == null || bestNs == null ? null : h <= bestNs,
                        h == null || bestNs == null ? "" : f(h) + " vs " + best + " " + f(bestNs) + " ns");
            }
        }
        // >= 3x faster than Chronicle Map everywhere (every op and size measured; put: both presized).
        List<String> slower = new ArrayList<>();
        double worst = Double.MAX_VALUE;
        String worstWhere = "";
        int compared = 0;
        for (int n : sizes()) {
            for (Op o : OPS) {
                if (o.id().equals("put")) continue;
                Double h = ns(o, "long", "hmap", n), c = ns(o, "long", "chronicle", n);
                if (h == null || c == null) continue;
                compared++;
                if (c / h < worst) {
                    worst = c / h;
                    worstWhere = o.id() + " at " + size(n) + ": " + f(h) + " vs " + f(c) + " ns";
                }
                if (c / h < 3) slower.add(o.id() + " " + size(n) + " (" + f(c / h) + "x)");
            }
        }
        target("LongLongMap ≥ 3x faster than Chronicle Map everywhere (long keys; put: both presized)",
                compared == 0 ? null : slower.isEmpty(),
                compared == 0 ? "" : compared + " comparisons, least " + f(worst) + "x (" + worstWhere + ")"
                        + (slower.isEmpty() ? "" : "; under 3x: " + String.join(", ", slower)));
        // 0 B/op.
        double maxAlloc = -1;
        String maxWhere = "";
        for (int n : sizes()) {
            for (Op o : OPS) {
                if (o.id().startsWith("put") || o.id().equals("iterate")) continue;
                Double a = alloc(o, "long", "hmap", n);
                if (a != null && a > maxAlloc) {
                    maxAlloc = a;
                    maxWhere = o.id() + " at " + size(n);
                }
            }
        }
        target("LongLongMap allocates 0 B/op (get-hit, get-miss, churn; `-prof gc`)",
                maxAlloc < 0 ? null : maxAlloc < 0.5,
                maxAlloc < 0 ? "" : "largest " + String.format(Locale.ROOT, "%.3f", maxAlloc) + " B/op (" + maxWhere
                        + "); under 0.5 B/op counts as 0 (JMH's own per-iteration allocation spread over the ops)");
        // No put over 1 ms while growing to 10M.
        GrowthLatency.Result g = growth.stream().filter(r -> r.peer().equals("hmap")).findFirst().orElse(null);
        if (g == null || g.n() < 10_000_000) {
            target("LongLongMap: no put over 1 ms while growing from empty to 10M", null,
                    g == null ? "" : "only grown to " + size(g.n()) + " in this profile: " + g.over1ms()
                            + " puts over 1 ms, max " + f(g.max() / 1e6) + " ms");
        } else {
            target("LongLongMap: no put over 1 ms while growing from empty to 10M", g.over1ms() == 0,
                    g.over1ms() + " puts over 1 ms, max " + f(g.max() / 1e6) + " ms, p99.99 " + g.p9999()
                            + " ns; the machine's noise floor: " + (noise == null ? "not measured" : noise[4]
                            + " samples over 1 ms in " + noise[0] + " s with no map"));
        }
        // StringLongMap at 1M.
        int n = 1_000_000;
        for (String[] pair : List.of(new String[]{"hmap-bytes", "HashMap-bytes"}, new String[]{"hmap-chars", "HashMap-chars"})) {
            Double h = stringNs("getHit", pair[0], n), j = stringNs("getHit", pair[1], n);
            target("StringLongMap get-hit ≥ 2x faster than HashMap<String,Long> with the key as "
                            + (pair[0].endsWith("bytes") ? "bytes" : "a CharSequence") + " (1M)",
                    h == null || j == null ? null : j / h >= 2,
                    h == null || j == null ? "" : pair[0] + " " + f(h) + " vs " + pair[1] + " " + f(j) + " ns: " + f(j / h) + "x");
        }
        Double hs = stringNs("getHit", "hmap-String", n), js = stringNs("getHit", "HashMap-String", n);
        target("StringLongMap get-hit with a ready String ≤ HashMap<String,Long> (1M)",
                hs == null || js == null ? null : hs <= js,
                hs == null || js == null ? "" : f(hs) + " vs " + f(js) + " ns");
        String[] sm = stringMemory.stream().filter(r -> r[1].equals("hmap")).findFirst().orElse(null);
        if (sm == null || Integer.parseInt(sm[2]) < 10_000_000) {
            target("StringLongMap ≤ 70 bytes/entry at 10M keys of 16 chars", null,
                    sm == null ? "" : "only measured at " + size(Integer.parseInt(sm[2])) + " keys: "
                            + f(Double.parseDouble(sm[4])) + " B/entry off-heap");
        } else {
            double b = Double.parseDouble(sm[4]) + Math.max(0, Double.parseDouble(sm[5]));
            target("StringLongMap ≤ 70 bytes/entry at 10M keys of 16 chars", b <= 70,
                    f(Double.parseDouble(sm[4])) + " B/entry off-heap (heap delta " + f(Double.parseDouble(sm[5])) + ")");
        }
        long met = targetRows.stream().filter(r -> r[1].equals("**met**")).count();
        long notMet = targetRows.stream().filter(r -> r[1].equals("**NOT met**")).count();
        md.append("## Targets\n\n").append(String.format(Locale.ROOT,
                "%d met, %d not met, %d not measured in this profile.%n%n", met, notMet, targetRows.size() - met - notMet));
        md.append("| target | result | numbers (hmap vs peer) |\n|---|---|---|\n");
        for (String[] r : targetRows) md.append("| ").append(r[0]).append(" | ").append(r[1]).append(" | ").append(r[2]).append(" |\n");
        md.append('\n');
    }

    // ---- tables ----

    private String cell(Double v, Double base) {
        if (v == null) return "–";
        return base == null ? f(v) : f(v) + " (" + f(base / v) + "x)";
    }

    private void primitiveTables() throws IOException {
        if (sizes().isEmpty()) return;
        md.append("## Primitive keys: time per operation\n\nRows are peers, columns map sizes; each cell is ns "
                + "and, in brackets, HashMap's time divided by the peer's (above 1: faster than HashMap). Keys are "
                + "random (fixed seeds), looked up in random order; see each benchmark class's Javadoc.\n\n");
        for (String key : keys()) {
            for (Op o : OPS) {
                Map<String, double[][]> series = new LinkedHashMap<>();
                StringBuilder t = new StringBuilder();
                boolean any = false;
                t.append("| ").append(key).append(" keys |");
                for (int n : sizes()) t.append(' ').append(size(n)).append(" |");
                t.append("\n|---|").append("---|".repeat(sizes().size())).append('\n');
                for (String impl : Peers.NAMES) {
                    List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
                    StringBuilder row = new StringBuilder("| " + impl + " |");
                    boolean rowAny = false;
                    for (int n : sizes()) {
                        Double v = ns(o, key, impl, n);
                        row.append(' ').append(cell(v, ns(o, key, "HashMap", n))).append(" |");
                        if (v != null) {
                            xs.add((double) n);
                            ys.add(v);
                            rowAny = true;
                        }
                    }
                    if (rowAny) t.append(row).append('\n');
                    any |= rowAny;
                    series.put(impl, new double[][]{xs.stream().mapToDouble(d -> d).toArray(), ys.stream().mapToDouble(d -> d).toArray()});
                }
                if (!any) continue;
                md.append("### ").append(o.title()).append(", ").append(key).append(" keys\n\n").append(t).append('\n');
                String png = "ns-" + o.id() + "-" + key + ".png";
                if (Charts.lines(charts.resolve(png), o.title() + ", " + key + " keys", "entries", "ns (log)", series)) {
                    md.append("![").append(o.title()).append("](charts/").append(png).append(")\n\n");
                }
            }
        }
    }

    private void allocation() {
        if (sizes().isEmpty()) return;
        int n = sizes().contains(1_000_000) ? 1_000_000 : sizes().last();
        md.append("## Allocation per operation (B/op, `-prof gc`, ").append(size(n)).append(" entries)\n\n");
        md.append("`gc.alloc.rate.norm`. For put it includes creating (and, for hmap and Chronicle, closing) one map per "
                + "N puts; for iteration it is per entry (one cursor or callback per pass, spread over the entries).\n\n");
        for (String key : keys()) {
            md.append("| ").append(key).append(" keys |");
            for (Op o : OPS) md.append(' ').append(o.id()).append(" |");
            md.append("\n|---|").append("---|".repeat(OPS.size())).append('\n');
            for (String impl : Peers.NAMES) {
                md.append("| ").append(impl).append(" |");
                for (Op o : OPS) {
                    Double a = alloc(o, key, impl, n);
                    md.append(' ').append(a == null ? "–" : String.format(Locale.ROOT, "%.2f", a)).append(" |");
                }
                md.append('\n');
            }
            md.append('\n');
        }
    }

    private Double stringNs(String method, String impl, int size) {
        for (Measurement m : ms) {
            if (m.benchmark().equals("StringGetBench." + method)
                    && (m.param("impl").equals(impl) || m.param("missImpl").equals(impl))
                    && m.param("size").equals(Integer.toString(size))) return m.score();
        }
        return null;
    }

    private void strings() throws IOException {
        TreeSet<Integer> sizes = new TreeSet<>();
        List<String> forms = new ArrayList<>();
        for (Measurement m : ms) {
            if (!m.benchmark().equals("StringGetBench.getHit")) continue;
            sizes.add(Integer.parseInt(m.param("size")));
            if (!forms.contains(m.param("impl"))) forms.add(m.param("impl"));
        }
        if (sizes.isEmpty()) return;
        md.append("## String keys: get (ns/op)\n\nKeys of 8 to 24 random printable ASCII chars. `-String`: a ready "
                + "String; `-chars`: the key in a reused StringBuilder (hmap: `get(CharSequence)`; HashMap: "
                + "`toString()` per lookup); `-bytes`: the key's bytes in a byte[] (hmap: `get(byte[], off, len)`; "
                + "others: a new String per lookup); `-segment`: a MemorySegment slice. In brackets: "
                + "HashMap-String's time divided by this one's.\n\n");
        for (String method : List.of("getHit", "getMiss")) {
            List<String> rows = method.equals("getHit") ? forms : List.of("hmap-String", "HashMap-String");
            StringBuilder t = new StringBuilder("| " + (method.equals("getHit") ? "hit" : "miss") + " |");
            for (int n : sizes) t.append(' ').append(size(n)).append(" |");
            t.append("\n|---|").append("---|".repeat(sizes.size())).append('\n');
            boolean any = false;
            Map<String, List<Double>> bars = new LinkedHashMap<>();
            for (String form : rows) {
                t.append("| ").append(form).append(" |");
                List<Double> ys = new ArrayList<>();
                for (int n : sizes) {
                    Double v = stringNs(method, form, n);
                    any |= v != null;
                    ys.add(v);
                    t.append(' ').append(cell(v, stringNs(method, "HashMap-String", n))).append(" |");
                }
                bars.put(form, ys);
                t.append('\n');
            }
            if (!any) continue;
            md.append(t).append('\n');
            if (method.equals("getHit")) {
                String png = "ns-string-get-hit.png";
                if (Charts.bars(charts.resolve(png), "String get, hit (ns/op)", "ns (log)",
                        sizes.stream().map(ReportWriter::size).toList(), bars, true)) {
                    md.append("![String get](charts/").append(png).append(")\n\n");
                }
            }
        }
    }

    /** StringOpsBench: put (per put), churn (per step) and iteration (per entry) by peer and size. */
    private void stringOps() {
        TreeSet<Integer> sizes = new TreeSet<>();
        for (Measurement m : ms) {
            if (m.benchmark().startsWith("StringOpsBench.")) sizes.add(Integer.parseInt(m.param("size")));
        }
        if (sizes.isEmpty()) return;
        md.append("## String keys: put, churn, iteration\n\n`StringOpsBench`, ready String keys of 8 to 24 "
                + "ASCII chars: put into an empty map without a hint (ns per put, the whole build divided by its "
                + "size), churn (remove one key and insert another, ns per step), one iteration pass (ns per "
                + "entry). In brackets: HashMap's time divided by the peer's.\n\n");
        for (String[] op : new String[][] {{"put", "put, no hint (ns/put)"}, {"churn", "churn (ns/step)"},
                {"iterate", "iteration (ns/entry)"}}) {
            md.append("| ").append(op[1]).append(" |");
            for (int n : sizes) md.append(' ').append(size(n)).append(" |");
            md.append("\n|---|").append("---|".repeat(sizes.size())).append('\n');
            for (String peer : dev.hmap.bench.StringPeers.NAMES) {
                md.append("| ").append(peer).append(" |");
                for (int n : sizes) {
                    md.append(' ').append(cell(stringOpNs(op[0], peer, n), stringOpNs(op[0], "HashMap", n))).append(" |");
                }
                md.append('\n');
            }
            md.append('\n');
        }
    }

    private Double stringOpNs(String method, String peer, int size) {
        for (Measurement m : ms) {
            if (m.benchmark().equals("StringOpsBench." + method) && m.param("impl").equals(peer)
                    && m.param("size").equals(Integer.toString(size))) {
                return method.equals("churn") ? m.score() : m.score() / size;
            }
        }
        return null;
    }

    private void growthSection() throws IOException {
        if (growth.isEmpty()) return;
        int n = growth.getFirst().n();
        md.append("## Growth latency: every put from empty to ").append(size(n)).append(", no hint\n\n");
        md.append("Each put timed with `System.nanoTime()` into an HdrHistogram (`GrowthLatency`, one fresh JVM per "
                + "peer, after three warm-up fills of 1M). HashMap and the open-addressing maps rehash everything at "
                + "once when they double; hmap evacuates two old buckets per write. A pause over 1 ms can also be "
                + "the machine's own: see the noise floor below the table. `*`: Chronicle Map cannot grow, so it is "
                + "presized: its row is puts into a presized map, not growth.\n\n");
        md.append("| peer | p50 ns | p99 ns | p99.9 ns | p99.99 ns | max ms | puts > 1 ms | mean ns | fill s |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        Map<String, List<Double>> bars = new LinkedHashMap<>();
        for (GrowthLatency.Result r : growth) {
            md.append(String.format(Locale.ROOT, "| %s%s | %d | %d | %d | %d | %s | %d | %.0f | %.2f |%n", r.peer(),
                    r.presized() ? "*" : "", r.p50(), r.p99(), r.p999(), r.p9999(), f(r.max() / 1e6), r.over1ms(),
                    r.meanNs(), r.totalS()));
            bars.put(r.peer() + (r.presized() ? "*" : ""), List.of((double) r.p50(), (double) r.p99(), (double) r.p999(),
                    (double) r.p9999(), (double) r.max()));
        }
        md.append('\n');
        md.append(noiseNote()).append("\n\n");
        String png = "growth-latency.png";
        if (Charts.bars(charts.resolve(png), "put latency while growing to " + size(n) + " (ns, log)", "ns (log)",
                List.of("p50", "p99", "p99.9", "p99.99", "max"), bars, true)) {
            md.append("![put latency percentiles](charts/").append(png).append(")\n\n");
        }
        md.append("### GC during the fill and heap while the entries are resident\n\n");
        md.append("Young and old collections (ParallelGC: PS Scavenge, PS MarkSweep) during the measured fill, and the "
                + "heap after the fill: used after full GCs with the map reachable (this includes the tool's key array, "
                + "8 bytes per key, and the JVM's own baseline) and committed.\n\n");
        md.append("| peer | young GCs | young pause total ms | old GCs | old pause total ms | heap used after full GC MB | heap committed MB |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (GrowthLatency.Result r : growth) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %.0f | %.0f |%n", r.peer(), r.youngGcs(),
                    r.youngGcMs(), r.oldGcs(), r.oldGcMs(), r.heapUsed() / 1048576.0, r.heapCommitted() / 1048576.0));
        }
        md.append('\n');
    }

    private String noiseNote() {
        if (noise == null) return "Noise floor: not measured.";
        return String.format(Locale.ROOT, "Noise floor (the same timing around ~300 ns of arithmetic and no map, %d s, "
                + "%,d samples, in a JVM with the same flags): p99.99 %d ns, max %s ms, **%d samples over 1 ms**. "
                + "Pauses there come from the OS, the hypervisor or other load on the machine, not from any map.",
                noise[0], noise[1], noise[2], f(noise[3] / 1e6), noise[4]);
    }

    private void memory() throws IOException {
        if (growth.isEmpty() && stringMemory.isEmpty()) return;
        md.append("## Bytes per entry\n\nhmap: `stats().offHeapBytes() / size`; Chronicle Map: "
                + "`offHeapMemoryUsed() / size`; heap maps: heap used after full GCs minus before the fill, the map "
                + "kept reachable (boxed keys and values and String keys included). In brackets: HashMap's bytes "
                + "divided by the peer's (above 1: smaller than HashMap).\n\n");
        Map<String, List<Double>> bars = new LinkedHashMap<>();
        List<String> cats = new ArrayList<>();
        if (!growth.isEmpty()) {
            Function<String, Double> of = p -> growth.stream().filter(r -> r.peer().equals(p)).map(GrowthLatency.Result::bytesPerEntry).findFirst().orElse(null);
            md.append("| long → long, ").append(size(growth.getFirst().n())).append(" entries | B/entry |\n|---|---|\n");
            for (GrowthLatency.Result r : growth) {
                md.append("| ").append(r.peer()).append(" | ").append(cell(r.bytesPerEntry(), of.apply("HashMap")))
                        .append(" |\n");
            }
            md.append('\n');
            cats.add("long→long " + size(growth.getFirst().n()));
        }
        if (!stringMemory.isEmpty()) {
            String[] first = stringMemory.getFirst();
            Double base = stringMemory.stream().filter(r -> r[1].equals("HashMap"))
                    .map(r -> Double.parseDouble(r[4]) + Double.parseDouble(r[5])).findFirst().orElse(null);
            md.append("| String (").append(first[3]).append(" chars) → long, ").append(size(Integer.parseInt(first[2])))
                    .append(" entries | off-heap B/entry | heap B/entry | total B/entry |\n|---|---|---|---|\n");
            for (String[] r : stringMemory) {
                double off = Double.parseDouble(r[4]), heap = Double.parseDouble(r[5]);
                md.append("| ").append(r[1]).append(" | ").append(f(off)).append(" | ").append(f(heap)).append(" | ")
                        .append(cell(off + Math.max(0, heap), base)).append(" |\n");
            }
            md.append('\n');
            cats.add("String→long " + size(Integer.parseInt(first[2])));
        }
        List<String> peers = new ArrayList<>(List.of(Peers.NAMES));
        for (String p : peers) {
            List<Double> ys = new ArrayList<>();
            if (!growth.isEmpty()) ys.add(growth.stream().filter(r -> r.peer().equals(p)).map(GrowthLatency.Result::bytesPerEntry).findFirst().orElse(null));
            if (!stringMemory.isEmpty()) ys.add(stringMemory.stream().filter(r -> r[1].equals(p))
                    .map(r -> Double.parseDouble(r[4]) + Math.max(0, Double.parseDouble(r[5]))).findFirst().orElse(null));
            bars.put(p, ys);
        }
        String png = "bytes-per-entry.png";
        if (Charts.bars(charts.resolve(png), "bytes per entry", "bytes", cats, bars, false)) {
            md.append("![bytes per entry](charts/").append(png).append(")\n\n");
        }
    }

    private void commands() {
        md.append("## Commands\n\n```\n").append(run.getProperty("command", "bench/run-report")).append("\n```\n\n");
        md.append("runs `java --enable-native-access=ALL-UNNAMED -Xmx2g -cp bench/target/benchmarks.jar "
                + "dev.hmap.bench.report.Report` with the same arguments (that JVM measures nothing). Each benchmark "
                + "is one JMH fork through the Runner API (the fork's JVM flags are the table's above), equivalent "
                + "to these command lines (from the repository root):\n\n<details><summary>"
                + "JMH commands</summary>\n\n```\n").append(run.getProperty("jmh.commands", "")).append("\n```\n\n</details>\n\n");
        md.append("Growth latency and bytes per entry: `GrowthLatency --child -n N PEER` and "
                + "`StringMemory -n N --no-churn PEER` in one child JVM each, with the same JVM flags. Render this "
                + "report again from the saved results: `bench/run-report --from bench/report`.\n");
    }
}
