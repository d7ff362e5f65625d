// SPDX-License-Identifier: Apache-2.0
package dev.hmap.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.CommitCallback;
import org.apache.kafka.streams.processor.StateRestoreCallback;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.processor.internals.StateRestoreCallbackAdapter;

import java.io.File;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The StateStoreContext a raw store sees, as Kafka's ProcessorStateManager would give it: it keeps the
 * restore callback a store registers and replays changelog records through it the way Kafka's restore
 * does ({@link StateRestoreCallbackAdapter}, then {@code restoreBatch}), and carries the current record's
 * metadata for position tracking.
 */
final class TestContext implements StateStoreContext {
    final Map<String, Object> configs = new HashMap<>();
    private final Map<String, StateRestoreCallback> callbacks = new HashMap<>();
    private RecordMetadata metadata;

    /** The record being processed from now on: the offset positions record. */
    void setRecord(String topic, int partition, long offset) {
        metadata = new Meta(topic, partition, offset);
    }

    /** Replays changelog records through the callback {@code storeName} registered, as Kafka's restore does. */
    void restore(String storeName, Collection<ConsumerRecord<byte[], byte[]>> records) {
        StateRestoreCallback callback = callbacks.get(storeName);
        if (callback == null) throw new AssertionError("store " + storeName + " registered no restore callback");
        StateRestoreCallbackAdapter.adapt(callback).restoreBatch(records);
    }

    @Override
    public String applicationId() {
        return "hmap-test";
    }

    @Override
    public TaskId taskId() {
        return new TaskId(0, 0);
    }

    @Override
    public Optional<RecordMetadata> recordMetadata() {
        return Optional.ofNullable(metadata);
    }

    @Override
    public Serde<?> keySerde() {
        return Serdes.ByteArray();
    }

    @Override
    public Serde<?> valueSerde() {
        return Serdes.ByteArray();
    }

    @Override
    public File stateDir() {
        return new File(System.getProperty("java.io.tmpdir"));
    }

    @Override
    public StreamsMetrics metrics() {
        throw new AssertionError("a raw store does not report metrics");
    }

    @Override
    public void register(StateStore store, StateRestoreCallback stateRestoreCallback) {
        callbacks.put(store.name(), stateRestoreCallback);
    }

    @Override
    public void register(StateStore store, StateRestoreCallback stateRestoreCallback, CommitCallback commitCallback) {
        register(store, stateRestoreCallback);
    }

    @Override
    public Map<String, Object> appConfigs() {
        return configs;
    }

    @Override
    public Map<String, Object> appConfigsWithPrefix(String prefix) {
        Map<String, Object> m = new HashMap<>();
        configs.forEach((k, v) -> {
            if (k.startsWith(prefix)) m.put(k.substring(prefix.length()), v);
        });
        return m;
    }

    private record Meta(String topic, int partition, long offset) implements RecordMetadata {
    }
}
