// SPDX-License-Identifier: Apache-2.0
package dev.hmap.kafka.example;

import dev.hmap.kafka.HmapStores;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

import java.util.Arrays;
import java.util.Properties;

public class WordCountExample {
    public static void main(String[] args) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("lines", Consumed.with(Serdes.String(), Serdes.String()))
                .flatMapValues(line -> Arrays.asList(line.toLowerCase().split("\\W+")))
                .groupBy((key, word) -> word, Grouped.with(Serdes.String(), Serdes.String()))
                // The counts live in hmap's off-heap store; Kafka logs them to a changelog topic as usual.
                .count(Materialized.<String, Long>as(HmapStores.keyValueStore("word-counts"))
                        .withValueSerde(Serdes.Long()))
                .toStream()
                .to("counts", Produced.with(Serdes.String(), Serdes.Long()));

        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "hmap-word-count");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092"); // TopologyTestDriver needs no broker

        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), config)) {
            TestInputTopic<String, String> lines =
                    driver.createInputTopic("lines", new StringSerializer(), new StringSerializer());
            lines.pipeInput("Hash maps off the heap");
            lines.pipeInput("Kafka keeps the changelog, hmap keeps the heap quiet");
            lines.pipeInput("the map is Go's map");

            // Interactive queries read the store: a point lookup, a range and a prefix scan.
            KeyValueStore<String, ValueAndTimestamp<Long>> counts = driver.getTimestampedKeyValueStore("word-counts");
            System.out.println("the: " + counts.get("the").value());
            StringBuilder range = new StringBuilder("h..k:");
            try (KeyValueIterator<String, ValueAndTimestamp<Long>> it = counts.range("h", "k")) {
                while (it.hasNext()) {
                    KeyValue<String, ValueAndTimestamp<Long>> kv = it.next();
                    range.append(' ').append(kv.key).append('=').append(kv.value.value());
                }
            }
            System.out.println(range);
            StringBuilder prefix = new StringBuilder("ma*:");
            try (KeyValueIterator<String, ValueAndTimestamp<Long>> it = counts.prefixScan("ma", new StringSerializer())) {
                it.forEachRemaining(kv -> prefix.append(' ').append(kv.key).append('=').append(kv.value.value()));
            }
            System.out.println(prefix);
            System.out.println("words: " + counts.approximateNumEntries());
        }
    }
}
