// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * <b>String-keyed get</b>: the cost of one lookup in a String-to-long map of {@code size} entries, by peer
 * and by the form the key arrives in. Keys are {@link StringKeys}: random printable ASCII, 8 to 24 chars,
 * fixed seed; map values are the key ids. Each map is filled once per trial, no size hint.
 *
 * <p>{@code getHit} ({@link Hit}, parameter {@code impl} = peer-form: a {@link StringPeers} peer and a
 * {@link KeyForm}), every lookup a hit, keys in a pre-shuffled order:
 * <ul>
 *   <li>{@code hmap-String}: {@link dev.hmap.StringLongMap#get(String)} with a ready String.</li>
 *   <li>{@code hmap-chars}: {@code get(CharSequence)}; the key's chars are copied from one big pre-made
 *       {@code char[]} into a reused {@code StringBuilder} per lookup ({@code setLength(0)} +
 *       {@code append(char[], off, len)}, no allocation): a key parsed out of a message.</li>
 *   <li>{@code hmap-bytes}: {@code get(byte[], off, len)} on one big pre-made byte[] of UTF-8 keys.</li>
 *   <li>{@code hmap-segment}: {@code get(MemorySegment)} with a slice of a native segment holding the same
 *       bytes; the slices are made in {@code @Setup} (a {@code MemorySegment[]} in lookup order), so the
 *       lookup itself creates nothing.</li>
 *   <li>{@code hmap-segmentSlice}: the same, but {@code all.asSlice(off, len)} per lookup, the natural
 *       code; whether the slice object is allocated or scalar-replaced shows in {@code -prof gc}.</li>
 *   <li>{@code hmap-bytesStore}: {@code getAt(BytesStore, off, len)} on a direct Chronicle {@code Bytes}
 *       holding the same bytes: a key inside a parsed FIX or SBE message.</li>
 *   <li>{@code HashMap-String}: {@code HashMap<String, Long>.get} with a ready String.</li>
 *   <li>{@code HashMap-chars}: the StringBuilder above, then {@code sb.toString()} per lookup.</li>
 *   <li>{@code HashMap-bytes}: {@code new String(bytes, off, len, UTF_8)} per lookup.</li>
 *   <li>{@code fastutil-String} / {@code fastutil-bytes}: {@code Object2LongOpenHashMap<String>.getLong},
 *       ready String / String built from the bytes as above.</li>
 *   <li>{@code agrona-String}: Agrona's {@code Object2LongHashMap<String>.getValue}, ready String.</li>
 *   <li>{@code eclipse-String}: Eclipse Collections' {@code ObjectLongHashMap<String>.get}, ready String.</li>
 * </ul>
 * {@code getMiss} ({@link Miss}, parameter {@code missImpl}): {@code hmap-String} vs {@code HashMap-String}
 * with ready Strings of keys known to be absent (other ids of the same generator, so the same length
 * distribution: misses are mostly decided by tophash/hash, occasionally by length or bytes).
 * The score is ns per lookup ({@code @OperationsPerInvocation}); lookups are independent, so this is
 * throughput of a loop over a batch of keys, not the latency of a dependent chain.
 *
 * <p>Pitfalls avoided:
 * <ul>
 *   <li><i>Dead code / constant folding:</i> every result is added to a sum that the method returns, and
 *       keys come from array fields.</li>
 *   <li><i>Identity shortcuts:</i> the ready probe Strings are separate objects with their own byte arrays
 *       (made again from the generator), never the very String objects stored in HashMap/fastutil/Agrona,
 *       so {@code equals} really compares bytes, and a probe does not share cache lines with the stored
 *       key. They do cache their {@code hashCode()} after the first pass, as any long-lived String does;
 *       hmap cannot use that cache and hashes the bytes on every lookup. Strings built per lookup
 *       ({@code -chars}, {@code -bytes} peers) pay hashing and allocation every time, which is the point.</li>
 *   <li><i>Measuring the key source instead of the map:</i> all probe data (String[], char[], byte[],
 *       segments and offsets) is laid out in lookup order, so the loop reads it sequentially and the
 *       prefetcher hides it; the String[] probes are allocated in lookup order too.</li>
 *   <li><i>Cache effects:</i> lookup order is a random permutation, not insertion order; at 1M entries
 *       every map exceeds the last-level cache; {@code size=1000} shows the in-cache cost.</li>
 *   <li><i>Wrong answers:</i> {@code @Setup} runs one batch and checks its sum against the expected ids
 *       (misses: checks that probes are absent).</li>
 *   <li><i>Megamorphic dispatch:</i> one loop ({@link KeyForm#getBatch}) serves every peer and form, and
 *       a fork builds one {@link StringPeer} and one {@link KeyForm}, so both calls in it are monomorphic
 *       and inlined. Any other peer-form pair works too ({@code -p impl=agrona-bytes}).</li>
 * </ul>
 * {@code size} defaults to 1000 and 1000000; 10M is one {@code -p size=10000000} away (about 2.5 GB of heap
 * for the String-holding peers, within the {@code -Xmx12g} of every fork).
 *
 * <p>Run alone (from the repository root, after {@code ./mvnw -q -pl bench -am package -DskipTests}):
 * <pre>
 * java -jar bench/target/benchmarks.jar 'StringGetBench' -p size=1000000 -f 1 -wi 2 -i 3 -w 1s -r 2s
 * java -jar bench/target/benchmarks.jar 'StringGetBench.getHit' -p impl=hmap-bytes -p size=1000000 -f 1 -wi 2 -i 3 -w 1s -r 2s -prof gc
 * </pre>
 */
public class StringGetBench extends BenchDefaults {
    static final int BATCH = MapBench.BATCH;

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long getHit(Hit s) {
        return s.probes.getBatch(s.map);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long getMiss(Miss s) {
        return s.probes.getBatch(s.map);
    }

    /** The map and probes of a lookup benchmark, both closed after the trial. */
    public abstract static class Lookups {
        StringPeer map;
        KeyForm probes;

        @TearDown(Level.Trial)
        public void tearDown() {
            map.close();
            probes.close();
        }
    }

    /** The peers and key forms of {@code getHit}. */
    @State(Scope.Thread)
    public static class Hit extends Lookups {
        @Param({"hmap-String", "hmap-chars", "hmap-bytes", "hmap-segment", "hmap-segmentSlice", "hmap-bytesStore",
                "hmapHashCode-String", "hmapHashCode-bytes",
                "HashMap-String", "HashMap-chars", "HashMap-bytes",
                "fastutil-String", "fastutil-bytes", "agrona-String", "eclipse-String"})
        public String impl;

        @Param({"1000", "1000000"})
        public int size;

        @Setup(Level.Trial)
        public void setup() {
            int[] ids = StringKeys.range(0, size);
            map = StringPeers.filled(peer(impl), ids);
            int[] order = StringKeys.shuffled(ids, StringKeys.SHUFFLE_SEED);
            probes = KeyForm.of(form(impl), order);
            // One batch must return the ids of the first BATCH probes.
            long expected = 0;
            for (int k = 0; k < BATCH; k++) expected += order[k % size];
            long got = probes.getBatch(map);
            if (got != expected) throw new IllegalStateException(impl + ": sum " + got + " != " + expected);
            probes.rewind();
        }
    }

    /** {@code getMiss}: hmap vs HashMap, ready Strings of absent keys (ids {@code [size, 2 size)}). */
    @State(Scope.Thread)
    public static class Miss extends Lookups {
        @Param({"hmap-String", "hmapHashCode-String", "HashMap-String"})
        public String missImpl;

        @Param({"1000", "1000000"})
        public int size;

        @Setup(Level.Trial)
        public void setup() {
            map = StringPeers.filled(peer(missImpl), StringKeys.range(0, size));
            probes = KeyForm.of(form(missImpl), StringKeys.shuffled(StringKeys.range(size, size), StringKeys.SHUFFLE_SEED));
            // Every probe must miss: a batch sums to BATCH times the peer's missing value (0 or -1).
            long missing = probes.get(map, 0);
            if ((missing != 0 && missing != -1) || probes.getBatch(map) != BATCH * missing) {
                throw new IllegalStateException(missImpl + ": a probe key is present");
            }
            probes.rewind();
        }
    }

    /** The peer of an {@code impl} value {@code peer-form}. */
    static String peer(String impl) {
        int dash = impl.indexOf('-');
        if (dash < 0) throw new IllegalArgumentException("impl is peer-form, e.g. hmap-bytes: " + impl);
        return impl.substring(0, dash);
    }

    /** The key form of an {@code impl} value {@code peer-form}. */
    static String form(String impl) {
        return impl.substring(impl.indexOf('-') + 1);
    }
}
