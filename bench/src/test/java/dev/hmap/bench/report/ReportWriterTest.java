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
        rs.add(result("GetHitBench.getHit", Map.of("key", "long", "impl", "go-bound", "size", "1000000"), 36, 0));
        rs.add(result("PutBench.put1M", Map.of("key", "long", "impl", "go-bound", "hint", "presized"), 70, 0));
        rs.add(result("GetMissBench.getMiss", Map.of("key", "long", "impl", "hmap", "size", "1000000"), 30, 0));
        rs.add(result("GetMissBench.getMiss", Map.of("key", "long", "impl", "go-bound", "size", "1000000"), 20, 0));
        rs.add(result("StringGetBench.getHit", Map.of("impl", "hmap-bytes", "size", "1000000"), 100, 0));
        rs.add(result("StringGetBench.getHit", Map.of("impl", "HashMap-bytes", "size", "1000000"), 300, 56));
        rs.add(result("StringGetBench.getHit", Map.of("impl", "hmap-String", "size", "1000000"), 120, 0));
        rs.add(result("StringGetBench.getHit", Map.of("impl", "HashMap-String", "size", "1000000"), 100, 0));
        rs.add(result("StringGetBench.getHit", Map.of("impl", "hmapHashCode-String", "size", "1000000"), 95, 0));
        rs.add(result("ManyMapsBench.cycle", Map.of("impl", "hmap", "live", "100000"), 1500, 380));
        rs.add(result("ManyMapsBench.cycle", Map.of("impl", "hmap-string", "live", "100000"), 2500, 390));
        rs.add(result("ManyMapsBench.cycle", Map.of("impl", "HashMap", "live", "100000"), 300, 208));
        for (String impl : List.of("hmap", "in-memory", "rocksdb", "hmap-map")) {
            rs.add(result("KafkaStoreBench.get", Map.of("impl", impl, "size", "1000000"), impl.equals("hmap") ? 500 : 900, 120));
        }
        rs.add(result("KafkaRangeBench.range", Map.of("impl", "hmap", "size", "1000000"), 210, 9000));
        rs.add(result("KafkaTopologyBench.aggregate", Map.of("impl", "rocksdb", "keys", "100000"), 58000, 4000));
        String[] fileImpls = {"hmap", "hmap-file", "chronicle-file"};
        double[] fileGet = {40, 44, 400}, filePut = {60, 100, 150};
        for (int i = 0; i < fileImpls.length; i++) {
            double alloc = i == 2 ? 48 : 0.1;
            rs.add(result("FileBench.getHit", Map.of("impl", fileImpls[i], "size", "1000000"), fileGet[i], i == 2 ? 48 : 0));
            rs.add(result("FileBench.put", Map.of("impl", fileImpls[i], "size", "1000000"), filePut[i], alloc));
        }
        rs.add(result("FileReopen.open", Map.of("impl", "hmap", "size", "10000000"), 2.5, 34000));
        rs.add(result("FileReopen.open", Map.of("impl", "fastutil", "size", "10000000"), 600, 335544320));
        rs.add(result("FileReopen.open", Map.of("impl", "chronicle", "size", "10000000"), 7, 20000));
        rs.add(result("FileReopen.close", Map.of("impl", "hmap", "size", "10000000"), 1.5, 0));
        Files.writeString(dir.resolve("results.json"), "[" + String.join(",", rs) + "]");
        Files.writeString(dir.resolve("kafka-fill.txt"), "RESULT in-memory 1000000 900.0 1200.0 12 340 1 800 30 900 2 1500 230.5 10.0\n");
        Files.writeString(dir.resolve("growth.txt"),
                "RESULT hmap 10000000 false 100 300 1000 5000 900000 0 40 150.0 1.5 0 0 0 0 0 1000 2000 320000000 32.0\n"
                        + "RESULT HashMap 10000000 false 90 250 900 4000 1200000000 7 40 300.0 3.0 5 800 2 400 880000000 900000000 2000000000 0 88.0\n");
        Files.writeString(dir.resolve("string-memory.txt"), "RESULT hmap 10000000 16 62.40 0.10\nRESULT HashMap 10000000 16 0.00 118.70\n");
        Files.writeString(dir.resolve("noise.txt"), "RESULT 5 1000000 2000 1500000 1\n"); // seconds samples p99.99 max over1ms

        Path md = ReportWriter.write(dir, dir.resolve("results.json"), dir);
        String text = Files.readString(md);

        assertTrue(text.contains("| hmap | 40.0 (5.00x) |\n| go-bound | 36.0 (5.56x) |"), "get-hit rows with the ratio to HashMap");
        assertTrue(text.contains("| get-hit | 40.0 / 36.0 = **1.11x** |\n| get-miss | 30.0 / 20.0 = **1.50x** |"),
                "hmap's ratio to the bound");
        // Targets: met, not met and not measured, each with the numbers it was decided on.
        for (String row : List.of(
                "| get-hit within 1.15x of go-bound (long keys, 1M) | **met** | hmap get-hit 1M 40.0 ns vs go-bound get-hit 1M 36.0 ns: 1.11x, target ≤ 1.15x |",
                "| get-miss within 1.15x of go-bound (long keys, 1M) | **NOT met** | hmap get-miss 1M 30.0 ns vs go-bound get-miss 1M 20.0 ns: 1.50x, target ≤ 1.15x |",
                "| get-hit within 1.15x of go-bound (long keys, 10M) | not measured | not in this run: hmap get-hit 10M, go-bound get-hit 10M |",
                "| put into a presized map at most 1.3x go-bound's (long keys, 1M) | **met** | hmap put-presized 1M 80.0 ns vs go-bound put-presized 1M 70.0 ns: 1.14x, target ≤ 1.30x |",
                "| get-hit at least 3x faster than Chronicle Map (long keys, 1M) | **met** | hmap get-hit 1M 40.0 ns vs chronicle get-hit 1M 400 ns: 10.0x faster, target ≥ 3.00x |",
                "| String get with a ready String no slower than HashMap's (1M) | **NOT met** | hmap-String 1M 120 ns vs HashMap-String 1M 100 ns: 1.20x, target ≤ 1.00x |",
                "| String get with a ready String no slower than HashMap's, stringHashCode(true) (1M) | **met** | hmapHashCode-String 1M 95.0 ns vs HashMap-String 1M 100 ns: 0.95x, target ≤ 1.00x |",
                "| String get by byte[] faster than HashMap building the String (1M) | **met** | hmap-bytes 1M 100 ns vs HashMap-bytes 1M 300 ns: 3.00x faster, target > 1.00x |",
                "| String get by CharSequence faster than HashMap building the String (1M) | not measured | not in this run: hmap-chars 1M, HashMap-chars 1M |",
                "| growth to 10M: no put over 1 ms beyond the noise floor of the same run | **met** | hmap growth to 10M: puts over 1 ms 0 vs the noise floor's samples over 1 ms 1: target: at most 0 more |",
                "| growth to 10M: put p99.99 at most 10 µs | **met** | hmap growth to 10M: p99.99 5,000 ns: target ≤ 10,000 ns |",
                "| growth to 1M: put p99.99 at most 10 µs | not measured | not in this run: hmap growth to 1M: p99.99 |",
                "| LongLongMap allocates 0 B/op: get, put, churn (under 0.5 B/op counts as 0) | **met** | hmap get-hit 1M 0.001 B/op (the largest of 3 measured): target < 0.500 B/op |",
                "| create + first put + close at most 5 µs (LongLongMap, StringLongMap; 1 and 100,000 maps alive) | **met** | hmap-string map life, 100,000 live 2500 ns (the largest of 2 measured): target ≤ 5000 ns |",
                "| StringLongMap at most 70 bytes/entry (10M keys of 16 chars) | **met** | hmap String keys at 10M 62.5 B/entry: target ≤ 70.0 B/entry |",
                "| LongLongMap at most 32.1 bytes/entry (10M) | **met** | hmap growth to 10M: bytes/entry 32.0 B/entry: target ≤ 32.1 B/entry |",
                "| file-backed get-hit within 1.5x of anonymous memory (LongLongMap, 1M) | **met** | hmap-file get-hit 1M 44.0 ns vs hmap get-hit 1M 40.0 ns: 1.10x, target ≤ 1.50x |",
                "| file-backed put (presized) within 1.5x of anonymous memory (LongLongMap, 1M) | **NOT met** | hmap-file put (presized) 1M 100 ns vs hmap put (presized) 1M 60.0 ns: 1.67x, target ≤ 1.50x |",
                "| file-backed churn within 1.5x of anonymous memory (LongLongMap, 1M) | not measured | not in this run: hmap-file churn 1M, hmap churn 1M |",
                "| file-backed get-hit at least 2x faster than Chronicle Map persisted (1M) | **met** | hmap-file get-hit 1M 44.0 ns vs chronicle-file get-hit 1M 400 ns: 9.09x faster, target ≥ 2.00x |",
                "| file-backed put (presized) at least 2x faster than Chronicle Map persisted (1M) | **NOT met** | hmap-file put (presized) 1M 100 ns vs chronicle-file put (presized) 1M 150 ns: 1.50x faster, target ≥ 2.00x |",
                "| reopen of a cleanly closed 10M map (build() + one get) under 10 ms, beside fastutil's reload and Chronicle Map's reopen | **met** | hmap open 10M 2.50 ms (beside fastutil 600 ms, chronicle 7.00 ms): target < 10.0 ms |",
                "| file-backed LongLongMap allocates 0 B/op: get, put, churn (under 0.5 B/op counts as 0) | **met** | hmap-file put (presized) 1M 0.100 B/op (the largest of 2 measured): target < 0.500 B/op |")) {
            assertTrue(text.contains(row), row + "\n\nin:\n" + text);
        }
        assertTrue(text.contains("17 met, 4 not met, 21 not measured in this profile."), text);
        // The file-backed section: each impl's time over anonymous hmap's and its allocation; reopen and close.
        for (String row : List.of("| get-hit: hmap-file | 44.0 (1.10x), 0.00 B | – |", "| put (presized): chronicle-file | 150 (2.50x), 48.00 B | – |",
                "| hmap | – | – | 2.50 (33.2 KB) | 1.50 |", "| fastutil | – | – | 600 (320 MB) | – |")) {
            assertTrue(text.contains(row), row + "\n\nin:\n" + text);
        }
        // The Kafka Streams section: store ops with allocation, ranges, the driver's aggregation, GC totals.
        for (String row : List.of("| hmap | 500 (120 B) |", "| hmap-map | 900 (120 B) |", "| hmap | 210 |\n| in-memory | – |",
                "| rocksdb | 58.0 |", "| in-memory | 1M | 900.0 | 12 (340) / 1 (800) | 1200.0 | 30 (900) / 2 (1500) | 230.5 | 10.0 |")) {
            assertTrue(text.contains(row), row + "\n\nin:\n" + text);
        }
        assertTrue(text.contains("![put latency percentiles](charts/growth-latency.png)"));
        for (String png : List.of("ns-get-hit-long.png", "ns-put-presized-long.png", "growth-latency.png",
                "bytes-per-entry.png", "ns-string-get-hit.png")) {
            Path p = dir.resolve("charts").resolve(png);
            assertTrue(Files.size(p) > 1000, png);
            assertEquals(0x89, Files.readAllBytes(p)[0] & 0xFF, png + " is a PNG");
        }
    }
}
