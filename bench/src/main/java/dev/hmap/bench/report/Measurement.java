// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One JMH result: the benchmark (class and method, e.g. {@code GetHitBench.getHit}), its parameters, the
 * score and error in {@code unit}, and the allocation per op from {@code -prof gc}
 * ({@code gc.alloc.rate.norm}, B/op; NaN when the run had no GC profiler).
 */
record Measurement(String benchmark, Map<String, String> params, double score, double error, String unit,
                   double allocPerOp) {

    String param(String name) {
        return params.getOrDefault(name, "");
    }

    /** Every result of a JMH JSON result file (the array JMH writes with {@code -rf json}). */
    @SuppressWarnings("unchecked")
    static List<Measurement> fromJmhJson(String json) {
        List<Measurement> out = new ArrayList<>();
        for (Object o : (List<Object>) Json.parse(json)) {
            Map<String, Object> r = (Map<String, Object>) o;
            String name = (String) r.get("benchmark");
            String[] parts = name.split("\\.");
            String bench = parts[parts.length - 2] + "." + parts[parts.length - 1];
            Map<String, String> params = new TreeMap<>();
            Object ps = r.get("params");
            if (ps instanceof Map<?, ?> pm) pm.forEach((k, v) -> params.put((String) k, String.valueOf(v)));
            Map<String, Object> primary = (Map<String, Object>) r.get("primaryMetric");
            double alloc = Double.NaN;
            Object sec = r.get("secondaryMetrics");
            if (sec instanceof Map<?, ?> sm && sm.get("gc.alloc.rate.norm") instanceof Map<?, ?> a) {
                alloc = number(a.get("score"));
            }
            out.add(new Measurement(bench, params, number(primary.get("score")), number(primary.get("scoreError")),
                    (String) primary.get("scoreUnit"), alloc));
        }
        return out;
    }

    private static double number(Object o) {
        return o instanceof Double d ? d : Double.NaN; // JMH writes "NaN" for a missing error
    }
}
