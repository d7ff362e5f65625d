// SPDX-License-Identifier: Apache-2.0
package dev.hmap.kafka;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end with a real broker (a KRaft broker and controller in this JVM, on loopback ports): a word
 * count on hmap's store runs in KafkaStreams, is stopped, and a new instance with an empty state directory
 * must restore the counts from the changelog topic through Kafka's own restore path (a restore listener
 * counts the records), answer the same
 * interactive queries, and count on from there. Behind {@code -Dhmap.kafka.broker=true} (about 30-60 s:
 * the broker's start, two rebalances and the restore).
 */
class EmbeddedBrokerTest {
    private static final String INPUT = "lines";
    private static final List<String> LINES = List.of("hash maps off the heap", "kafka keeps the changelog",
            "hmap keeps the heap quiet", "the map is go's map", "restore the store from the changelog");

    @Test
    void restoresFromTheChangelogAfterARestart(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("hmap.kafka.broker"), "embedded broker: -Dhmap.kafka.broker=true");
        int brokerPort = freePort(), controllerPort = freePort();
        String bootstrap = "127.0.0.1:" + brokerPort;
        KafkaRaftServer server = startBroker(tmp.resolve("broker"), brokerPort, controllerPort);
        try {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic(INPUT, 2, (short) 1))).all().get();
            }
            produce(bootstrap, LINES);
            Map<String, Long> expected = counts(LINES);

            Map<String, Long> first;
            try (KafkaStreams app = start(bootstrap, tmp.resolve("state-1"), new AtomicLong())) {
                first = awaitCounts(app, expected);
                assertEquals(expected, first, "the first instance's counts");
                assertEquals(List.of("hash", "heap", "hmap", "is"), rangeKeys(app, "h", "k"));
            }
            // A new instance, as on another machine: an empty state directory, so Kafka restores the store
            // from its changelog before processing.
            AtomicLong restored = new AtomicLong();
            try (KafkaStreams app = start(bootstrap, tmp.resolve("state-2"), restored)) {
                assertEquals(expected, awaitCounts(app, expected), "the counts restored from the changelog");
                assertTrue(restored.get() >= expected.size(), "Kafka restored " + restored.get() + " changelog records");
                assertEquals(List.of("hash", "heap", "hmap", "is"), rangeKeys(app, "h", "k"));
                List<String> more = List.of("the heap again", "kafka and hmap");
                produce(bootstrap, more);
                Map<String, Long> after = counts(concat(LINES, more));
                assertEquals(after, awaitCounts(app, after), "counting on from the restored counts");
            }
        } finally {
            server.shutdown();
            server.awaitShutdown();
        }
    }

    private static KafkaRaftServer startBroker(Path dir, int brokerPort, int controllerPort) throws Exception {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dir.toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(1)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(dir.toString()))
                .setMetadataLogDirectory(dir.toString())
                .setReleaseVersion(MetadataVersion.latestProduction())
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setControllerListenerName("CONTROLLER")
                .run();
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(p), Time.SYSTEM);
        server.startup();
        return server;
    }

    /** Starts the word count; {@code restored} counts the changelog records Kafka's restore replays into the store. */
    private static KafkaStreams start(String bootstrap, Path stateDir, AtomicLong restored) {
        StreamsBuilder b = new StreamsBuilder();
        b.stream(INPUT, Consumed.with(Serdes.String(), Serdes.String()))
                .flatMapValues(line -> Arrays.asList(line.split(" ")))
                .groupBy((k, word) -> word, Grouped.with(Serdes.String(), Serdes.String()))
                .count(Materialized.<String, Long>as(HmapStores.keyValueStore("counts")).withValueSerde(Serdes.Long()));
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "hmap-broker-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaStreams app = new KafkaStreams(b.build(), p);
        app.setGlobalStateRestoreListener(new StateRestoreListener() {
            @Override
            public void onRestoreStart(TopicPartition partition, String store, long startOffset, long endOffset) {
            }

            @Override
            public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
                if (store.equals("counts")) restored.addAndGet(numRestored);
            }

            @Override
            public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
            }
        });
        app.start();
        return app;
    }

    /** The counts the running app's store answers, once they equal {@code expected} (or after 60 s). */
    private static Map<String, Long> awaitCounts(KafkaStreams app, Map<String, Long> expected) throws InterruptedException {
        AtomicReference<Map<String, Long>> last = new AtomicReference<>(Map.of());
        await(() -> {
            if (app.state() != KafkaStreams.State.RUNNING) return false;
            try {
                last.set(all(app));
            } catch (RuntimeException e) { // a rebalance or a restore in progress: ask again
                return false;
            }
            return last.get().equals(expected);
        });
        return last.get();
    }

    private static ReadOnlyKeyValueStore<String, Long> store(KafkaStreams app) {
        return app.store(StoreQueryParameters.fromNameAndType("counts", QueryableStoreTypes.keyValueStore()));
    }

    private static Map<String, Long> all(KafkaStreams app) {
        Map<String, Long> m = new TreeMap<>();
        try (KeyValueIterator<String, Long> it = store(app).all()) {
            it.forEachRemaining(kv -> m.put(kv.key, kv.value));
        }
        return m;
    }

    private static List<String> rangeKeys(KafkaStreams app, String from, String to) {
        List<String> keys = new java.util.ArrayList<>();
        try (KeyValueIterator<String, Long> it = store(app).range(from, to)) {
            it.forEachRemaining((KeyValue<String, Long> kv) -> keys.add(kv.key));
        }
        keys.sort(null); // two partitions: the composite store concatenates them
        return keys;
    }

    private static void produce(String bootstrap, List<String> lines) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < lines.size(); i++) producer.send(new ProducerRecord<>(INPUT, "line-" + i + "-" + lines.get(i).hashCode(), lines.get(i)));
            producer.flush();
        }
    }

    private static Map<String, Long> counts(List<String> lines) {
        Map<String, Long> m = new TreeMap<>();
        for (String line : lines) for (String w : line.split(" ")) m.merge(w, 1L, Long::sum);
        return m;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> c = new java.util.ArrayList<>(a);
        c.addAll(b);
        return c;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out after 60 s");
            Thread.sleep(200);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
