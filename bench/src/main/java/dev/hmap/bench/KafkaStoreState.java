// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import org.apache.kafka.common.utils.Bytes;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.util.Arrays;

/**
 * The state of {@link KafkaStoreBench} and {@link KafkaRangeBench}: one store of {@code size()} entries
 * ({@value BytesKeys#KEY_LEN}-byte keys, {@value BytesKeys#VALUE_LEN}-byte values from fixed seeds, put in
 * random order), lookup keys as {@code Bytes} distinct from the stored arrays in a random permutation, the
 * keys in Kafka's order for range bounds, and the values puts write. The fill's garbage is collected before
 * the measurement starts.
 */
abstract class KafkaStoreState extends BenchDefaults {
    static final int BATCH = 1024;
    static final int NEW_VALUES = 4096;

    KafkaStores.Store store;
    Bytes[] probes;
    int pos;
    byte[][] newValues;
    int nextValue;
    /** The keys in Kafka's order. */
    Bytes[] sorted;

    abstract String impl();

    abstract int size();

    @Setup(Level.Trial)
    public void setup() {
        String impl = impl();
        int size = size();
        byte[][] keys = BytesKeys.arrays(size);
        byte[][] values = BytesKeys.values(BytesKeys.VALUE_SEED, size, BytesKeys.VALUE_LEN);
        store = KafkaStores.open(impl);
        int[] fill = StringKeys.shuffled(StringKeys.range(0, size), Keys.SEED);
        for (int i : fill) store.put(Bytes.wrap(keys[i]), values[i]);
        if (store.size() != size && !impl.equals("rocksdb")) { // RocksDB's count is an estimate
            throw new IllegalStateException(impl + ": size " + store.size() + " != " + size);
        }
        int[] order = StringKeys.shuffled(StringKeys.range(0, size), Keys.SHUFFLE_SEED);
        probes = new Bytes[size];
        for (int i = 0; i < size; i++) probes[i] = Bytes.wrap(keys[order[i]].clone());
        for (int i = 0; i < Math.min(size, 1000); i++) {
            if (!Arrays.equals(store.get(probes[i]), values[order[i]])) {
                throw new IllegalStateException(impl + ": wrong value for key " + order[i]);
            }
        }
        sorted = new Bytes[size];
        for (int i = 0; i < size; i++) sorted[i] = Bytes.wrap(keys[i].clone());
        Arrays.sort(sorted);
        newValues = BytesKeys.values(BytesKeys.VALUE_SEED + 1, NEW_VALUES, BytesKeys.VALUE_LEN);
        GrowthLatency.fullGc();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        store.close();
    }
}
