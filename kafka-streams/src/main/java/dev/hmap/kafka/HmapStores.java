// SPDX-License-Identifier: Apache-2.0
package dev.hmap.kafka;

import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;

import java.util.Objects;

/**
 * Factories of hmap state stores for Kafka Streams, in the manner of Kafka's own {@code Stores}.
 *
 * <pre>{@code
 * StoreBuilder<KeyValueStore<String, Long>> counts = Stores.keyValueStoreBuilder(
 *         HmapStores.keyValueStore("counts"), Serdes.String(), Serdes.Long());
 * // or, in the DSL:
 * stream.groupByKey().count(Materialized.<String, Long>as(HmapStores.keyValueStore("counts")));
 * }</pre>
 *
 * <p>The store is in-memory ({@code persistent() == false}): Kafka restores it from its changelog topic on
 * start and after a failure, as it restores its own in-memory store. Its entries live off the Java heap, in
 * an {@link dev.hmap.BytesBytesMap} per partition, freed when Kafka closes the store.
 */
public final class HmapStores {

    private HmapStores() {
    }

    /**
     * A supplier of hmap key-value stores named {@code name}.
     *
     * @param name the store's name; Kafka names its changelog topic after it
     * @return a supplier for {@code Stores.keyValueStoreBuilder(..)} or {@code Materialized.as(..)}
     * @throws NullPointerException if {@code name} is null
     */
    public static KeyValueBytesStoreSupplier keyValueStore(String name) {
        return keyValueStore(name, 0);
    }

    /**
     * A supplier of hmap key-value stores named {@code name}, each sized for {@code expectedEntries}
     * entries, so that a partition expected to hold that many never grows its table while it fills.
     * Each partition of the store gets its own map of that size.
     *
     * @param name the store's name; Kafka names its changelog topic after it
     * @param expectedEntries the number of entries one partition's map is sized for; 0 for none
     * @return a supplier for {@code Stores.keyValueStoreBuilder(..)} or {@code Materialized.as(..)}
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code expectedEntries} is negative
     */
    public static KeyValueBytesStoreSupplier keyValueStore(String name, long expectedEntries) {
        Objects.requireNonNull(name, "name cannot be null");
        if (expectedEntries < 0) {
            throw new IllegalArgumentException("expectedEntries must be 0 (no hint) or more, not " + expectedEntries);
        }
        return new HmapKeyValueBytesStoreSupplier(name, expectedEntries);
    }
}
