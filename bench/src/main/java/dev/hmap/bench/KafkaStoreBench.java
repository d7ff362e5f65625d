// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * <b>Kafka Streams stores</b>, called as Kafka's layers call them: hmap's store against Kafka's in-memory
 * and RocksDB stores ({@link KafkaStores}), holding {@code size} entries of {@value BytesKeys#KEY_LEN}-byte
 * keys and {@value BytesKeys#VALUE_LEN}-byte values (random bytes, fixed seeds, {@link BytesKeys}), put in
 * random order without a size hint.
 *
 * <ul>
 *   <li>{@code get}: {@code get(key)} of a present key, returning a new {@code byte[100]} (what the
 *       interface forces on every store; the in-memory store returns the array it holds).</li>
 *   <li>{@code put}: {@code put(key, value)} of a present key with another 100-byte value: hmap and RocksDB
 *       copy the bytes, the in-memory store keeps the caller's array.</li>
 * </ul>
 * Ranges are {@link KafkaRangeBench}'s.
 * {@code impl=hmap-map} runs get and put on a bare {@code BytesBytesMap} doing the same work without the
 * store's lock: hmap's time minus hmap-map's is what the guard costs the stream thread.
 * With {@code -prof gc}: allocation per op, and {@code gc.count} / {@code gc.time} (collections and their
 * total time, over the measured iterations).
 *
 * <p>Pitfalls avoided: results feed a sum the method returns (dead code); lookup keys are {@code Bytes}
 * made in setup, distinct from the arrays the stores hold, in a random permutation (cache effects and
 * identity); the fill's garbage is collected before measuring (GC pauses of the fill are KafkaStoreFill's
 * subject, not this one's); one store per fork (monomorphic calls).
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar 'KafkaStoreBench.(get|put)' -p size=1000000 -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc
 * </pre>
 */
@State(Scope.Thread)
public class KafkaStoreBench extends KafkaStoreState {
    @Param({"hmap", "in-memory", "rocksdb", "hmap-map"})
    public String impl;

    @Param({"1000000"})
    public int size;

    @Override
    String impl() {
        return impl;
    }

    @Override
    int size() {
        return size;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long get() {
        long sum = 0;
        int p = pos;
        for (int i = 0; i < BATCH; i++) {
            byte[] v = store.get(probes[p]);
            sum += v.length + v[0];
            if (++p == probes.length) p = 0;
        }
        pos = p;
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long put() {
        long sum = 0;
        int p = pos, nv = nextValue;
        for (int i = 0; i < BATCH; i++) {
            store.put(probes[p], newValues[nv]);
            nv = (nv + 1) & (NEW_VALUES - 1);
            if (++p == probes.length) p = 0;
            sum += nv;
        }
        pos = p;
        nextValue = nv;
        return sum;
    }
}
