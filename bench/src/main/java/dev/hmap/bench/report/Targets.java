// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import static dev.hmap.bench.report.ReportWriter.f;
import static dev.hmap.bench.report.ReportWriter.size;

/**
 * The project's targets as data. A {@link Target} names what it checks, the {@link Cell}s of a run it reads
 * (a JMH score, an allocation, a tool's number, or the largest of several), and the {@link Rule} and
 * threshold that decide it; {@link #evaluate} turns each into an {@link Outcome}: met, not met, or not
 * measured (a cell the run does not have, such as a size outside its profile, never counts as met), with
 * the numbers it was decided on. {@link ReportWriter} only renders the outcomes.
 */
final class Targets {
    private Targets() {}

    /** A number of the run, or null where the run did not measure it. */
    sealed interface Cell permits Ns, Alloc, StringGet, StringOp, StringAlloc, Growth, Noise, StringBytes, ManyMaps,
            FileOp, FileAlloc, Reopen, Largest {
        Double value(Results r);

        /** What the number is: {@code hmap get-hit 1M}. */
        String label();

        /** Its unit, with a leading space, or "". */
        String unit();

        /** A number of this cell's kind, with its unit. */
        default String format(double v) {
            return f(v) + unit();
        }

        /** Label and value as the numbers column shows them. */
        default String show(Results r) {
            Double v = value(r);
            return label() + " " + (v == null ? "not measured" : format(v));
        }

        /** The labels of the cells behind this one that the run did not measure. */
        default List<String> missing(Results r) {
            return value(r) == null ? List.of(label()) : List.of();
        }
    }

    /** A primitive-key op's ns/op ({@link Results#OPS} id). */
    record Ns(String op, String key, String impl, int size) implements Cell {
        public Double value(Results r) { return r.ns(Results.op(op), key, impl, size); }
        public String label() { return impl + " " + op + " " + ReportWriter.size(size); }
        public String unit() { return " ns"; }
    }

    /** A primitive-key op's allocation, B/op. */
    record Alloc(String op, String key, String impl, int size) implements Cell {
        public Double value(Results r) { return r.alloc(Results.op(op), key, impl, size); }
        public String label() { return impl + " " + op + " " + ReportWriter.size(size); }
        public String unit() { return " B/op"; }
        @Override public String format(double v) { return String.format(Locale.ROOT, "%.3f B/op", v); }
    }

    /** A StringGetBench score: {@code method} getHit or getMiss, {@code impl} peer-form. */
    record StringGet(String method, String impl, int size) implements Cell {
        public Double value(Results r) { return r.stringNs(method, impl, size); }
        public String label() { return impl + (method.equals("getMiss") ? " miss " : " ") + ReportWriter.size(size); }
        public String unit() { return " ns"; }
    }

    /** A StringOpsBench score: {@code method} put (ns per put), churn (ns per step). */
    record StringOp(String method, String peer, int size) implements Cell {
        public Double value(Results r) { return r.stringOpNs(method, peer, size); }
        public String label() { return peer + " String " + method + " " + ReportWriter.size(size); }
        public String unit() { return " ns"; }
    }

    /** A String benchmark's allocation: {@code benchmark} as {@code StringGetBench.getHit}, B per lookup, step or put. */
    record StringAlloc(String benchmark, String impl, int size) implements Cell {
        public Double value(Results r) { return r.stringAlloc(benchmark, impl, size); }
        public String label() { return impl + " " + benchmark.substring(benchmark.indexOf('.') + 1) + " " + ReportWriter.size(size); }
        public String unit() { return " B/op"; }
        @Override public String format(double v) { return String.format(Locale.ROOT, "%.3f B/op", v); }
    }

    /** What GrowthLatency reports of a peer's fill to {@code n}. */
    enum GrowthStat { P9999, OVER_1MS, BYTES_PER_ENTRY }

    record Growth(String peer, int n, GrowthStat stat) implements Cell {
        public Double value(Results r) {
            var g = r.growth(peer);
            if (g == null || g.n() != n) return null;
            return switch (stat) {
                case P9999 -> (double) g.p9999();
                case OVER_1MS -> (double) g.over1ms();
                case BYTES_PER_ENTRY -> g.bytesPerEntry();
            };
        }
        public String label() {
            return peer + " growth to " + size(n) + switch (stat) {
                case P9999 -> ": p99.99";
                case OVER_1MS -> ": puts over 1 ms";
                case BYTES_PER_ENTRY -> ": bytes/entry";
            };
        }
        public String unit() { return stat == GrowthStat.P9999 ? " ns" : stat == GrowthStat.BYTES_PER_ENTRY ? " B/entry" : ""; }
        @Override public String format(double v) {
            return stat == GrowthStat.BYTES_PER_ENTRY ? f(v) + unit() : String.format(Locale.ROOT, "%,d", (long) v) + unit();
        }
    }

    /** The noise floor of the run: samples over 1 ms of a timed loop that calls no map. */
    record Noise() implements Cell {
        public Double value(Results r) { return r.noise() == null ? null : (double) r.noise()[4]; }
        public String label() { return "the noise floor's samples over 1 ms"; }
        public String unit() { return ""; }
        @Override public String format(double v) { return Long.toString((long) v); }
    }

    /** StringMemory: a peer's bytes per entry (off-heap plus heap) at {@code n} keys. */
    record StringBytes(String peer, int n) implements Cell {
        public Double value(Results r) {
            String[] s = r.stringMemory(peer);
            if (s == null || Integer.parseInt(s[2]) != n) return null;
            return Double.parseDouble(s[4]) + Math.max(0, Double.parseDouble(s[5]));
        }
        public String label() { return peer + " String keys at " + size(n); }
        public String unit() { return " B/entry"; }
    }

    /** ManyMapsBench: ns per map life (create, first put, close) with {@code live} maps alive. */
    record ManyMaps(String impl, int live) implements Cell {
        public Double value(Results r) { return r.manyMapsNs(impl, live); }
        public String label() { return impl + " map life, " + String.format(Locale.ROOT, "%,d", live) + " live"; }
        public String unit() { return " ns"; }
    }

    /** FileBench's name for a method in the report: get-hit, put, churn. */
    static String fileOpName(String method) {
        return switch (method) {
            case "getHit" -> "get-hit";
            case "put" -> "put (presized)";
            default -> method;
        };
    }

    /** A FileBench score: {@code method} getHit, put or churn, ns per op. */
    record FileOp(String method, String impl, int size) implements Cell {
        public Double value(Results r) { return r.fileNs(method, impl, size); }
        public String label() { return impl + " " + fileOpName(method) + " " + ReportWriter.size(size); }
        public String unit() { return " ns"; }
    }

    /** A FileBench allocation, B/op. */
    record FileAlloc(String method, String impl, int size) implements Cell {
        public Double value(Results r) { return r.fileAlloc(method, impl, size); }
        public String label() { return impl + " " + fileOpName(method) + " " + ReportWriter.size(size); }
        public String unit() { return " B/op"; }
        @Override public String format(double v) { return String.format(Locale.ROOT, "%.3f B/op", v); }
    }

    /**
     * A FileReopen score ({@code method} open or close), ms; shown with the same measure of the {@code beside}
     * impls, which do not decide the target but are what it is read against.
     */
    record Reopen(String method, String impl, int size, List<String> beside) implements Cell {
        public Double value(Results r) { return r.reopenMs(method, impl, size); }
        public String label() { return impl + " " + method + " " + ReportWriter.size(size); }
        public String unit() { return " ms"; }
        @Override public String show(Results r) {
            StringBuilder b = new StringBuilder(Cell.super.show(r));
            if (beside.isEmpty()) return b.toString();
            b.append(" (beside ");
            for (int i = 0; i < beside.size(); i++) {
                Double v = r.reopenMs(method, beside.get(i), size);
                b.append(i == 0 ? "" : ", ").append(beside.get(i)).append(' ').append(v == null ? "not measured" : format(v));
            }
            return b.append(')').toString();
        }
    }

    /** The largest of the cells the run measured; not measured only if none was. */
    record Largest(List<Cell> cells) implements Cell {
        Cell pick(Results r) {
            return cells.stream().filter(x -> x.value(r) != null).max(Comparator.comparingDouble(x -> x.value(r))).orElse(null);
        }
        public Double value(Results r) {
            Cell p = pick(r);
            return p == null ? null : p.value(r);
        }
        public String label() { return "the largest of " + cells.size(); }
        public String unit() { return ""; }
        @Override public String format(double v) { return cells.getFirst().format(v); }
        @Override public String show(Results r) {
            Cell p = pick(r);
            if (p == null) return label() + " not measured";
            return p.show(r) + " (the largest of " + cells.stream().filter(x -> x.value(r) != null).count() + " measured)";
        }
        @Override public List<String> missing(Results r) {
            return value(r) == null ? List.of("any of " + cells.stream().map(Cell::label).toList()) : List.of();
        }
    }

    /** How a target's value (and reference) decide it. */
    enum Rule {
        /** value ≤ bound */
        AT_MOST,
        /** value &lt; bound */
        BELOW,
        /** value / reference ≤ bound: "within 1.15x of", "no slower than" (1) */
        RATIO_AT_MOST,
        /** reference / value ≥ bound: "at least 3x faster than" */
        SPEEDUP_AT_LEAST,
        /** reference / value &gt; bound: "faster than" (1) */
        SPEEDUP_ABOVE,
        /** value - reference ≤ bound: "no more than the noise floor" (0) */
        EXCESS_AT_MOST
    }

    /** One target: {@code what} in words, decided by {@code rule} and {@code bound} on {@code value} and {@code reference}. */
    record Target(String what, Cell value, Rule rule, double bound, Cell reference) {
        Target {
            boolean binary = rule != Rule.AT_MOST && rule != Rule.BELOW;
            if (binary != (reference != null)) throw new IllegalArgumentException(rule + " and reference " + reference);
        }
    }

    static Target atMost(String what, Cell value, double bound) {
        return new Target(what, value, Rule.AT_MOST, bound, null);
    }

    static Target below(String what, Cell value, double bound) {
        return new Target(what, value, Rule.BELOW, bound, null);
    }

    static Target ratioAtMost(String what, Cell value, Cell reference, double bound) {
        return new Target(what, value, Rule.RATIO_AT_MOST, bound, reference);
    }

    static Target fasterBy(String what, Cell value, Cell reference, double bound) {
        return new Target(what, value, Rule.SPEEDUP_AT_LEAST, bound, reference);
    }

    static Target faster(String what, Cell value, Cell reference) {
        return new Target(what, value, Rule.SPEEDUP_ABOVE, 1, reference);
    }

    static Target excessAtMost(String what, Cell value, Cell reference, double bound) {
        return new Target(what, value, Rule.EXCESS_AT_MOST, bound, reference);
    }

    enum Status { MET, NOT_MET, NOT_MEASURED }

    /** A target decided on a run: its status and the numbers, as the report prints them. */
    record Outcome(Target target, Status status, String numbers) {}

    static List<Outcome> evaluate(List<Target> targets, Results r) {
        List<Outcome> out = new ArrayList<>();
        for (Target t : targets) out.add(evaluate(t, r));
        return out;
    }

    static Outcome evaluate(Target t, Results r) {
        Double v = t.value().value(r);
        Double ref = t.reference() == null ? null : t.reference().value(r);
        if (v == null || (t.reference() != null && ref == null)) {
            List<String> missing = new ArrayList<>(t.value().missing(r));
            if (t.reference() != null) missing.addAll(t.reference().missing(r));
            return new Outcome(t, Status.NOT_MEASURED, "not in this run: " + String.join(", ", missing));
        }
        String shown = t.value().show(r) + (t.reference() == null ? "" : " vs " + t.reference().show(r));
        double b = t.bound();
        boolean met;
        String verdict;
        switch (t.rule()) {
            case AT_MOST -> { met = v <= b; verdict = "target ≤ " + t.value().format(b); }
            case BELOW -> { met = v < b; verdict = "target < " + t.value().format(b); }
            case RATIO_AT_MOST -> { met = v / ref <= b; verdict = f(v / ref) + "x, target ≤ " + f(b) + "x"; }
            case SPEEDUP_AT_LEAST -> { met = ref / v >= b; verdict = f(ref / v) + "x faster, target ≥ " + f(b) + "x"; }
            case SPEEDUP_ABOVE -> { met = ref / v > b; verdict = f(ref / v) + "x faster, target > " + f(b) + "x"; }
            case EXCESS_AT_MOST -> { met = v - ref <= b; verdict = "target: at most " + t.value().format(b) + " more"; }
            default -> throw new IllegalStateException(t.rule().toString());
        }
        return new Outcome(t, met ? Status.MET : Status.NOT_MET, shown + ": " + verdict);
    }

    // ---- the targets (bench/README.md says where each comes from) ----

    static final int K1 = 1_000, K100 = 100_000, M1 = 1_000_000, M10 = 10_000_000;
    static final String BOUND = dev.hmap.bench.Peers.BOUND;

    static final List<Target> ALL = all();

    private static List<Target> all() {
        List<Target> t = new ArrayList<>();
        // The layout's bound: what hmap's guards, checks and bookkeeping cost above Go's layout alone.
        for (String op : List.of("get-hit", "get-miss")) {
            for (int n : List.of(K1, K100, M1, M10)) {
                t.add(ratioAtMost(op + " within 1.15x of go-bound (long keys, " + size(n) + ")",
                        new Ns(op, "long", "hmap", n), new Ns(op, "long", BOUND, n), 1.15));
            }
        }
        for (int n : List.of(K1, M1)) {
            t.add(ratioAtMost("churn at most 1.5x go-bound's (long keys, " + size(n) + ")",
                    new Ns("churn", "long", "hmap", n), new Ns("churn", "long", BOUND, n), 1.5));
        }
        t.add(ratioAtMost("put into a presized map at most 1.3x go-bound's (long keys, 1M)",
                new Ns("put-presized", "long", "hmap", M1), new Ns("put-presized", "long", BOUND, M1), 1.3));
        // The peers.
        t.add(fasterBy("churn at least 1.5x faster than HashMap<Long,Long> (1M)",
                new Ns("churn", "long", "hmap", M1), new Ns("churn", "long", "HashMap", M1), 1.5));
        t.add(ratioAtMost("put without a hint at most 1.8x fastutil's (long keys, 1M)",
                new Ns("put", "long", "hmap", M1), new Ns("put", "long", "fastutil", M1), 1.8));
        t.add(fasterBy("get-hit at least 3x faster than Chronicle Map (long keys, 1M)",
                new Ns("get-hit", "long", "hmap", M1), new Ns("get-hit", "long", "chronicle", M1), 3));
        t.add(fasterBy("put at least 3x faster than Chronicle Map (long keys, both presized, 1M)",
                new Ns("put-presized", "long", "hmap", M1), new Ns("put-presized", "long", "chronicle", M1), 3));
        // String keys, against HashMap<String, Long>: hmap as built by default, then with stringHashCode(true),
        // where a ready String's cached hash, not its bytes, picks the bucket.
        for (String peer : List.of("hmap", "hmapHashCode")) {
            String how = peer.equals("hmap") ? "" : ", stringHashCode(true)";
            t.add(ratioAtMost("String get with a ready String no slower than HashMap's" + how + " (1M)",
                    new StringGet("getHit", peer + "-String", M1), new StringGet("getHit", "HashMap-String", M1), 1));
            t.add(ratioAtMost("String get-miss at most 1.5x HashMap's" + how + " (1M)",
                    new StringGet("getMiss", peer + "-String", M1), new StringGet("getMiss", "HashMap-String", M1), 1.5));
            for (String op : List.of("put", "churn")) {
                t.add(ratioAtMost("String " + op + " at most 1.5x HashMap's" + how + " (1M)",
                        new StringOp(op, peer, M1), new StringOp(op, "HashMap", M1), 1.5));
            }
        }
        for (String form : List.of("bytes", "chars")) {
            t.add(faster("String get by " + (form.equals("bytes") ? "byte[]" : "CharSequence")
                            + " faster than HashMap building the String (1M)",
                    new StringGet("getHit", "hmap-" + form, M1), new StringGet("getHit", "HashMap-" + form, M1)));
        }
        // Latency while growing without a hint.
        t.add(excessAtMost("growth to 10M: no put over 1 ms beyond the noise floor of the same run",
                new Growth("hmap", M10, GrowthStat.OVER_1MS), new Noise(), 0));
        for (int n : List.of(M1, M10)) {
            t.add(atMost("growth to " + size(n) + ": put p99.99 at most 10 µs",
                    new Growth("hmap", n, GrowthStat.P9999), 10_000));
        }
        // Allocation: hmap's get, put and churn allocate nothing. A put benchmark creates one map per build,
        // which is not a put's allocation, so puts count at 1M and 10M only, where it spreads to ~0.
        List<Cell> longAllocs = new ArrayList<>();
        for (int n : List.of(K1, K100, M1, M10)) {
            for (String op : List.of("get-hit", "get-miss", "churn")) longAllocs.add(new Alloc(op, "long", "hmap", n));
        }
        for (int n : List.of(M1, M10)) {
            for (String op : List.of("put", "put-presized")) longAllocs.add(new Alloc(op, "long", "hmap", n));
        }
        t.add(below("LongLongMap allocates 0 B/op: get, put, churn (under 0.5 B/op counts as 0)", new Largest(longAllocs), 0.5));
        List<Cell> stringAllocs = new ArrayList<>();
        for (int n : List.of(K1, M1)) {
            for (String form : List.of("String", "chars", "bytes", "segment", "bytesStore")) {
                stringAllocs.add(new StringAlloc("StringGetBench.getHit", "hmap-" + form, n));
            }
            stringAllocs.add(new StringAlloc("StringGetBench.getHit", "hmapHashCode-String", n));
            stringAllocs.add(new StringAlloc("StringGetBench.getMiss", "hmap-String", n));
            stringAllocs.add(new StringAlloc("StringGetBench.getMiss", "hmapHashCode-String", n));
            stringAllocs.add(new StringAlloc("StringOpsBench.churn", "hmap", n));
            stringAllocs.add(new StringAlloc("StringOpsBench.churn", "hmapHashCode", n));
        }
        stringAllocs.add(new StringAlloc("StringOpsBench.put", "hmap", M1));
        t.add(below("StringLongMap allocates 0 B/op: get by every key form but a slice made per lookup, put, churn "
                + "(under 0.5 B/op counts as 0)", new Largest(stringAllocs), 0.5));
        // Many small maps: a map's whole life, every step on the calling thread.
        List<Cell> lives = new ArrayList<>();
        for (int live : List.of(1, K100)) {
            for (String impl : List.of("hmap", "hmap-string")) lives.add(new ManyMaps(impl, live));
        }
        t.add(atMost("create + first put + close at most 5 µs (LongLongMap, StringLongMap; 1 and 100,000 maps alive)",
                new Largest(lives), 5_000));
        // File-backed maps (FileBench, FileReopen): the file's price against anonymous memory, Chronicle Map
        // persisted as the other map in a file, and a restart without a reload.
        for (String op : List.of("getHit", "put", "churn")) {
            t.add(ratioAtMost("file-backed " + fileOpName(op) + " within 1.5x of anonymous memory (LongLongMap, 1M)",
                    new FileOp(op, "hmap-file", M1), new FileOp(op, "hmap", M1), 1.5));
        }
        for (String op : List.of("getHit", "put")) {
            for (int n : List.of(M1, M10)) {
                t.add(fasterBy("file-backed " + fileOpName(op) + " at least 2x faster than Chronicle Map persisted ("
                        + size(n) + ")", new FileOp(op, "hmap-file", n), new FileOp(op, "chronicle-file", n), 2));
            }
        }
        t.add(below("reopen of a cleanly closed 10M map (build() + one get) under 10 ms, beside fastutil's reload and "
                + "Chronicle Map's reopen", new Reopen("open", "hmap", M10, List.of("fastutil", "chronicle")), 10));
        List<Cell> fileAllocs = new ArrayList<>();
        for (int n : List.of(M1, M10)) {
            for (String op : List.of("getHit", "put", "churn")) fileAllocs.add(new FileAlloc(op, "hmap-file", n));
        }
        t.add(below("file-backed LongLongMap allocates 0 B/op: get, put, churn (under 0.5 B/op counts as 0)",
                new Largest(fileAllocs), 0.5));
        // Memory.
        t.add(atMost("StringLongMap at most 70 bytes/entry (10M keys of 16 chars)", new StringBytes("hmap", M10), 70));
        t.add(atMost("LongLongMap at most 32.1 bytes/entry (10M)", new Growth("hmap", M10, GrowthStat.BYTES_PER_ENTRY), 32.1));
        return List.copyOf(t);
    }
}
