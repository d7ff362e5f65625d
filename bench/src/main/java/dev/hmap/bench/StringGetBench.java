// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import dev.hmap.StringLongMap;
import it.unimi.dsi.fastutil.objects.Object2LongOpenHashMap;
import org.agrona.collections.Object2LongHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.ObjectLongHashMap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;

/**
 * <b>String-keyed get</b>: the cost of one lookup in a String-to-long map of {@code size} entries, by peer
 * and by the form the key arrives in. Keys are {@link StringKeys}: random printable ASCII, 8 to 24 chars,
 * fixed seed; map values are the key ids. Each map is filled once per trial, no size hint.
 *
 * <p>{@code getHit} ({@link Hit}, parameter {@code impl}), every lookup a hit, keys in a pre-shuffled order:
 * <ul>
 *   <li>{@code hmap-String}: {@link StringLongMap#get(String)} with a ready String.</li>
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
 *   <li><i>Megamorphic dispatch:</i> each flavour is its own loop over fields of concrete types; one fork
 *       runs one flavour.</li>
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
    static final int BATCH = 1024;

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long getHit(Hit s) {
        return s.batch();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long getMiss(Miss s) {
        return s.batch();
    }

    /** The peers and key forms of {@code getHit}. */
    @State(Scope.Thread)
    public static class Hit {
        @Param({"hmap-String", "hmap-chars", "hmap-bytes", "hmap-segment", "hmap-segmentSlice", "hmap-bytesStore",
                "HashMap-String", "HashMap-chars", "HashMap-bytes",
                "fastutil-String", "fastutil-bytes", "agrona-String", "eclipse-String"})
        public String impl;

        @Param({"1000", "1000000"})
        public int size;

        static final int HMAP_STRING = 0, HMAP_CHARS = 1, HMAP_BYTES = 2, HMAP_SEGMENT = 3, HMAP_SLICE = 4,
                HASHMAP_STRING = 5, HASHMAP_CHARS = 6, HASHMAP_BYTES = 7, FASTUTIL_STRING = 8,
                FASTUTIL_BYTES = 9, AGRONA_STRING = 10, ECLIPSE_STRING = 11, HMAP_STORE = 12;

        private int kind;
        private StringLongMap hmap;
        private HashMap<String, Long> hashMap;
        private Object2LongOpenHashMap<String> fastutil;
        private Object2LongHashMap<String> agrona;
        private ObjectLongHashMap<String> eclipse;

        private String[] probeStrings;  // ready Strings, lookup order
        private char[] chars;           // all probe keys' chars, lookup order
        private byte[] bytes;           // all probe keys' UTF-8 bytes, lookup order
        private int[] start;            // key i is [start[i], start[i + 1]) of chars / bytes / all
        private Arena arena;
        private MemorySegment all;      // the bytes, in native memory
        private MemorySegment[] slices; // all.asSlice(start[i], len(i)), made in setup
        private Bytes<?> chronicle;     // the bytes in a direct Chronicle Bytes
        private BytesStore<?, ?> store;
        private final StringBuilder sb = new StringBuilder(StringKeys.MAX_LEN);
        private int n;
        private int pos;

        @Setup(Level.Trial)
        public void setup() {
            kind = switch (impl) {
                case "hmap-String" -> HMAP_STRING;
                case "hmap-chars" -> HMAP_CHARS;
                case "hmap-bytes" -> HMAP_BYTES;
                case "hmap-segment" -> HMAP_SEGMENT;
                case "hmap-segmentSlice" -> HMAP_SLICE;
                case "HashMap-String" -> HASHMAP_STRING;
                case "HashMap-chars" -> HASHMAP_CHARS;
                case "HashMap-bytes" -> HASHMAP_BYTES;
                case "fastutil-String" -> FASTUTIL_STRING;
                case "fastutil-bytes" -> FASTUTIL_BYTES;
                case "agrona-String" -> AGRONA_STRING;
                case "eclipse-String" -> ECLIPSE_STRING;
                case "hmap-bytesStore" -> HMAP_STORE;
                default -> throw new IllegalArgumentException("unknown impl " + impl);
            };
            n = size;
            int[] ids = StringKeys.range(0, n);
            if (kind <= HMAP_SLICE || kind == HMAP_STORE) {
                hmap = StringPeers.hmap(ids);
            } else if (kind <= HASHMAP_BYTES) {
                hashMap = StringPeers.hashMap(ids);
            } else if (kind <= FASTUTIL_BYTES) {
                fastutil = StringPeers.fastutil(ids);
            } else if (kind == AGRONA_STRING) {
                agrona = StringPeers.agrona(ids);
            } else {
                eclipse = StringPeers.eclipse(ids);
            }
            int[] probe = StringKeys.shuffled(ids, StringKeys.SHUFFLE_SEED);
            switch (kind) {
                case HMAP_STRING, HASHMAP_STRING, FASTUTIL_STRING, AGRONA_STRING, ECLIPSE_STRING -> {
                    probeStrings = new String[n];
                    for (int i = 0; i < n; i++) probeStrings[i] = StringKeys.string(probe[i]);
                }
                default -> {
                    StringKeys.Packed p = StringKeys.pack(probe, 0);
                    start = p.start();
                    bytes = p.bytes();
                    if (kind == HMAP_CHARS || kind == HASHMAP_CHARS) {
                        chars = p.chars();
                        bytes = null;
                    }
                    if (kind == HMAP_STORE) {
                        chronicle = Bytes.allocateElasticDirect(bytes.length);
                        chronicle.write(bytes);
                        store = chronicle.bytesStore();
                        bytes = null;
                    }
                    if (kind == HMAP_SEGMENT || kind == HMAP_SLICE) {
                        arena = Arena.ofShared();
                        all = arena.allocate(bytes.length, 8);
                        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, all, 0, bytes.length);
                        bytes = null;
                        if (kind == HMAP_SEGMENT) { // (kind == HMAP_SLICE slices per lookup)
                            slices = new MemorySegment[n];
                            for (int i = 0; i < n; i++) slices[i] = all.asSlice(start[i], start[i + 1] - start[i]);
                        }
                    }
                }
            }
            // One batch must return the ids of the first BATCH probes.
            long expected = 0;
            for (int i = 0, k = 0; k < BATCH; k++, i = (i + 1) % n) expected += probe[i];
            pos = 0;
            long got = batch();
            if (got != expected) throw new IllegalStateException(impl + ": sum " + got + " != " + expected);
            pos = 0;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (hmap != null) hmap.close();
            if (arena != null) arena.close();
            if (chronicle != null) chronicle.releaseLast();
        }

        long batch() {
            return switch (kind) {
                case HMAP_STRING -> hmapString();
                case HMAP_CHARS -> hmapChars();
                case HMAP_BYTES -> hmapBytes();
                case HMAP_SEGMENT -> hmapSegment();
                case HMAP_SLICE -> hmapSlice();
                case HMAP_STORE -> hmapStore();
                case HASHMAP_STRING -> hashMapString();
                case HASHMAP_CHARS -> hashMapChars();
                case HASHMAP_BYTES -> hashMapBytes();
                case FASTUTIL_STRING -> fastutilString();
                case FASTUTIL_BYTES -> fastutilBytes();
                case AGRONA_STRING -> agronaString();
                default -> eclipseString();
            };
        }

        private long hmapString() {
            StringLongMap m = hmap;
            String[] p = probeStrings;
            int i = pos;
            long sum = 0;
            for (int j = 0; j < BATCH; j++) {
                sum += m.get(p[i]);
                if (++i == n) i = 0;
            }
            pos = i;
            return sum;
        }

        private long hmapChars() {
            StringLongMap m = hmap;
            StringBuilder b = sb;
            char[] c = chars;
            int[] st = start;
            int i = pos;
            long sum = 0;
            for (int j = 0; j < BATCH; j++) {
                int off = st[i];
                b.setLength(0);
                b.append(c, off, st[i + 1] - off);
                sum += m.get((CharSequence) b);
                if (++i == n) i = 0;
            }
            pos = i;
            return sum;
        }

        private long hmapBytes() {
            StringLongMap m = hmap;
            byte[] bs = bytes;
            int[] st = start;
            int i = pos;
            long sum = 0;
            for (int j = 0; j < BATCH; j++) {
                int off = st[i];
                sum += m.get(bs, off, st[i + 1] - off);
                if (++i == n) i = 0;
            }
            pos = i;
            return sum;
        }

        private long hmapSegment() {
            StringLongMap m = hmap;
            MemorySegment[] p = slices;
            int i = pos;
            long sum = 0;
            for (int j = 0; j < BATCH; j++) {
                sum += m.get(p[i]);
                if (++i == n) i = 0;
            }
            pos = i;
            return sum;
        }

        private long hmapSlice() {
            StringLongMap m = hmap;
            MemorySegment a = all;
            int[] st = start;
            int i = pos;
            long sum = 0;
            for (int j = 0; j < BATCH; j++) {
                int off = st[i];
                sum += m.get(a.asSlice(off, st[i + 1] - off));
                if (++i == n) i = 0;
            }
            pos = i;
            return sum;
        }

        private long hmapStore() {
            StringLongMap m = hmap;
            BytesStore<?, ?> bs = store;
            int[] st = start;
            int i = pos;
            long sum = 0;
            for (int j = 0; j < BATCH; j++) {
                int off = st[i];
                sum += m.getAt(bs, off, st[i + 1] - off);
                if (++i == n) i = 0;
            }
            pos = i;
            return sum;
        }

        private long hashMapString() {
            HashMap<String, Long> m = hashMap;
            String[] p = probeStrings;
            int i = pos;
            long sum = 0;
            for (int j = 0; j < BATCH; j++) {
                sum += m.get(p[i]); // a hit: null would throw, and that would be a bug worth seeing
                if (++i == n) i = 0;
            }
            pos = i;
            return sum;
        }

        private long hashMapChars() {
            HashMap<String, Long> m = hashMap;
            StringBuilder b = sb;
            char[] c = chars;
            int[] st = start;
            int i = pos;
            long sum = 0;
            for (int j = 0; j < BATCH; j++) {
                int off = st[i];
                b.setLength(0);
                b.append(c, off, st[i + 1] - off);
                sum += m.get(b.toString());
                if (++i == n) i = 0;
            }
            pos = i;
            return sum;
        }

        private long hashMapBytes() {
            HashMap<String, Long> m = hashMap;
            byte[] bs = bytes;
            int[] st = start;
            int i = pos;
            long sum = 0;
            for (int j = 0; j < BATCH; j++) {
                int off = st[i];
                sum += m.get(new String(bs, off, st[i + 1] - off, StandardCharsets.UTF_8));
                if (++i == n) i = 0;
            }
            pos = i;
            return sum;
        }

        private long fastutilString() {
            Object2LongOpenHashMap<String> m = fastutil;
            String[] p = probeStrings;
            int i = pos;
            long sum = 0;
            for (int j = 0; j < BATCH; j++) {
                sum += m.getLong(p[i]);
                if (++i == n) i = 0;
            }
            pos = i;
            return sum;
        }

        private long fastutilBytes() {
            Object2LongOpenHashMap<String> m = fastutil;
            byte[] bs = bytes;
            int[] st = start;
            int i = pos;
            long sum = 0;
            for (int j = 0; j < BATCH; j++) {
                int off = st[i];
                sum += m.getLong(new String(bs, off, st[i + 1] - off, StandardCharsets.UTF_8));
                if (++i == n) i = 0;
            }
            pos = i;
            return sum;
        }

        private long agronaString() {
            Object2LongHashMap<String> m = agrona;
            String[] p = probeStrings;
            int i = pos;
            long sum = 0;
            for (int j = 0; j < BATCH; j++) {
                sum += m.getValue(p[i]);
                if (++i == n) i = 0;
            }
            pos = i;
            return sum;
        }

        private long eclipseString() {
            ObjectLongHashMap<String> m = eclipse;
            String[] p = probeStrings;
            int i = pos;
            long sum = 0;
            for (int j = 0; j < BATCH; j++) {
                sum += m.get(p[i]);
                if (++i == n) i = 0;
            }
            pos = i;
            return sum;
        }
    }

    /** {@code getMiss}: hmap vs HashMap, ready Strings of absent keys (ids {@code [size, 2 size)}). */
    @State(Scope.Thread)
    public static class Miss {
        @Param({"hmap-String", "HashMap-String"})
        public String missImpl;

        @Param({"1000", "1000000"})
        public int size;

        private boolean isHmap;
        private StringLongMap hmap;
        private HashMap<String, Long> hashMap;
        private String[] probeStrings;
        private int pos;

        @Setup(Level.Trial)
        public void setup() {
            isHmap = switch (missImpl) {
                case "hmap-String" -> true;
                case "HashMap-String" -> false;
                default -> throw new IllegalArgumentException("unknown missImpl " + missImpl);
            };
            int[] ids = StringKeys.range(0, size);
            if (isHmap) hmap = StringPeers.hmap(ids);
            else hashMap = StringPeers.hashMap(ids);
            int[] absent = StringKeys.shuffled(StringKeys.range(size, size), StringKeys.SHUFFLE_SEED);
            probeStrings = new String[size];
            for (int i = 0; i < size; i++) probeStrings[i] = StringKeys.string(absent[i]);
            for (int i = 0; i < Math.min(size, 1000); i++) {
                boolean found = isHmap ? hmap.containsKey(probeStrings[i]) : hashMap.containsKey(probeStrings[i]);
                if (found) throw new IllegalStateException("probe key " + probeStrings[i] + " is present");
            }
            pos = 0;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (hmap != null) hmap.close();
        }

        long batch() {
            return isHmap ? hmapBatch() : hashMapBatch();
        }

        private long hmapBatch() {
            StringLongMap m = hmap;
            String[] p = probeStrings;
            int n = p.length;
            int i = pos;
            long sum = 0;
            for (int j = 0; j < BATCH; j++) {
                sum += m.get(p[i]);
                if (++i == n) i = 0;
            }
            pos = i;
            return sum;
        }

        private long hashMapBatch() {
            HashMap<String, Long> m = hashMap;
            String[] p = probeStrings;
            int n = p.length;
            int i = pos;
            long sum = 0;
            for (int j = 0; j < BATCH; j++) {
                Long v = m.get(p[i]);
                sum += v == null ? 1 : v;
                if (++i == n) i = 0;
            }
            pos = i;
            return sum;
        }
    }
}
