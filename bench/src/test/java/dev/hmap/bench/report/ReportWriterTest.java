package dev.hmap.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report renders from saved results alone: JMH JSON in, Markdown tables, targets and charts out. */
class ReportWriterTest {

    /** One result as JMH's JSON writer lays it out (the fields the report reads, and a "NaN" error). */
    private static String result(String benchmark, Map<String, String> params, double score, double alloc) {
        StringBuilder p = new StringBuilder();
        params.forEach((k, v) -> p.append(p.isEmpty() ? "" : ", ").append('"').append(k).append("\" : \"").append(v).append('"'));
        return """
                {"jmhVersion" : "1.37", "benchmark" : "dev.hmap.bench.%s", "mode" : "avgt", "params" : { %s },
                 "primaryMetric" : { "score" : %s, "scoreError" : "NaN", "scoreUnit" : "ns/op", "rawData" : [[1.0]] },
                 "secondaryMetrics" : { "gc.alloc.rate.norm" : { "score" : %s, "scoreError" : "NaN", "scoreUnit" : "B/op" } } }
                """.formatted(benchmark, p, score, alloc);
    }

    @Test
    void rendersTablesTargetsAndCharts(@TempDir Path dir) throws Exception {
        List<String> rs = new ArrayList<>();
        String[] peers = {"hmap", "HashMap", "fastutil", "agrona", "eclipse", "chronicle"};
        double[] hit = {40, 200, 50, 60, 70, 400};
        for (int i = 0; i < peers.length; i++) {
            rs.add(result("GetHitBench.getHit", Map.of("key", "long", "impl", peers[i], "size", "1000000"), hit[i],
                    peers[i].equals("HashMap") ? 24 : 0.001));
            rs.add(result("PutBench.put1M", Map.of("key", "long", "impl", peers[i], "hint", "presized"), hit[i] * 2, 0));
        }
        rs.add(result("GetHitBench.getHit", Map.of("key", "long", "impl", "go-bound", "size", "1000000"), 36, 0));
        rs.add(result("StringGetBench.getHit", Map.of("impl", "hmap-bytes", "size", "1000000"), 100, 0));
        rs.add(result("StringGetBench.getHit", Map.of("impl", "HashMap-bytes", "size", "1000000"), 300, 56));
        rs.add(result("StringGetBench.getHit", Map.of("impl", "hmap-chars", "size", "1000000"), 150, 0));
        rs.add(result("StringGetBench.getHit", Map.of("impl", "HashMap-chars", "size", "1000000"), 200, 56));
        Files.writeString(dir.resolve("results.json"), "[" + String.join(",", rs) + "]");
        Files.writeString(dir.resolve("growth.txt"),
                "RESULT hmap 10000000 false 100 300 1000 5000 900000 0 40 150.0 1.5 0 0 0 0 0 1000 2000 320000000 32.0\n"
                        + "RESULT HashMap 10000000 false 90 250 900 4000 1200000000 7 40 300.0 3.0 5 800 2 400 880000000 900000000 2000000000 0 88.0\n");
        Files.writeString(dir.resolve("string-memory.txt"), "RESULT hmap 10000000 16 62.40 0.10\nRESULT HashMap 10000000 16 0.00 118.70\n");

        Path md = ReportWriter.write(dir, dir.resolve("results.json"), dir);
        String text = Files.readString(md);

        assertTrue(text.contains("| hmap | 40.0 (5.00x) |\n| go-bound | 36.0 (5.56x) |"), "get-hit rows with the ratio to HashMap");
        assertTrue(text.contains("| get-hit | 40.0 / 36.0 = **1.11x** |\n| get-miss | – |"), "hmap's ratio to the bound");
        assertTrue(text.contains("| LongLongMap ≥ 3x faster than HashMap<Long,Long>: get-hit at 1M | **met** | "
                + "hmap get-hit 1M 40.0 ns vs HashMap get-hit 1M 200 ns: 5.00x faster, target ≥ 3.00x |"), text);
        assertTrue(text.contains("no slower than the fastest primitive peer: get-hit at 1M | **met** | hmap get-hit 1M 40.0 ns "
                + "vs fastutil get-hit 1M 50.0 ns (smallest of 3 measured): 0.80x, target ≤ 1.00x |"), text);
        assertTrue(text.contains("get-miss at 1M | not measured | not in this run: hmap get-miss 1M, HashMap get-miss 1M |"),
                "missing data is not a pass");
        assertTrue(text.contains("Chronicle Map everywhere (long keys; put: both presized) | **met** | hmap get-hit 1M / "
                + "chronicle get-hit 1M 0.10x (largest of 2 measured): target ≤ 0.33x |"), text);
        assertTrue(text.contains("no put over 1 ms while growing from empty to 10M | **met** | hmap growth to 10M: puts over 1 ms 0: target ≤ 0 |"), text);
        assertTrue(text.contains("with the key as bytes (1M) | **met** | hmap-bytes 1M 100 ns vs HashMap-bytes 1M 300 ns: 3.00x faster"), text);
        assertTrue(text.contains("with the key as a CharSequence (1M) | **NOT met** | hmap-chars 1M 150 ns vs HashMap-chars 1M 200 ns: "
                + "1.33x faster, target ≥ 2.00x |"), text);
        assertTrue(text.contains("≤ 70 bytes/entry at 10M keys of 16 chars | **met** | hmap String keys at 10M 62.5 B/entry: target ≤ 70.0 B/entry |"), text);
        assertTrue(text.contains("7 met, 1 not met, 11 not measured in this profile."), text);
        assertTrue(text.contains("![put latency percentiles](charts/growth-latency.png)"));
        for (String png : List.of("ns-get-hit-long.png", "ns-put-presized-long.png", "growth-latency.png",
                "bytes-per-entry.png", "ns-string-get-hit.png")) {
            Path p = dir.resolve("charts").resolve(png);
            assertTrue(Files.size(p) > 1000, png);
            assertEquals(0x89, Files.readAllBytes(p)[0] & 0xFF, png + " is a PNG");
        }
    }
}
