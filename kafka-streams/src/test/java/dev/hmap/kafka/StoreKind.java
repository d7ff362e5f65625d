// SPDX-License-Identifier: Apache-2.0
package dev.hmap.kafka;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.util.function.Function;

/**
 * The stores every contract test runs on: hmap's, and Kafka's own in-memory store as the reference, so
 * that each test is seen to pass on the store whose behaviour it claims to describe.
 */
enum StoreKind {
    HMAP(HmapStores::keyValueStore),
    KAFKA_IN_MEMORY(Stores::inMemoryKeyValueStore);

    private final Function<String, KeyValueBytesStoreSupplier> supplier;

    StoreKind(Function<String, KeyValueBytesStoreSupplier> supplier) {
        this.supplier = supplier;
    }

    KeyValueBytesStoreSupplier supplier(String name) {
        return supplier.apply(name);
    }

    /** A new raw store, initialized with {@code context} and registered with it. */
    KeyValueStore<Bytes, byte[]> open(String name, TestContext context) {
        KeyValueStore<Bytes, byte[]> store = supplier(name).get();
        store.init(context, store);
        return store;
    }
}
