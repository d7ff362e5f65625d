// SPDX-License-Identifier: Apache-2.0
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
        rs.add(result("StringGetBench.getHit", Map.of("impl", "hmap-bytes", "size", "1000000"), 100, 0));
        rs.add(result("StringGetBench.getHit", Map.of("impl", "HashMap-bytes", "size", "1000000"), 300, 56));
        Files.writeString(dir.resolve("results.json"), "[" + String.join(",", rs) + "]");
        Files.writeString(dir.resolve("growth.txt"),
                "RESULT hmap 10000000 false 100 300 1000 5000 900000 0 40 150.0 1.5 0 0 0 0 0 1000 2000 320000000 32.0\n"
                        + "RESULT HashMap 10000000 false 90 250 900 4000 1200000000 7 40 300.0 3.0 5 800 2 400 880000000 900000000 2000000000 0 88.0\n");
        Files.writeString(dir.resolve("string-memory.txt"), "RESULT hmap 10000000 16 62.40 0.10\nRESULT HashMap 10000000 16 0.00 118.70\n");

        Path md = ReportWriter.write(dir, dir.resolve("results.json"), dir);
        String text = Files.readString(md);

        assertTrue(text.contains("| hmap | 40.0 (5.00x) |"), "get-hit row with the ratio to HashMap");
        assertTrue(text.contains("LongLongMap ≥ 3x faster than HashMap<Long,Long>: get-hit at 1M | **met** | 40.0 vs 200 ns: 5.00x"), text);
        assertTrue(text.contains("no slower than the fastest primitive peer: get-hit at 1M | **met** | 40.0 vs fastutil 50.0 ns"), text);
        assertTrue(text.contains("get-miss at 1M | not measured"), "missing data is not a pass");
        assertTrue(text.contains("Chronicle Map everywhere (long keys; put: both presized) | **met** | 2 comparisons, least 10.0x"), text);
        assertTrue(text.contains("no put over 1 ms while growing from empty to 10M | **met** | 0 puts over 1 ms"), text);
        assertTrue(text.contains("with the key as bytes (1M) | **met** | hmap-bytes 100 vs HashMap-bytes 300 ns: 3.00x"), text);
        assertTrue(text.contains("≤ 70 bytes/entry at 10M keys of 16 chars | **met** | 62.4 B/entry off-heap"), text);
        assertTrue(text.contains("![put latency percentiles](charts/growth-latency.png)"));
        for (String png : List.of("ns-get-hit-long.png", "ns-put-presized-long.png", "growth-latency.png",
                "bytes-per-entry.png", "ns-string-get-hit.png")) {
            Path p = dir.resolve("charts").resolve(png);
            assertTrue(Files.size(p) > 1000, png);
            assertEquals(0x89, Files.readAllBytes(p)[0] & 0xFF, png + " is a PNG");
        }
    }
}
