// SPDX-License-Identifier: Apache-2.0
package dev.hmap.kafka;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;

/** Makes an {@link HmapKeyValueStore} per task; Kafka calls {@link #get()} once for every partition. */
final class HmapKeyValueBytesStoreSupplier implements KeyValueBytesStoreSupplier {
    /** The metrics scope Kafka's metered store reports under (its own stores use "in-memory", "rocksdb"). */
    static final String METRICS_SCOPE = "hmap";

    private final String name;
    private final long expectedEntries;

    HmapKeyValueBytesStoreSupplier(String name, long expectedEntries) {
        this.name = name;
        this.expectedEntries = expectedEntries;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public KeyValueStore<Bytes, byte[]> get() {
        return new HmapKeyValueStore(name, expectedEntries);
    }

    @Override
    public String metricsScope() {
        return METRICS_SCOPE;
    }
}
