// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;

/**
 * <b>A Kafka Streams aggregation end to end</b>, in {@code TopologyTestDriver}: a stream of
 * ({@value BytesKeys#KEY_LEN}-byte key, long) records summed per key with
 * {@code groupByKey().aggregate(..., Materialized.as(store))}, the store being hmap's, Kafka's in-memory
 * store or RocksDB ({@link KafkaStores#supplier}). One op is one record piped through the driver: the
 * serdes, the timestamped store's get and put, the processor. The store holds {@code keys} keys (every key
 * is put once in setup), so each record updates a present aggregate. No cache (every record reaches the
 * store), no changelog (the driver would keep every changelog record in memory): the store's share of the
 * work is what differs between the runs.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar 'KafkaTopologyBench' -p keys=1000000 -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc
 * </pre>
 */
@State(Scope.Thread)
public class KafkaTopologyBench extends BenchDefaults {
    static final int BATCH = 1024;

    @Param({"hmap", "in-memory", "rocksdb"})
    public String impl;

    @Param({"1000000"})
    public int keys;

    private TopologyTestDriver driver;
    private TestInputTopic<byte[], Long> input;
    private byte[][] order;
    private int pos;
    private Path stateDir;

    @Setup(Level.Trial)
    public void setup() {
        StreamsBuilder b = new StreamsBuilder();
        b.stream("amounts", Consumed.with(Serdes.ByteArray(), Serdes.Long()))
                .groupByKey(Grouped.with(Serdes.ByteArray(), Serdes.Long()))
                .aggregate(() -> 0L, (key, amount, sum) -> sum + amount,
                        Materialized.<byte[], Long>as(KafkaStores.supplier(impl, "sums"))
                                .withValueSerde(Serdes.Long()).withLoggingDisabled().withCachingDisabled());
        Properties p = new Properties();
        stateDir = KafkaStores.tempDir();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "hmap-topology-bench");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(b.build(), p, Instant.ofEpochMilli(0));
        input = driver.createInputTopic("amounts", new ByteArraySerializer(), new LongSerializer());
        byte[][] ks = BytesKeys.arrays(keys);
        for (byte[] k : ks) input.pipeInput(k, 1L);
        int[] shuffled = StringKeys.shuffled(StringKeys.range(0, keys), Keys.SHUFFLE_SEED);
        order = new byte[keys][];
        for (int i = 0; i < keys; i++) order[i] = ks[shuffled[i]];
        GrowthLatency.fullGc();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        // Every key was put once in setup and the first record of the order at least once more since.
        Long sum = driver.<byte[], Long>getTimestampedKeyValueStore("sums").get(order[0]).value();
        driver.close();
        KafkaStores.deleteTree(stateDir);
        if (sum == null || sum < 2) throw new IllegalStateException(impl + ": the aggregate of a key is " + sum);
    }


    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int aggregate() {
        int p = pos;
        for (int i = 0; i < BATCH; i++) {
            input.pipeInput(order[p], 1L);
            if (++p == order.length) p = 0;
        }
        pos = p;
        return p;
    }
}
