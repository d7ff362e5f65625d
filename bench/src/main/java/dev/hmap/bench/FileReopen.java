// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import dev.hmap.LongLongMap;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import net.openhft.chronicle.map.ChronicleMap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * <b>Reopen</b>: the time from a map's file on disk to a map that answers, at {@code size} entries, one
 * {@code SingleShotTime} sample per open (ms). The trial's setup writes one file, and every invocation
 * opens it again; the file is in the page cache (as it is when a process restarts on the same machine),
 * and forced to storage first, so no writeback runs during the measurement.
 * <ul>
 *   <li>{@code hmap}: {@code LongLongMap.builder().file(f).build()} of a cleanly closed file, plus one
 *       {@code get}. Read-write: the open marks the file dirty and waits for that mark to reach storage.</li>
 *   <li>{@code hmap-readonly}: the same with {@code readOnly(true)}, which writes nothing.</li>
 *   <li>{@code fastutil}: the keys and values as a file of longs (16 bytes per entry, written once),
 *       read through a {@code FileChannel} into a {@code Long2LongOpenHashMap} presized for {@code size},
 *       plus one {@code get}: what a heap map's user does to come back from disk.</li>
 *   <li>{@code chronicle}: {@code ChronicleMap.of(Long.class, Long.class).entries(size).createPersistedTo(f)}
 *       of an existing file, plus one {@code get}.</li>
 * </ul>
 * {@code open} times the open and the get; the map is closed after it, outside the measured time (then a
 * full GC, so that one reload's garbage does not land in the next sample). {@code close} times the close
 * of a map opened (and read once) outside the measured time: for hmap read-write, the snapshot written and
 * the whole map forced to storage ({@code msync}, {@code fsync}); hmap read-only and Chronicle Map unmap;
 * fastutil drops its reference. The files are built in {@code @Setup} (presized, {@code keys[i] -> i}) and
 * deleted in {@code @TearDown}.
 *
 * <p>Run alone (from the repository root, after {@code ./mvnw -q -pl bench -am package -DskipTests}):
 * <pre>
 * java -jar bench/target/benchmarks.jar 'FileReopen.open' -p size=10000000 -f 1 -wi 5 -i 10
 * java -jar bench/target/benchmarks.jar 'FileReopen.close' -p impl=hmap,chronicle -p size=10000000 -f 1 -wi 5 -i 10
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
public class FileReopen extends BenchDefaults {
    @Param({"hmap", "hmap-readonly", "fastutil", "chronicle"})
    public String impl;

    @Param({"1000000", "10000000"})
    public int size;

    private Path file;
    private long probeKey, probeValue;
    private boolean timesClose;
    /** The map opened by the last invocation (or by the setup of a close), until it is closed. */
    private Object open;

    @Setup(Level.Trial)
    public void build(BenchmarkParams params) throws IOException {
        timesClose = params.getBenchmark().endsWith(".close");
        Path dir = BenchFiles.dir();
        long[] keys = Keys.distinct(KeyKind.LONG, Keys.SEED, size);
        probeKey = keys[size / 2];
        probeValue = size / 2;
        switch (impl) {
            case "hmap", "hmap-readonly" -> {
                file = BenchFiles.fresh(dir, "reopen-" + size, ".hmap");
                LongLongMap m = LongLongMap.builder().file(file).expectedSize(size).build();
                for (int i = 0; i < size; i++) m.put(keys[i], i);
                m.close();
            }
            case "fastutil" -> {
                file = BenchFiles.fresh(dir, "reopen-" + size, ".longs");
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.nativeOrder());
                    for (int i = 0; i < size; i++) {
                        if (!buf.hasRemaining()) drain(ch, buf);
                        buf.putLong(keys[i]).putLong(i);
                    }
                    drain(ch, buf);
                }
            }
            case "chronicle" -> {
                file = BenchFiles.fresh(dir, "reopen-" + size, ".dat");
                ChronicleMap<Long, Long> m = chronicle();
                for (int i = 0; i < size; i++) m.put(keys[i], (long) i);
                m.close();
            }
            default -> throw new IllegalArgumentException("impl must be hmap, hmap-readonly, fastutil or chronicle: " + impl);
        }
        BenchFiles.force(file);
    }

    private static void drain(FileChannel ch, ByteBuffer buf) throws IOException {
        buf.flip();
        while (buf.hasRemaining()) ch.write(buf);
        buf.clear();
    }

    private ChronicleMap<Long, Long> chronicle() throws IOException {
        return ChronicleMap.of(Long.class, Long.class).entries(size).createPersistedTo(file.toFile());
    }

    @TearDown(Level.Trial)
    public void delete() {
        closeOpen();
        if (file != null) BenchFiles.delete(file);
    }

    /** Opens the file as {@code impl} and reads one entry; the map stays in {@link #open}. */
    private long openAndGet() throws IOException {
        long v;
        switch (impl) {
            case "hmap", "hmap-readonly" -> {
                LongLongMap m = LongLongMap.builder().file(file).readOnly(impl.equals("hmap-readonly")).build();
                open = m;
                v = m.get(probeKey);
            }
            case "fastutil" -> {
                Long2LongOpenHashMap m = new Long2LongOpenHashMap(size);
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.nativeOrder());
                    for (long left = ch.size(); left > 0; ) {
                        int n = ch.read(buf);
                        if (n < 0) throw new IOException(file + " ended early");
                        left -= n;
                        buf.flip();
                        while (buf.remaining() >= 16) m.put(buf.getLong(), buf.getLong());
                        buf.compact();
                    }
                    if (buf.position() != 0) throw new IOException(file + " ends in the middle of an entry");
                }
                open = m;
                v = m.get(probeKey);
            }
            default -> {
                ChronicleMap<Long, Long> m = chronicle();
                open = m;
                Long got = m.get(probeKey);
                v = got == null ? -1 : got;
            }
        }
        if (v != probeValue) throw new IllegalStateException(impl + ": get " + v + " != " + probeValue);
        return v;
    }

    private void closeOpen() {
        Object m = open;
        open = null;
        if (m instanceof LongLongMap h) h.close();
        else if (m instanceof ChronicleMap<?, ?> c) c.close();
    }

    @Setup(Level.Invocation)
    public void before() throws IOException {
        if (timesClose) openAndGet();
    }

    @TearDown(Level.Invocation)
    public void after() {
        closeOpen();
        System.gc(); // the last reload's garbage collected here, not in the next sample
    }

    @Benchmark
    public long open() throws IOException {
        return openAndGet();
    }

    @Benchmark
    public void close() {
        closeOpen();
    }
}
