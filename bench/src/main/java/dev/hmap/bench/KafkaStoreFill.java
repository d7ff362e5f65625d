// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import org.apache.kafka.common.utils.Bytes;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * <b>What a Kafka Streams store costs the garbage collector</b>: fills one store ({@link KafkaStores}:
 * {@code hmap}, {@code in-memory}, {@code rocksdb}) with {@code n} entries of
 * {@value BytesKeys#KEY_LEN}-byte keys and {@value BytesKeys#VALUE_LEN}-byte values in random order, then
 * overwrites every key once more in another random order, and reports for each phase the time per put and
 * the young and old collections with their total pause time ({@code GarbageCollectorMXBean}; with
 * ParallelGC every collection stops the application for its whole time), then the heap the store holds
 * (heap used after full GCs with the store, minus after closing it) and the growth of the resident set
 * since before the fill (off-heap memory: hmap's map, RocksDB's memtables and block cache; heap pages the
 * JVM touched for the others), per entry. Not JMH: one pass, one store per JVM.
 *
 * <p>Each put passes a fresh key and value array, as Kafka's serde layer makes them per record: the in-memory
 * store keeps them (and the value it replaces becomes garbage in the old generation once the store has
 * aged), hmap and RocksDB copy them (they die young). The keys' and the first values' bytes are made
 * before the fill.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -Xms2g -Xmx12g -XX:+UseParallelGC \
 *      -cp bench/target/benchmarks.jar dev.hmap.bench.KafkaStoreFill [-n 10000000] [hmap|in-memory|rocksdb ...]
 * </pre>
 * With several stores (or none: all three), each runs in a child JVM with this JVM's flags. The last line
 * of each is {@code RESULT store n fillNsPerPut putNsPerPut fillYoung fillYoungMs fillOld fillOldMs putYoung
 * putYoungMs putOld putOldMs heapBytesPerEntry rssBytesPerEntry}.
 */
public final class KafkaStoreFill {
    private KafkaStoreFill() {}

    static final String RESULT = "RESULT ";

    public static void main(String[] args) throws Exception {
        int n = 10_000_000;
        List<String> stores = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-n")) n = Integer.parseInt(args[++i]);
            else stores.add(args[i]);
        }
        if (stores.isEmpty()) stores.addAll(List.of(KafkaStores.NAMES));
        if (stores.size() == 1) {
            measure(stores.getFirst(), n);
            return;
        }
        List<String> flags = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String store : stores) runChild(flags, store, n, System.out);
    }

    /** Measures one store in a new JVM with {@code jvmFlags}, echoing its output; returns its RESULT line. */
    public static String runChild(List<String> jvmFlags, String store, int n, java.io.PrintStream echo) throws Exception {
        return GrowthLatency.childJvm(jvmFlags, KafkaStoreFill.class, List.of("-n", Integer.toString(n), store), RESULT, echo);
    }

    static void measure(String name, int n) throws Exception {
        byte[][] keys = BytesKeys.arrays(n);
        byte[][] values = BytesKeys.values(BytesKeys.VALUE_SEED, n, BytesKeys.VALUE_LEN);
        int[] fillOrder = StringKeys.shuffled(StringKeys.range(0, n), Keys.SEED);
        int[] putOrder = StringKeys.shuffled(StringKeys.range(0, n), Keys.SHUFFLE_SEED);
        byte[][] templates = BytesKeys.values(BytesKeys.VALUE_SEED + 1, 4096, BytesKeys.VALUE_LEN);
        GrowthLatency.fullGc();
        long rss0 = BytesMemory.rss();

        KafkaStores.Store store = KafkaStores.open(name);
        long[] g0 = GrowthLatency.gcTotals();
        long t0 = System.nanoTime();
        // A fresh key per put, as Kafka's serde layer makes one; the in-memory store keeps it, the others copy.
        for (int i : fillOrder) store.put(Bytes.wrap(keys[i].clone()), values[i]);
        long t1 = System.nanoTime();
        long[] g1 = GrowthLatency.gcTotals();
        values = null; // the in-memory store holds its own references; the others copied
        for (int k = 0; k < n; k++) {
            int i = putOrder[k];
            store.put(Bytes.wrap(keys[i].clone()), templates[k & 4095].clone()); // fresh arrays, as a serializer makes
        }
        long t2 = System.nanoTime();
        long[] g2 = GrowthLatency.gcTotals();
        if (store.get(Bytes.wrap(keys[putOrder[n - 1]])) == null) throw new IllegalStateException(name + ": a key is missing");
        GrowthLatency.fullGc();
        long heapWith = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), rss1 = BytesMemory.rss();
        store.close();
        store = null;
        GrowthLatency.fullGc();
        long heapWithout = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        Reference.reachabilityFence(keys);
        double fillNs = (t1 - t0) / (double) n, putNs = (t2 - t1) / (double) n;
        double heap = (heapWith - heapWithout) / (double) n, resident = (rss1 - rss0) / (double) n;
        System.out.printf(Locale.ROOT, "%s, %,d entries: fill %.0f ns/put, %d young GCs (%d ms), %d old GCs (%d ms); "
                        + "overwrite %.0f ns/put, %d young GCs (%d ms), %d old GCs (%d ms); heap %.1f B/entry, resident %.1f B/entry%n",
                name, n, fillNs, g1[0] - g0[0], g1[1] - g0[1], g1[2] - g0[2], g1[3] - g0[3],
                putNs, g2[0] - g1[0], g2[1] - g1[1], g2[2] - g1[2], g2[3] - g1[3], heap, resident);
        System.out.printf(Locale.ROOT, "%s%s %d %.1f %.1f %d %d %d %d %d %d %d %d %.1f %.1f%n", RESULT, name, n, fillNs, putNs,
                g1[0] - g0[0], g1[1] - g0[1], g1[2] - g0[2], g1[3] - g0[3],
                g2[0] - g1[0], g2[1] - g1[1], g2[2] - g1[2], g2[3] - g1[3], heap, resident);
    }
}
