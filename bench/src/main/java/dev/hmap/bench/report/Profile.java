// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench.report;

import dev.hmap.bench.Peers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a report run measures: the JMH jobs (one fork each: a benchmark method and one value per
 * parameter) and the tool jobs ({@code GrowthLatency}, {@code StringMemory}, one child JVM per peer), with
 * an estimate of each one's wall time on this project's 2-core VM, from which the start-up estimate and the
 * progress line's eta come.
 *
 * <ul>
 *   <li>{@code quick} (about 6 minutes): 1M entries, long keys, every peer, and go-bound beside hmap;
 *       String keys at 1M for hmap's three key forms (and a ready String with {@code stringHashCode(true)}) and HashMap's, misses of both, and put, churn and
 *       iteration for every String peer; growth latency and bytes per entry at 1M. The targets at other sizes show as not
 *       measured. hmap's Kafka Streams store beside Kafka's in-memory and RocksDB stores at 1M (get, put, a
 *       range; the TopologyTestDriver aggregation at 100K keys; GC totals of a 1M fill). File-backed maps at
 *       1M: get, presized put and churn of hmap in a file beside anonymous hmap and Chronicle Map persisted; the
 *       reopen beside fastutil's reload and Chronicle Map's reopen (single shots, -wi 3 -i 5).</li>
 *   <li>{@code full} (about 45-60 minutes): 1K, 1M and 10M entries, every peer; long and int keys every op;
 *       go-bound beside hmap at 1K, 100K, 1M and 10M (get-hit, get-miss, churn, presized put); String keys:
 *       every lookup form, put, churn and iteration at 1K and 1M; growth latency and bytes per entry at 10M;
 *       the Kafka Streams stores at 1M and 10M (the aggregation at 1M keys, GC totals of a 10M fill); the
 *       file-backed maps at 1M and 10M, their reopen and close (single shots, -wi 5 -i 10). With
 *       {@code --with-100m}, long-key get/churn/iteration also at 100M (hours, and HashMap may not fit
 *       the 12 GB heap).</li>
 * </ul>
 */
record Profile(String name, int warmups, int iterations, List<Job> jobs) {

    /** One measurement of the plan. */
    sealed interface Job permits JmhJob, ToolJob {
        String label();

        double estimateSeconds();
    }

    /** One JMH fork: {@code benchmark} is {@code Class.method}. */
    record JmhJob(String benchmark, Map<String, String> params, int warmups, int iterations, double estimateSeconds)
            implements Job {
        public String label() {
            StringBuilder b = new StringBuilder(benchmark);
            params.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
            return b.toString();
        }
    }

    /**
     * One child JVM of a tool: {@code growth} (GrowthLatency), {@code string-memory} (StringMemory),
     * {@code kafka-fill} (KafkaStoreFill) or {@code noise} (GrowthLatency's noise floor, {@code n} seconds).
     */
    record ToolJob(String tool, String peer, int n, double estimateSeconds) implements Job {
        public String label() {
            return tool + " peer=" + peer + " n=" + n;
        }
    }

    /** How long the noise floor (a timed loop that calls no map) runs. */
    static final int NOISE_SECONDS = 5;
    static final int K1 = 1_000, K100 = 100_000, M1 = 1_000_000, M10 = 10_000_000, M100 = 100_000_000;
    /** The misses measured: hmap's two hashings and HashMap, ready Strings. */
    static final List<String> STRING_MISS_FORMS = List.of("hmap-String", "hmapHashCode-String", "HashMap-String");
    static final String[] STRING_FORMS = {"hmap-String", "hmapHashCode-String", "hmapHashCode-bytes", "hmap-chars", "hmap-bytes", "hmap-segment",
            "hmap-segmentSlice", "hmap-bytesStore", "HashMap-String", "HashMap-chars", "HashMap-bytes", "fastutil-String",
            "fastutil-bytes", "agrona-String", "eclipse-String"};
    static final String[] QUICK_STRING_FORMS = {"hmap-String", "hmapHashCode-String", "hmap-chars", "hmap-bytes", "HashMap-String",
            "HashMap-chars", "HashMap-bytes"};
    /** ManyMapsBench's implementations (its {@code impl} parameter). */
    static final List<String> MANY_MAPS_IMPLS = List.of("hmap", "hmap-string", "HashMap", "fastutil", "agrona");
    /** The lookups and churn, each one JMH job per key kind, peer and size. */
    static final List<String> MAP_BENCHES = List.of("GetHitBench.getHit", "GetMissBench.getMiss", "ChurnBench.churn",
            "IterateBench.iterate");

    static Profile of(String name, boolean with100m) {
        return switch (name) {
            case "quick" -> files(kafka(build(name, 1, 2, new int[]{M1}, new int[]{M1}, List.of("long"), QUICK_STRING_FORMS,
                    new int[]{M1}, true, M1, List.of("hmap", "HashMap"), new int[]{K100}, false), new int[]{M1}, K100, M1),
                    new int[]{M1}, 3, 5, false);
            case "full" -> files(kafka(build(name, 1, 3, new int[]{K1, M1, M10}, new int[]{K1, K100, M1, M10}, List.of("long", "int"),
                    STRING_FORMS, new int[]{K1, M1}, true, M10, List.of(dev.hmap.bench.StringPeers.NAMES),
                    new int[]{1, K100}, with100m), new int[]{M1, M10}, M1, M10), new int[]{M1, M10}, 5, 10, true);
            default -> throw new IllegalArgumentException("profile must be quick or full: " + name);
        };
    }

    /**
     * {@code sizes}: every peer, every op; {@code boundSizes}: go-bound beside hmap (long keys: get-hit, get-miss,
     * churn, presized put), and hmap too at a size the peers are not measured at.
     */
    private static Profile build(String name, int wi, int it, int[] sizes, int[] boundSizes, List<String> kinds,
                                 String[] stringForms, int[] stringSizes, boolean stringMiss, int toolN,
                                 List<String> stringMemoryPeers, int[] manyMapsLive, boolean with100m) {
        List<Job> jobs = new ArrayList<>();
        for (String key : kinds) {
            for (int size : sizes) {
                for (String bench : MAP_BENCHES) {
                    for (String impl : Peers.NAMES) jobs.add(mapJob(bench, key, impl, size, wi, it));
                }
                for (String hint : List.of("none", "presized")) {
                    for (String impl : Peers.NAMES) {
                        if (hint.equals("none") && !Peers.growable(impl)) continue;
                        jobs.add(putJob(key, impl, hint, size, wi, it));
                    }
                }
            }
        }
        for (int size : boundSizes) {
            boolean peersThere = java.util.Arrays.stream(sizes).anyMatch(n -> n == size);
            for (String impl : peersThere ? List.of(Peers.BOUND) : List.of("hmap", Peers.BOUND)) {
                for (String bench : MAP_BENCHES.subList(0, 3)) jobs.add(mapJob(bench, "long", impl, size, wi, it));
                jobs.add(putJob("long", impl, "presized", size, wi, it));
            }
        }
        if (with100m) {
            for (String bench : MAP_BENCHES.subList(0, 3)) {
                for (String impl : Peers.NAMES) jobs.add(mapJob(bench, "long", impl, M100, wi, it));
            }
        }
        for (int size : stringSizes) {
            for (String form : stringForms) {
                jobs.add(new JmhJob("StringGetBench.getHit", params("impl", form, "size", size), wi, it,
                        forkSeconds(size, 1.5) + wi + it));
            }
            for (String bench : List.of("StringOpsBench.put", "StringOpsBench.churn", "StringOpsBench.iterate")) {
                for (String peer : dev.hmap.bench.StringPeers.NAMES) {
                    jobs.add(new JmhJob(bench, params("impl", peer, "size", size), wi, it,
                            forkSeconds(size, 1.5) + (wi + it) * (bench.endsWith("put") ? Math.max(1, size * 1e-6) : 1)));
                }
            }
            if (stringMiss) {
                for (String form : STRING_MISS_FORMS) {
                    jobs.add(new JmhJob("StringGetBench.getMiss", params("missImpl", form, "size", size), wi, it,
                            forkSeconds(size, 1.5) + wi + it));
                }
            }
        }
        // Many small maps: a map's whole life (create, first put, close), hmap's two kinds beside the peers.
        for (int live : manyMapsLive) {
            for (String impl : MANY_MAPS_IMPLS) {
                jobs.add(new JmhJob("ManyMapsBench.cycle", params("impl", impl, "live", live), wi, it,
                        forkSeconds(live, 1) + wi + it));
            }
        }
        jobs.add(new ToolJob("noise", "none", NOISE_SECONDS, NOISE_SECONDS + 1));
        for (String peer : Peers.NAMES) jobs.add(new ToolJob("growth", peer, toolN, toolN / 1e6 * 4 + 3));
        for (String peer : stringMemoryPeers) {
            jobs.add(new ToolJob("string-memory", peer, toolN, toolN / 1e6 * 2.5 + 3));
        }
        return new Profile(name, wi, it, jobs);
    }

    /**
     * The Kafka Streams stores ({@code dev.hmap.bench.KafkaStores}): get and put at {@code sizes} for the three
     * stores and the bare map (the guard's baseline), a 100-key range, the TopologyTestDriver aggregation at
     * {@code topologyKeys} keys, and the fill-and-overwrite tool with its GC totals at {@code fillN}.
     */
    private static Profile kafka(Profile p, int[] sizes, int topologyKeys, int fillN) {
        List<Job> jobs = new ArrayList<>(p.jobs());
        int wi = p.warmups(), it = p.iterations();
        for (int size : sizes) {
            for (String bench : List.of("KafkaStoreBench.get", "KafkaStoreBench.put")) {
                for (String impl : KAFKA_STORES) {
                    jobs.add(new JmhJob(bench, params("impl", impl, "size", size), wi, it,
                            forkSeconds(size, kafkaFill(impl)) + wi + it));
                }
            }
            for (String impl : KAFKA_STORES.subList(0, 3)) {
                jobs.add(new JmhJob("KafkaRangeBench.range", params("impl", impl, "size", size), wi, it,
                        forkSeconds(size, kafkaFill(impl)) + wi + it));
            }
        }
        for (String impl : KAFKA_STORES.subList(0, 3)) {
            jobs.add(new JmhJob("KafkaTopologyBench.aggregate", params("impl", impl, "keys", topologyKeys), wi, it,
                    forkSeconds(topologyKeys, impl.equals("rocksdb") ? 60 : 12) + wi + it));
        }
        for (String impl : KAFKA_STORES.subList(0, 3)) {
            jobs.add(new ToolJob("kafka-fill", impl, fillN, 3 + fillN * 1e-6 * kafkaFill(impl) * 2));
        }
        return new Profile(p.name(), p.warmups(), p.iterations(), jobs);
    }

    /** FileBench's impls: hmap in anonymous memory (the baseline), in a file, and Chronicle Map persisted. */
    static final List<String> FILE_IMPLS = List.of("hmap", "hmap-file", "chronicle-file");
    /** FileBench's methods, in table order. */
    static final List<String> FILE_OPS = List.of("getHit", "put", "churn");
    /** FileReopen's impls: hmap read-write (the target's), read-only, fastutil reloading, Chronicle Map reopening. */
    static final List<String> REOPEN_IMPLS = List.of("hmap", "hmap-readonly", "fastutil", "chronicle");

    /**
     * File-backed maps ({@code dev.hmap.bench.FileBench}, {@code FileReopen}): get, presized put and churn of
     * hmap in a file beside anonymous hmap and Chronicle Map persisted, at {@code sizes}; the reopen (and, with
     * {@code closes}, the close) at the same sizes, single shots, {@code reopenWi} warm-ups and {@code reopenIt}
     * samples (the profile's 1 s iterations mean nothing to a single shot).
     */
    private static Profile files(Profile p, int[] sizes, int reopenWi, int reopenIt, boolean closes) {
        List<Job> jobs = new ArrayList<>(p.jobs());
        int wi = p.warmups(), it = p.iterations();
        for (int size : sizes) {
            for (String op : FILE_OPS) {
                // A 10M build takes 2-6 s of puts: 2 + 6 iterations of 1 s measure about all of one or two builds,
                // not only their first millions.
                boolean longPut = op.equals("put") && size >= M10;
                int owi = longPut ? 2 : wi, oit = longPut ? 6 : it;
                for (String impl : FILE_IMPLS) {
                    // Seconds per million entries to make the keys and fill (and sync) the map, measured on 2 cores.
                    double fill = op.equals("put") ? 0.1 : impl.equals("chronicle-file") ? 1 : 0.3;
                    jobs.add(new JmhJob("FileBench." + op, params("impl", impl, "size", size), owi, oit,
                            forkSeconds(size, fill) + owi + oit));
                }
            }
        }
        for (int size : sizes) {
            for (String method : closes ? List.of("open", "close") : List.of("open")) {
                for (String impl : REOPEN_IMPLS) {
                    if (method.equals("close") && impl.equals("fastutil")) continue; // nothing to close
                    // Setup writes the file (Chronicle Map also starts up slowly); each sample is an open (fastutil:
                    // a reload) and a full GC after it. Measured on 2 cores.
                    double build = impl.equals("chronicle") ? 0.9 : impl.equals("fastutil") ? 0.1 : 0.35;
                    double sample = 0.05 + (impl.equals("fastutil") ? size * 0.07e-6 : 0);
                    jobs.add(new JmhJob("FileReopen." + method, params("impl", impl, "size", size), reopenWi, reopenIt,
                            forkSeconds(size, build) + (impl.equals("chronicle") ? 2 : 0) + (reopenWi + reopenIt) * sample));
                }
            }
        }
        return new Profile(p.name(), p.warmups(), p.iterations(), jobs);
    }

    /** The Kafka stores in table order; {@code hmap-map} (the bare map) last. */
    static final List<String> KAFKA_STORES = List.of("hmap", "in-memory", "rocksdb", "hmap-map");

    /** Seconds per million entries to make the keys and fill a Kafka store (and sort its keys for ranges). */
    private static double kafkaFill(String impl) {
        return impl.equals("rocksdb") ? 8 : impl.equals("in-memory") ? 4 : 3;
    }

    private static JmhJob mapJob(String bench, String key, String impl, int size, int wi, int it) {
        return new JmhJob(bench, params("key", key, "impl", impl, "size", size), wi, it,
                forkSeconds(size, fillFactor(impl)) + wi + it);
    }

    /** One PutBench fork: a 10M build takes seconds, so one warm-up and two measured invocations are enough. */
    private static JmhJob putJob(String key, String impl, String hint, int size, int wi, int it) {
        int pwi = size >= M10 ? 1 : wi, pit = size >= M10 ? 2 : it;
        double perInvocation = Math.max(1, size * fillFactor(impl) * 0.5e-6);
        return new JmhJob(Results.putMethod(size), params("key", key, "impl", impl, "hint", hint), pwi, pit,
                forkSeconds(size, 0.3) + (pwi + pit) * perInvocation);
    }

    /** JVM start, key generation and filling the map (measured on the 2-core VM); factor: the peer's fill speed. */
    private static double forkSeconds(int size, double factor) {
        return 2.5 + factor * size * 1.0e-6;
    }

    /** How slowly a peer fills, relative to the typical one (Chronicle Map: about three times). */
    private static double fillFactor(String impl) {
        return impl.equals("chronicle") ? 3 : impl.equals("HashMap") ? 1.5 : 1;
    }

    private static Map<String, String> params(Object... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], String.valueOf(kv[i + 1]));
        return m;
    }

    /** The jobs whose label {@code filter} finds. */
    Profile only(java.util.regex.Pattern filter) {
        return new Profile(name, warmups, iterations, jobs.stream().filter(j -> filter.matcher(j.label()).find()).toList());
    }

    double estimateSeconds() {
        return jobs.stream().mapToDouble(Job::estimateSeconds).sum();
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
