// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import dev.hmap.LongLongMap;
import net.openhft.chronicle.map.ChronicleMap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * <b>File-backed maps</b>: {@code LongLongMap} in a file against the same map in anonymous memory and
 * against Chronicle Map persisted to a file, on the three operations of {@link GetHitBench}, {@link PutBench}
 * (presized) and {@link ChurnBench}. {@code impl}:
 * <ul>
 *   <li>{@code hmap}: {@code LongLongMap.builder().expectedSize(size).build()}, anonymous memory (the baseline).</li>
 *   <li>{@code hmap-file}: the same with {@code .file(path)}: a file mapped shared, 4 KiB page-cache pages.</li>
 *   <li>{@code chronicle-file}: {@code ChronicleMap.of(Long.class, Long.class).entries(size).createPersistedTo(file)}.</li>
 * </ul>
 * All three are presized for {@code size} (Chronicle Map must be), and the files lie on a disk
 * ({@link BenchFiles}: {@code bench/target/filebench} from the repository root, or {@code -Dhmap.bench.dir});
 * every file is deleted in {@code @TearDown}.
 *
 * <ul>
 *   <li>{@code getHit}: one successful {@code get}, keys in {@link GetHitBench}'s shuffled order, the batch's
 *       sum checked in setup.</li>
 *   <li>{@code churn}: remove one present key, put one new key, on {@link ChurnBench}'s ring of {@code 2 * size}
 *       keys: the size stays {@code size} (checked at the end).</li>
 *   <li>{@code put}: one put of a key not present into a map presized for {@code size}, {@value #PUTS} puts per
 *       invocation until {@code size} keys are in; then the map is closed and a new one (a new file) made,
 *       both outside the measured time (JMH {@code Level.Invocation} helpers, whose own cost is nothing
 *       beside {@value #PUTS} puts). Unlike {@link PutBench}, which measures a whole build with its close, the
 *       close is left out: a file-backed map's close writes every page to storage ({@code msync},
 *       {@code fsync}), a disk's cost, not a put's ({@link FileReopen} times a close). The first write to
 *       each page is in: an anonymous page fault for hmap, a page-cache fault for the files.</li>
 * </ul>
 * Before {@code getHit} and {@code churn} are measured, the filled file is forced to storage ({@code sync()};
 * Chronicle: {@code fsync}), so that the kernel's writeback of the fill does not run during the
 * measurement. What churn writes later is written back by the kernel every 30 s or so, as for any user of a
 * shared file mapping; a page written back is write-protected again, so the next write to it faults: that
 * cost is in {@code churn}'s score for both file-backed maps.
 *
 * <p>Run alone (from the repository root, after {@code ./mvnw -q -pl bench -am package -DskipTests}):
 * <pre>
 * java -jar bench/target/benchmarks.jar 'FileBench' -p size=1000000 -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc
 * java -jar bench/target/benchmarks.jar 'FileBench.getHit' -p impl=hmap,hmap-file -p size=10000000 -f 1 -wi 2 -i 3 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Thread)
public class FileBench extends BenchDefaults {
    static final int BATCH = MapBench.BATCH;
    /** Puts per invocation of {@code put}; {@code size} must be a multiple of it. */
    static final int PUTS = 100_000;

    /** hmap-shared (getHit only): lookups through a map opened shared(true) beside the hmap-file map that wrote it. */
    @Param({"hmap", "hmap-file", "chronicle-file", "hmap-shared"})
    public String impl;

    @Param({"1000000", "10000000"})
    public int size;

    private Path dir;
    /** The map of getHit and churn, and its file (null for hmap). */
    private Peer map;
    /** hmap-shared: the writer beside the reader. */
    private LongLongMap writer;
    private Path file;
    private long[] probe;
    private int pos;
    private long[] ring;
    private int head;
    /** put's keys, in put order. */
    private long[] keys;

    @Setup(Level.Trial)
    public void setup(BenchmarkParams params) {
        if (!List.of("hmap", "hmap-file", "chronicle-file", "hmap-shared").contains(impl)) {
            throw new IllegalArgumentException("impl must be hmap, hmap-file, chronicle-file or hmap-shared: " + impl);
        }
        dir = impl.equals("hmap") ? null : BenchFiles.dir();
        String method = params.getBenchmark();
        if (impl.equals("hmap-shared") && !method.endsWith(".getHit")) {
            throw new IllegalArgumentException("hmap-shared reads only: getHit");
        }
        if (method.endsWith(".put")) {
            if (size % PUTS != 0) throw new IllegalArgumentException("put: size must be a multiple of " + PUTS + ": " + size);
            keys = Keys.distinct(KeyKind.LONG, Keys.SEED, size);
            return;
        }
        boolean churn = method.endsWith(".churn");
        // The first size keys of a draw of 2 * size are those of a draw of size: the same map for both.
        long[] k = Keys.distinct(KeyKind.LONG, Keys.SEED, churn ? 2 * size : size);
        file = newFile();
        map = create(file);
        for (int i = 0; i < size; i++) map.put(k[i], i);
        persist(map, file);
        if (impl.equals("hmap-shared")) {
            writer = ((Peers.HmapLong) map).m;
            writer.put(-1, -1); // dirty again: a live writer's file
            writer.remove(-1);
            map = new Peers.HmapLong(LongLongMap.builder().file(file).shared(true).build());
        }
        if (churn) {
            ring = k;
            head = 0;
            return;
        }
        int[] order = StringKeys.shuffled(StringKeys.range(0, size), Keys.SHUFFLE_SEED);
        probe = new long[size];
        long expected = 0;
        for (int i = 0; i < size; i++) probe[i] = k[order[i]];
        for (int j = 0; j < BATCH; j++) expected += order[j % size];
        long got = MapBench.sumBatch(map, probe, 0);
        if (got != expected) throw new IllegalStateException(impl + ": sum " + got + " != " + expected);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (map == null) return;
        long n = map.size();
        map.close();
        map = null;
        if (writer != null) writer.close();
        writer = null;
        if (file != null) BenchFiles.delete(file);
        if (ring != null && n != size) throw new IllegalStateException("churn changed the size: " + n + " != " + size);
    }

    /** A new file path for the impl, or null for anonymous memory. */
    Path newFile() {
        return switch (impl) {
            case "hmap" -> null;
            case "hmap-file", "hmap-shared" -> BenchFiles.fresh(dir, impl + "-" + size, ".hmap");
            default -> BenchFiles.fresh(dir, impl + "-" + size, ".dat");
        };
    }

    /** A new empty map presized for {@code size}, in {@code file} unless it is null. */
    Peer create(Path file) {
        return switch (impl) {
            case "hmap" -> new Peers.HmapLong(LongLongMap.builder().expectedSize(size).build());
            case "hmap-file", "hmap-shared" -> new Peers.HmapLong(LongLongMap.builder().file(file).expectedSize(size).build());
            default -> {
                try {
                    yield new Peers.ChronicleLong(ChronicleMap.of(Long.class, Long.class).entries(size)
                            .createPersistedTo(file.toFile()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    /** Forces a filled map's file to storage: hmap's sync() (clean, all pages out), Chronicle's file fsync'd. */
    static void persist(Peer map, Path file) {
        if (file == null) return;
        if (map instanceof Peers.HmapLong h) {
            h.m.sync();
        } else {
            BenchFiles.force(file);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long getHit() {
        long sum = MapBench.sumBatch(map, probe, pos);
        pos = (int) ((pos + (long) BATCH) % probe.length);
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long churn() {
        long sum = MapBench.churnBatch(map, ring, size, head);
        head = (int) ((head + (long) BATCH) % ring.length);
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(PUTS)
    public long put(Build b) {
        Peer m = b.map;
        long[] k = keys;
        int from = b.filled, to = from + PUTS;
        for (int i = from; i < to; i++) m.put(k[i], i);
        b.filled = to;
        return m.size();
    }

    /** put's map: made before an invocation finds none, closed (its file deleted) after one fills it. */
    @State(Scope.Thread)
    public static class Build {
        Peer map;
        Path file;
        int filled;

        @Setup(Level.Invocation)
        public void make(FileBench bench) {
            if (map != null) return;
            file = bench.newFile();
            map = bench.create(file);
            filled = 0;
        }

        @TearDown(Level.Invocation)
        public void closeWhenFull(FileBench bench) {
            if (filled >= bench.size) discard();
        }

        @TearDown(Level.Trial)
        public void discard() {
            if (map == null) return;
            map.close();
            map = null;
            if (file != null) BenchFiles.delete(file);
        }
    }
}
