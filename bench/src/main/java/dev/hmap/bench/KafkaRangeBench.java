// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * <b>A range query on a Kafka Streams store</b> ({@link KafkaStoreState}: {@code size} entries of 16-byte
 * keys and 100-byte values): {@code range(from, to)} over {@value #RANGE} consecutive keys in Kafka's order,
 * iterated to the end, from a different place each time; ms per range. The in-memory store's
 * {@code TreeMap} and RocksDB seek to {@code from}; hmap's store has no order, so it scans every entry of the
 * partition, copies the 100 keys that match, sorts them, and reads the values as the iterator reaches
 * them: the price of ranges on a hash map, which grows with the partition, not with the range.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar 'KafkaRangeBench' -p size=1000000 -f 1 -wi 1 -i 3 -w 1s -r 1s -prof gc
 * </pre>
 */
@State(Scope.Thread)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class KafkaRangeBench extends KafkaStoreState {
    static final int RANGE = 100;

    @Param({"hmap", "in-memory", "rocksdb"})
    public String impl;

    @Param({"1000000"})
    public int size;

    private int rangePos;

    @Override
    String impl() {
        return impl;
    }

    @Override
    int size() {
        return size;
    }

    @Benchmark
    public long range() {
        int i = rangePos;
        rangePos = (rangePos + 7_919) % (size - RANGE);
        long n = store.range(sorted[i], sorted[i + RANGE - 1]);
        if (n != (long) RANGE * BytesKeys.VALUE_LEN) throw new IllegalStateException(impl + ": range returned " + n + " bytes");
        return n;
    }
}
