// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import dev.hmap.BytesBytesMap;
import dev.hmap.kafka.HmapStores;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;

/**
 * The Kafka Streams stores the Kafka benchmarks compare, by name ({@link #NAMES}), each a raw
 * {@code KeyValueStore<Bytes, byte[]>} as Kafka's own layers call it (no metering, logging or caching on
 * top, which would cost every store the same):
 * <ul>
 *   <li>{@code hmap}: {@link HmapStores#keyValueStore(String)}, hmap's store (a {@link BytesBytesMap} behind a
 *       StampedLock);</li>
 *   <li>{@code in-memory}: {@code Stores.inMemoryKeyValueStore}, Kafka's in-memory store (a {@code TreeMap}
 *       behind {@code synchronized});</li>
 *   <li>{@code rocksdb}: {@code Stores.persistentKeyValueStore}, Kafka's RocksDB store with Kafka's default
 *       RocksDB settings, in a fresh directory under {@code java.io.tmpdir}, deleted on close;</li>
 *   <li>{@code hmap-map}: not a store but the baseline of the guard's cost: a bare {@link BytesBytesMap} doing
 *       what hmap's store does per call ({@code get}: {@code getCopy}, one lookup into a new array), with
 *       no lock.</li>
 * </ul>
 * Stores are initialized with test-utils' {@code MockProcessorContext}, as Kafka documents for testing a store.
 */
public final class KafkaStores {
    private KafkaStores() {}

    /** The stores, in the order of the tables. */
    public static final String[] NAMES = {"hmap", "in-memory", "rocksdb"};

    /** What the benchmarks call: the two operations of the hot path, a range and the size. */
    public interface Store extends AutoCloseable {
        byte[] get(Bytes key);

        void put(Bytes key, byte[] value);

        /** The entries of [from, to], counted (values touched); -1 where the peer has no ranges. */
        long range(Bytes from, Bytes to);

        long size();

        @Override
        void close();
    }

    public static Store open(String name) {
        return switch (name) {
            case "hmap-map" -> new BareMap();
            case "hmap" -> new KafkaStore(HmapStores.keyValueStore("bench"), null);
            case "in-memory" -> new KafkaStore(Stores.inMemoryKeyValueStore("bench"), null);
            case "rocksdb" -> new KafkaStore(Stores.persistentKeyValueStore("bench"), tempDir());
            default -> throw new IllegalArgumentException("store must be hmap, in-memory, rocksdb or hmap-map: " + name);
        };
    }

    /** A supplier of the named store kind, for topologies ({@code Materialized.as}). */
    public static KeyValueBytesStoreSupplier supplier(String name, String storeName) {
        return switch (name) {
            case "hmap" -> HmapStores.keyValueStore(storeName);
            case "in-memory" -> Stores.inMemoryKeyValueStore(storeName);
            case "rocksdb" -> Stores.persistentKeyValueStore(storeName);
            default -> throw new IllegalArgumentException("store must be hmap, in-memory or rocksdb: " + name);
        };
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("hmap-kafka-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null) return;
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A raw Kafka store, initialized as Kafka's test utilities initialize one. */
    static final class KafkaStore implements Store {
        private final KeyValueStore<Bytes, byte[]> store;
        private final Path dir;

        KafkaStore(KeyValueBytesStoreSupplier supplier, Path dir) {
            this.dir = dir;
            Properties p = new Properties();
            p.put(StreamsConfig.APPLICATION_ID_CONFIG, "hmap-bench");
            p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            if (dir != null) p.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
            MockProcessorContext<Object, Object> context = dir == null ? new MockProcessorContext<>(p)
                    : new MockProcessorContext<>(p, new TaskId(0, 0), dir.toFile());
            store = supplier.get();
            store.init(context.getStateStoreContext(), store);
        }

        @Override
        public byte[] get(Bytes key) {
            return store.get(key);
        }

        @Override
        public void put(Bytes key, byte[] value) {
            store.put(key, value);
        }

        @Override
        public long range(Bytes from, Bytes to) {
            long n = 0;
            try (KeyValueIterator<Bytes, byte[]> it = store.range(from, to)) {
                while (it.hasNext()) n += it.next().value.length;
            }
            return n;
        }

        @Override
        public long size() {
            return store.approximateNumEntries();
        }

        @Override
        public void close() {
            store.close();
            deleteTree(dir);
        }
    }

    /** hmap's map with the store's per-call work and no lock: the guard's baseline. */
    static final class BareMap implements Store {
        private final BytesBytesMap map = BytesBytesMap.create();

        @Override
        public byte[] get(Bytes key) {
            return map.getCopy(key.get());
        }

        @Override
        public void put(Bytes key, byte[] value) {
            map.put(key.get(), value);
        }

        @Override
        public long range(Bytes from, Bytes to) {
            return -1;
        }

        @Override
        public long size() {
            return map.size();
        }

        @Override
        public void close() {
            map.close();
        }
    }
}
