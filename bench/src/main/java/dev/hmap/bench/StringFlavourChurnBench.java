// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * hmap's {@code StringLongMap} <b>writes by key form</b>: one churn step removes a present key and puts a new
 * one, both given in the form {@code flavour} names, so that {@code -prof gc} shows what a remove and a put
 * allocate in each form (the target is 0 B/op; a new key's bytes go off-heap, into the map's own memory).
 * The keys are {@link StringKeys} (8 to 24 ASCII chars), a ring of {@code 2 * size}, so the size stays
 * {@code size}; the score is ns per step (one remove and one put). The loop is {@link KeyForm#churnBatch}, the
 * one {@link StringOpsBench#churn} runs for every peer with ready Strings; the map is filled by
 * {@code put(String)}, so the first batch (in {@code @Setup}) also proves each form finds what a String put.
 * <ul>
 *   <li>{@code String}: {@code remove(String)}, {@code put(String, long)}, Strings made in setup.</li>
 *   <li>{@code chars}: the key's chars copied into a reused StringBuilder, then {@code remove(CharSequence)}
 *       and {@code put(CharSequence, long)}.</li>
 *   <li>{@code bytes}: {@code remove(byte[], off, len)}, {@code put(byte[], off, len, long)} on one array of
 *       all keys' UTF-8 bytes.</li>
 *   <li>{@code segment}: the same bytes in a native segment; a slice per key made in setup
 *       ({@code segmentSlice}, a slice per call, works too with {@code -p flavour=segmentSlice}).</li>
 *   <li>{@code bytesStore}: the same bytes in a direct Chronicle {@code Bytes}; {@code removeAt},
 *       {@code putAt}.</li>
 * </ul>
 * Pitfall avoided: a key object made per call would be the benchmark's allocation, not the map's. Each form's
 * data is made once in setup (the StringBuilder is refilled, the slices are made beforehand), so what
 * {@code -prof gc} reports per step is what hmap's remove and put allocate. Baseline: {@code HashMap}'s churn
 * with ready Strings in {@link StringOpsBench}.
 *
 * <p>Run alone (from the repository root, after {@code ./mvnw -q -pl bench -am package -DskipTests}):
 * <pre>
 * java -jar bench/target/benchmarks.jar StringFlavourChurnBench -p size=1000000 -f 1 -wi 2 -i 3 -prof gc
 * </pre>
 */
public class StringFlavourChurnBench extends StringRingBench {
    @Param({"String", "chars", "bytes", "segment", "bytesStore"})
    public String flavour;

    @Setup(Level.Trial)
    public void setup() {
        map = StringPeers.filled("hmap", StringKeys.range(0, size));
        ring = KeyForm.of(flavour, StringKeys.range(0, 2 * size));
        ring.churnBatch(map, size); // throws unless every form finds what put(String) stored
        if (map.size() != size) throw new IllegalStateException(flavour + ": the size moved to " + map.size());
    }
}
