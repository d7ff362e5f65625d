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
    sealed interface Cell permits Ns, Alloc, StringGet, Growth, StringBytes, Ratio, Extreme {
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

    /** One cell's value divided by another's. */
    record Ratio(Cell a, Cell b) implements Cell {
        public Double value(Results r) {
            Double x = a.value(r), y = b.value(r);
            return x == null || y == null ? null : x / y;
        }
        public String label() { return a.label() + " / " + b.label(); }
        public String unit() { return "x"; }
        @Override public List<String> missing(Results r) {
            List<String> m = new ArrayList<>(a.missing(r));
            m.addAll(b.missing(r));
            return m;
        }
    }

    /** The largest (or smallest) of the cells the run measured; not measured only if none was. */
    record Extreme(boolean largest, List<Cell> cells) implements Cell {
        Cell pick(Results r) {
            Comparator<Cell> c = Comparator.comparingDouble(x -> x.value(r));
            return cells.stream().filter(x -> x.value(r) != null).max(largest ? c : c.reversed()).orElse(null);
        }
        public Double value(Results r) {
            Cell p = pick(r);
            return p == null ? null : p.value(r);
        }
        public String label() { return (largest ? "largest" : "smallest") + " of " + cells.size(); }
        public String unit() { return ""; }
        @Override public String format(double v) { return cells.getFirst().format(v); }
        /** Missing only when none is measured. */
        @Override public List<String> missing(Results r) {
            return value(r) == null ? List.of("any of " + cells.stream().map(Cell::label).toList()) : List.of();
        }
        @Override public String show(Results r) {
            Cell p = pick(r);
            if (p == null) return label() + " not measured";
            long measured = cells.stream().filter(x -> x.value(r) != null).count();
            return p.show(r) + " (" + (largest ? "largest" : "smallest") + " of " + measured + " measured)";
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

    // ---- the targets ----

    static final int K1 = 1_000, M1 = 1_000_000, M10 = 10_000_000;

    static final List<Target> ALL = all();

    private static List<Target> all() {
        List<Target> t = new ArrayList<>();
        for (int n : List.of(M1, M10)) {
            for (String op : List.of("get-hit", "get-miss", "put", "churn")) {
                t.add(fasterBy("LongLongMap ≥ 3x faster than HashMap<Long,Long>: " + op + " at " + size(n),
                        new Ns(op, "long", "hmap", n), new Ns(op, "long", "HashMap", n), 3));
            }
        }
        for (int n : List.of(M1, M10)) {
            for (String op : List.of("get-hit", "get-miss")) {
                List<Cell> peers = new ArrayList<>();
                for (String p : List.of("fastutil", "agrona", "eclipse")) peers.add(new Ns(op, "long", p, n));
                t.add(ratioAtMost("LongLongMap no slower than the fastest primitive peer: " + op + " at " + size(n),
                        new Ns(op, "long", "hmap", n), new Extreme(false, peers), 1));
            }
        }
        List<Cell> vsChronicle = new ArrayList<>();
        for (int n : List.of(K1, M1, M10)) {
            for (String op : List.of("get-hit", "get-miss", "put-presized", "churn", "iterate")) {
                vsChronicle.add(new Ratio(new Ns(op, "long", "hmap", n), new Ns(op, "long", "chronicle", n)));
            }
        }
        t.add(atMost("LongLongMap ≥ 3x faster than Chronicle Map everywhere (long keys; put: both presized)",
                new Extreme(true, vsChronicle), 1 / 3.0));
        List<Cell> allocs = new ArrayList<>();
        for (int n : List.of(K1, M1, M10)) {
            for (String op : List.of("get-hit", "get-miss", "churn")) allocs.add(new Alloc(op, "long", "hmap", n));
        }
        t.add(below("LongLongMap allocates 0 B/op (get-hit, get-miss, churn; under 0.5 B/op counts as 0)",
                new Extreme(true, allocs), 0.5));
        t.add(atMost("LongLongMap: no put over 1 ms while growing from empty to 10M",
                new Growth("hmap", M10, GrowthStat.OVER_1MS), 0));
        t.add(fasterBy("StringLongMap get-hit ≥ 2x faster than HashMap<String,Long> with the key as bytes (1M)",
                new StringGet("getHit", "hmap-bytes", M1), new StringGet("getHit", "HashMap-bytes", M1), 2));
        t.add(fasterBy("StringLongMap get-hit ≥ 2x faster than HashMap<String,Long> with the key as a CharSequence (1M)",
                new StringGet("getHit", "hmap-chars", M1), new StringGet("getHit", "HashMap-chars", M1), 2));
        t.add(ratioAtMost("StringLongMap get-hit with a ready String ≤ HashMap<String,Long> (1M)",
                new StringGet("getHit", "hmap-String", M1), new StringGet("getHit", "HashMap-String", M1), 1));
        t.add(atMost("StringLongMap ≤ 70 bytes/entry at 10M keys of 16 chars", new StringBytes("hmap", M10), 70));
        return List.copyOf(t);
    }
}
