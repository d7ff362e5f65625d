// SPDX-License-Identifier: Apache-2.0
package dev.hmap.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.RecordConverter;
import org.apache.kafka.streams.state.internals.RecordConverters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Restore end to end, without a broker: a topology writes an hmap store in TopologyTestDriver, whose
 * changelog topic (with tombstones, as Kafka's logging layer writes it) is read back as the records a
 * restoring instance would fetch; they are replayed in batches into a new store through the callback it
 * registers, as Kafka's restore does (with the value conversion Kafka applies for the store's format: a
 * DSL table is timestamped, a Processor API store plain). The new store must hold exactly the bytes of the old one and, when
 * the changelog carries positions (IQ consistency vectors on), the same position.
 */
class RestoreTest {

    @ParameterizedTest
    @CsvSource({"dsl,false", "dsl,true", "processor,false", "processor,true"})
    void restoresWhatTheChangelogHolds(String api, boolean consistencyVectors) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "restore");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        p.put(StreamsConfig.InternalConfig.IQ_CONSISTENCY_OFFSET_VECTOR_ENABLED, consistencyVectors);
        try (TopologyTestDriver driver = new TopologyTestDriver(api.equals("dsl") ? table() : processor(), p)) {
            TestInputTopic<String, String> in = driver.createInputTopic("balances", new StringSerializer(), new StringSerializer());
            SplittableRandom r = new SplittableRandom(42);
            for (int i = 0; i < 3_000; i++) {
                String account = "acct-" + r.nextInt(500);
                in.pipeInput(account, r.nextInt(5) == 0 ? null : "balance-" + r.nextInt(1_000_000));
            }
            List<TestRecord<byte[], byte[]>> changelog = driver.createOutputTopic("restore-balances-changelog",
                    new ByteArrayDeserializer(), new ByteArrayDeserializer()).readRecordsToList();
            assertTrue(changelog.stream().anyMatch(t -> t.value() == null), "the changelog has tombstones");
            StateStore outer = driver.getAllStateStores().get("balances");
            HmapKeyValueStore original = raw(outer);
            RecordConverter converter = converterFor(outer);

            TestContext ctx = new TestContext();
            ctx.configs.put(StreamsConfig.InternalConfig.IQ_CONSISTENCY_OFFSET_VECTOR_ENABLED, consistencyVectors);
            KeyValueStore<Bytes, byte[]> restored = StoreKind.HMAP.open("balances", ctx);
            try {
                List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
                long offset = 0;
                for (TestRecord<byte[], byte[]> t : changelog) {
                    batch.add(converter.convert(new ConsumerRecord<>("restore-balances-changelog", 0, offset++, t.timestamp(),
                            TimestampType.CREATE_TIME, -1, -1, t.key(), t.value(), t.headers(), Optional.empty())));
                    if (batch.size() == 500) {
                        ctx.restore("balances", batch);
                        batch = new ArrayList<>();
                    }
                }
                ctx.restore("balances", batch);
                assertEquals(contents(original), contents(restored));
                assertEquals(original.approximateNumEntries(), restored.approximateNumEntries());
                if (consistencyVectors) {
                    assertTrue(!original.getPosition().isEmpty(), "the original store saw positions");
                    assertEquals(original.getPosition(), restored.getPosition());
                } else {
                    assertTrue(restored.getPosition().isEmpty(), "no position without consistency vectors");
                }
            } finally {
                restored.close();
            }
        }
    }

    /** A DSL table: Kafka keeps it in a timestamped store, adapted onto the plain one hmap supplies. */
    private static Topology table() {
        StreamsBuilder b = new StreamsBuilder();
        b.table("balances", Consumed.with(Serdes.String(), Serdes.String()),
                Materialized.<String, String>as(HmapStores.keyValueStore("balances")).withKeySerde(Serdes.String())
                        .withValueSerde(Serdes.String()));
        return b.build();
    }

    /** A plain key-value store with its changelog, written by a processor (a null value deletes). */
    private static Topology processor() {
        Topology t = new Topology();
        t.addSource("in", Serdes.String().deserializer(), Serdes.String().deserializer(), "balances");
        t.addProcessor("write", () -> new Processor<String, String, Void, Void>() {
            private KeyValueStore<String, String> store;

            @Override
            public void init(ProcessorContext<Void, Void> context) {
                store = context.getStateStore("balances");
            }

            @Override
            public void process(Record<String, String> record) {
                store.put(record.key(), record.value());
            }
        }, "in");
        t.addStateStore(Stores.keyValueStoreBuilder(HmapStores.keyValueStore("balances"), Serdes.String(), Serdes.String()),
                "write");
        return t;
    }

    /**
     * The conversion Kafka's restore applies to a changelog record before the store's callback sees it
     * (ProcessorStateManager, through StateManagerUtil.converterForStore): timestamped stores get the
     * record's timestamp put in front of the value.
     */
    private static RecordConverter converterFor(StateStore outer) {
        if (WrappedStateStore.isHeadersAware(outer)) return RecordConverters.rawValueToHeadersValue();
        if (WrappedStateStore.isTimestamped(outer) && !WrappedStateStore.isVersioned(outer)) {
            return RecordConverters.rawValueToTimestampedValue();
        }
        return RecordConverters.identity();
    }

    private static HmapKeyValueStore raw(StateStore s) {
        while (s instanceof WrappedStateStore<?, ?, ?> w) s = w.wrapped();
        return (HmapKeyValueStore) s;
    }

    private static List<String> contents(KeyValueStore<Bytes, byte[]> store) {
        List<String> out = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                out.add(kv.key + "=" + Arrays.toString(kv.value));
            }
        }
        return out;
    }
}
