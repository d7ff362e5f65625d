// SPDX-License-Identifier: Apache-2.0
package dev.hmap.kafka;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same topologies and the same seeded input, once with Kafka's in-memory store and once with hmap's,
 * in {@link TopologyTestDriver}: every output record (key, value, timestamp) and every interactive query
 * afterwards (get, range, reverseRange, all, reverseAll, prefixScan on the stores the driver exposes)
 * must be identical. Each topology runs without the record cache (every update reaches the store and the
 * output) and with it (the cache's merged iterators then read hmap's sorted scans). The run's seed is
 * printed; {@code -Dhmap.kafka.seed=N} repeats one.
 */
class TopologyEquivalenceTest {
    private static final long SEED = Long.getLong("hmap.kafka.seed", System.nanoTime());

    static {
        System.out.println("TopologyEquivalenceTest seed " + SEED + " (repeat with -Dhmap.kafka.seed=" + SEED + ")");
    }

    private static final String[] WORDS = {"kafka", "streams", "hmap", "go", "map", "off", "heap", "state", "store",
        "stream", "str", "k", "ka", "kaf", "\u00e9t\u00e9", "\u0000nul", "zz"};

    /** What one run produced: its output records and its query results, as text. */
    private record Run(List<String> outputs, List<String> queries) {
    }

    private static void assertSame(Function<Function<String, KeyValueBytesStoreSupplier>, Run> run) {
        Run kafka = run.apply(StoreKind.KAFKA_IN_MEMORY::supplier);
        Run hmap = run.apply(StoreKind.HMAP::supplier);
        assertTrue(kafka.outputs.size() > 10, "the topology produced too little to compare: " + kafka.outputs.size());
        assertEquals(kafka.outputs.size(), hmap.outputs.size(), "output count (seed " + SEED + ")");
        for (int i = 0; i < kafka.outputs.size(); i++) {
            assertEquals(kafka.outputs.get(i), hmap.outputs.get(i), "output " + i + " (seed " + SEED + ")");
        }
        assertEquals(kafka.queries, hmap.queries, "query results (seed " + SEED + ")");
    }

    private static Properties config(boolean cache) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "equivalence");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, cache ? 64 * 1024 : 0);
        return p;
    }

    private static List<String> read(TopologyTestDriver driver, String topic) {
        List<String> out = new ArrayList<>();
        for (TestRecord<String, String> r : driver.createOutputTopic(topic, Serdes.String().deserializer(),
                Serdes.String().deserializer()).readRecordsToList()) {
            out.add(r.key() + "=" + r.value() + "@" + r.timestamp());
        }
        return out;
    }

    // ------------------------------------------------------------------ word count

    @Test
    void wordCount() {
        assertSame(s -> wordCount(s, false));
        assertSame(s -> wordCount(s, true));
    }

    private static Run wordCount(Function<String, KeyValueBytesStoreSupplier> stores, boolean cache) {
        StreamsBuilder b = new StreamsBuilder();
        b.stream("lines", Consumed.with(Serdes.String(), Serdes.String()))
                .flatMapValues(line -> Arrays.asList(line.split(" ")))
                .groupBy((k, word) -> word, Grouped.with(Serdes.String(), Serdes.String()))
                .count(Materialized.<String, Long>as(stores.apply("counts")).withValueSerde(Serdes.Long()))
                .toStream()
                .mapValues(String::valueOf)
                .to("word-counts", Produced.with(Serdes.String(), Serdes.String()));
        try (TopologyTestDriver driver = new TopologyTestDriver(b.build(), config(cache), Instant.ofEpochMilli(0))) {
            TestInputTopic<String, String> in = driver.createInputTopic("lines", new StringSerializer(), new StringSerializer(),
                    Instant.ofEpochMilli(1_000), Duration.ofMillis(7));
            SplittableRandom r = new SplittableRandom(SEED);
            for (int i = 0; i < 400; i++) {
                StringBuilder line = new StringBuilder(WORDS[r.nextInt(WORDS.length)]);
                for (int w = r.nextInt(6); w > 0; w--) line.append(' ').append(WORDS[r.nextInt(WORDS.length)]);
                in.pipeInput("line" + i, line.toString());
            }
            List<String> outputs = read(driver, "word-counts");
            KeyValueStore<String, ValueAndTimestamp<Long>> counts = driver.getTimestampedKeyValueStore("counts");
            return new Run(outputs, queries(counts, "str"));
        }
    }

    /** Every read an interactive query can make, with a few bounds and a prefix, as text. */
    private static <V> List<String> queries(ReadOnlyKeyValueStore<String, V> store, String prefix) {
        List<String> q = new ArrayList<>();
        q.add("all " + drain(store.all()));
        q.add("reverseAll " + drain(store.reverseAll()));
        q.add("range k..s " + drain(store.range("k", "s")));
        q.add("reverseRange k..s " + drain(store.reverseRange("k", "s")));
        q.add("range null..map " + drain(store.range(null, "map")));
        q.add("range map..null " + drain(store.range("map", null)));
        q.add("range s..k " + drain(store.range("s", "k")));
        q.add("prefixScan " + prefix + " " + drain(store.prefixScan(prefix, new StringSerializer())));
        q.add("prefixScan k " + drain(store.prefixScan("k", new StringSerializer())));
        q.add("get hmap " + show(store.get("hmap")) + ", get absent " + show(store.get("absent")));
        q.add("approximateNumEntries " + store.approximateNumEntries());
        return q;
    }

    private static <K, V> String drain(KeyValueIterator<K, V> it) {
        StringBuilder sb = new StringBuilder();
        try (it) {
            while (it.hasNext()) {
                KeyValue<K, V> kv = it.next();
                sb.append(kv.key).append('=').append(show(kv.value)).append(' ');
            }
        }
        return sb.toString();
    }

    private static String show(Object v) {
        return v instanceof ValueAndTimestamp<?> vt ? vt.value() + "@" + vt.timestamp() : String.valueOf(v);
    }

    // ------------------------------------------------------------------ aggregation with updates and deletes

    @Test
    void aggregationWithUpdatesAndDeletes() {
        assertSame(s -> regionTotals(s, false));
        assertSame(s -> regionTotals(s, true));
    }

    /**
     * A table of accounts (account -> "region:balance"), updated and deleted (tombstones) at random,
     * re-grouped by region: sum and count per region through the adder and the subtractor.
     */
    private static Run regionTotals(Function<String, KeyValueBytesStoreSupplier> stores, boolean cache) {
        StreamsBuilder b = new StreamsBuilder();
        KTable<String, String> accounts = b.table("accounts", Consumed.with(Serdes.String(), Serdes.String()),
                Materialized.<String, String>as(stores.apply("accounts")).withKeySerde(Serdes.String())
                        .withValueSerde(Serdes.String()));
        accounts.groupBy((account, v) -> KeyValue.pair(v.split(":")[0], v), Grouped.with(Serdes.String(), Serdes.String()))
                .aggregate(() -> "0/0",
                        (region, v, agg) -> add(agg, Long.parseLong(v.split(":")[1]), 1),
                        (region, v, agg) -> add(agg, -Long.parseLong(v.split(":")[1]), -1),
                        Materialized.<String, String>as(stores.apply("region-totals")).withKeySerde(Serdes.String())
                                .withValueSerde(Serdes.String()))
                .toStream()
                .to("totals", Produced.with(Serdes.String(), Serdes.String()));
        try (TopologyTestDriver driver = new TopologyTestDriver(b.build(), config(cache), Instant.ofEpochMilli(0))) {
            TestInputTopic<String, String> in = driver.createInputTopic("accounts", new StringSerializer(),
                    new StringSerializer(), Instant.ofEpochMilli(5_000), Duration.ofMillis(3));
            SplittableRandom r = new SplittableRandom(SEED ^ 0x5DEECE66DL);
            String[] regions = {"eu-west", "eu-central", "us-east", "us-west", "ap"};
            for (int i = 0; i < 600; i++) {
                String account = "acct-" + r.nextInt(80);
                if (r.nextInt(6) == 0) {
                    in.pipeInput(account, (String) null); // tombstone: the account is deleted
                } else {
                    in.pipeInput(account, regions[r.nextInt(regions.length)] + ":" + (r.nextInt(2_000) - 500));
                }
            }
            List<String> outputs = read(driver, "totals");
            List<String> queries = new ArrayList<>(queries(driver.<String, ValueAndTimestamp<String>>getTimestampedKeyValueStore("region-totals"), "eu"));
            queries.addAll(queries(driver.<String, ValueAndTimestamp<String>>getTimestampedKeyValueStore("accounts"), "acct-1"));
            return new Run(outputs, queries);
        }
    }

    private static String add(String agg, long amount, int n) {
        String[] p = agg.split("/");
        return (Long.parseLong(p[0]) + amount) + "/" + (Long.parseLong(p[1]) + n);
    }

    // ------------------------------------------------------------------ stream-table join

    @Test
    void streamTableJoin() {
        assertSame(s -> join(s, false));
        assertSame(s -> join(s, true));
    }

    /** Orders (stream) joined with customers (a table, updated and deleted), left join, interleaved. */
    private static Run join(Function<String, KeyValueBytesStoreSupplier> stores, boolean cache) {
        StreamsBuilder b = new StreamsBuilder();
        KTable<String, String> customers = b.table("customers", Consumed.with(Serdes.String(), Serdes.String()),
                Materialized.<String, String>as(stores.apply("customers")).withKeySerde(Serdes.String())
                        .withValueSerde(Serdes.String()));
        b.stream("orders", Consumed.with(Serdes.String(), Serdes.String()))
                .leftJoin(customers, (order, customer) -> order + " for " + customer)
                .to("enriched", Produced.with(Serdes.String(), Serdes.String()));
        try (TopologyTestDriver driver = new TopologyTestDriver(b.build(), config(cache), Instant.ofEpochMilli(0))) {
            TestInputTopic<String, String> customerIn = driver.createInputTopic("customers", new StringSerializer(),
                    new StringSerializer());
            TestInputTopic<String, String> orderIn = driver.createInputTopic("orders", new StringSerializer(),
                    new StringSerializer());
            SplittableRandom r = new SplittableRandom(SEED * 31 + 7);
            long t = 10_000;
            for (int i = 0; i < 500; i++) {
                String customer = "c" + r.nextInt(40);
                t += r.nextInt(5);
                int op = r.nextInt(10);
                if (op < 3) {
                    customerIn.pipeInput(customer, "name-" + r.nextInt(1_000), t);
                } else if (op == 3) {
                    customerIn.pipeInput(customer, null, t);
                } else {
                    orderIn.pipeInput(customer, "order-" + i, t);
                }
            }
            List<String> outputs = read(driver, "enriched");
            return new Run(outputs, queries(driver.<String, ValueAndTimestamp<String>>getTimestampedKeyValueStore("customers"), "c1"));
        }
    }

    // ------------------------------------------------------------------ Processor API: prefix scans and ranges inside process()

    @Test
    void processorApiScans() {
        assertSame(s -> sessions(s, false));
        assertSame(s -> sessions(s, true));
    }

    /**
     * A processor keeping user|session -> events in a store built with Stores.keyValueStoreBuilder (with
     * its changelog), which on each event forwards the user's sessions by prefixScan, the sessions in a
     * key range by reverseRange, and deletes a user's sessions on a "logout".
     */
    private static Run sessions(Function<String, KeyValueBytesStoreSupplier> stores, boolean cache) {
        var builder = Stores.keyValueStoreBuilder(stores.apply("sessions"), Serdes.String(), Serdes.String());
        if (cache) builder = builder.withCachingEnabled();
        Topology topology = new Topology();
        topology.addSource("events", Serdes.String().deserializer(), Serdes.String().deserializer(), "events");
        topology.addProcessor("track", SessionProcessor::new, "events");
        topology.addStateStore(builder, "track");
        topology.addSink("out", "session-views", Serdes.String().serializer(), Serdes.String().serializer(), "track");
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, config(cache), Instant.ofEpochMilli(0))) {
            TestInputTopic<String, String> in = driver.createInputTopic("events", new StringSerializer(), new StringSerializer(),
                    Instant.ofEpochMilli(20_000), Duration.ofMillis(1));
            SplittableRandom r = new SplittableRandom(SEED + 12345);
            for (int i = 0; i < 400; i++) {
                String user = "u" + r.nextInt(12);
                in.pipeInput(user, r.nextInt(15) == 0 ? "logout" : "s" + r.nextInt(6) + ":" + i);
            }
            return new Run(read(driver, "session-views"), queries(driver.<String, String>getKeyValueStore("sessions"), "u1|"));
        }
    }

    private static final class SessionProcessor implements Processor<String, String, String, String> {
        private ProcessorContext<String, String> context;
        private KeyValueStore<String, String> store;

        @Override
        public void init(ProcessorContext<String, String> context) {
            this.context = context;
            this.store = context.getStateStore("sessions");
        }

        @Override
        public void process(Record<String, String> record) {
            String user = record.key();
            if (record.value().equals("logout")) {
                List<String> keys = new ArrayList<>();
                try (KeyValueIterator<String, String> it = store.prefixScan(user + "|", new StringSerializer())) {
                    it.forEachRemaining(kv -> keys.add(kv.key));
                }
                keys.forEach(store::delete);
                context.forward(record.withValue("logged out " + keys));
                return;
            }
            String[] p = record.value().split(":");
            String key = user + "|" + p[0];
            String old = store.putIfAbsent(key, p[1]);
            if (old != null) store.put(key, old + "," + p[1]);
            StringBuilder view = new StringBuilder();
            try (KeyValueIterator<String, String> it = store.prefixScan(user + "|", new StringSerializer())) {
                it.forEachRemaining(kv -> view.append(kv.key).append(' '));
            }
            view.append("| ");
            try (KeyValueIterator<String, String> it = store.reverseRange("u1", "u3")) {
                it.forEachRemaining(kv -> view.append(kv.key).append(' '));
            }
            context.forward(record.withValue(view.toString()));
        }
    }

    /** The raw store under a DSL table is hmap's (and Kafka's reaches it through its own wrappers). */
    @Test
    void theDslUsesTheSuppliedStore() {
        StreamsBuilder b = new StreamsBuilder();
        b.table("t", Consumed.with(Serdes.String(), Serdes.String()), Materialized.as(HmapStores.keyValueStore("t-store")));
        try (TopologyTestDriver driver = new TopologyTestDriver(b.build(), config(false))) {
            org.apache.kafka.streams.processor.StateStore s = driver.getAllStateStores().get("t-store");
            StringBuilder chain = new StringBuilder();
            while (s instanceof org.apache.kafka.streams.state.internals.WrappedStateStore<?, ?, ?> w) {
                chain.append(s.getClass().getSimpleName()).append(" > ");
                s = w.wrapped();
            }
            chain.append(s.getClass().getSimpleName());
            assertTrue(s instanceof HmapKeyValueStore, chain.toString());
        }
    }
}
