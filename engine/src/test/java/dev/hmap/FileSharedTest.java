// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shared readers: maps opened {@code shared(true)} on a file that a writer, in another process or in this
 * one, keeps writing. Reader processes check every value they read against the writer's rule (a value
 * names its key), through the writer's growth; a writer that stops in the middle of a write is detected
 * and reported, never spun on. Prints its seed.
 */
class FileSharedTest {
    /** The write sequence's place in the file: the header page, then map offset 128. */
    static final int SEQUENCE = 4096 + 128;
    static final int KEY_BITS = 22;

    @TempDir
    Path dir;

    @Test
    void readerProcessesSeeOnlyValuesTheWriterStored() throws Exception {
        long seed = System.nanoTime();
        System.out.println("FileSharedTest seed=" + seed);
        Path file = dir.resolve("shared.hmap");
        Process writer = child("write", file, seed);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while ((!Files.exists(file) || Files.size(file) < 8192) && System.nanoTime() < deadline) Thread.sleep(10);
        Thread.sleep(300);
        List<Process> readers = new ArrayList<>();
        for (int i = 0; i < 3; i++) readers.add(child("read", file, seed + i));
        for (int i = 0; i < readers.size(); i++) {
            Process r = readers.get(i);
            assertTrue(r.waitFor(120, TimeUnit.SECONDS), "reader finished");
            String out = Files.readString(dir.resolve("read-" + (seed + i) + ".out"));
            System.out.println("[shared reader " + i + "] " + out.strip());
            assertEquals(0, r.exitValue(), out);
            assertTrue(out.contains("bad=0 ") && out.contains("grew=true"), out);
        }
        writer.destroyForcibly();
        assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
        // The writer was killed: the file opens read-write, repaired.
        try (LongLongMap m = LongLongMap.builder().file(file).build()) {
            ((dev.hmap.internal.MapCore) m).checkInvariants();
            m.forEach((k, v) -> assertEquals(k, v & ((1L << KEY_BITS) - 1), "value of " + k));
        }
    }

    @Test
    void aWriterStoppedInTheMiddleOfAWriteIsReportedNotSpunOn() throws Exception {
        Path file = dir.resolve("stopped.hmap");
        LongLongMap w = LongLongMap.builder().file(file).build();
        for (long k = 0; k < 1000; k++) w.put(k, k);
        try (LongLongMap r = LongLongMap.builder().file(file).shared(true).build()) {
            assertEquals(1000, r.size());
            assertEquals(5, r.get(5));
            assertThrows(UnsupportedOperationException.class, () -> r.put(1, 1));
            assertThrows(UnsupportedOperationException.class, r::cursor);
            assertThrows(UnsupportedOperationException.class, () -> r.getAll(new long[] {1}, new long[1]));
            w.put(5000, 6);
            assertEquals(6, r.get(5000));
            // The writer goes, leaving its write sequence odd, as a process killed inside a write would.
            w.close();
            setSequenceOdd(file);
            long t0 = System.nanoTime();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.get(5));
            assertTrue(e.getMessage().contains("read-write open"), e.getMessage());
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10), "reported, not spun on");
        }
        // A dirty file with no writer: a shared open is refused, a read-write one repairs it.
        try (LongLongMap w2 = LongLongMap.builder().file(file).build()) {
            assertEquals(1001, w2.size());
        }
    }

    private static void setSequenceOdd(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(b, SEQUENCE);
            long s = b.flip().getLong();
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, s | 1), SEQUENCE);
        }
    }

    private Process child(String role, Path file, long seed) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = Path.of("target/classes").toAbsolutePath() + File.pathSeparator + Path.of("target/test-classes").toAbsolutePath();
        return new ProcessBuilder(List.of(java, "-Xmx256m", "--enable-native-access=ALL-UNNAMED", "-XX:-UsePerfData",
                "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log"), "-cp", cp, FileSharedTest.class.getName(), role,
                file.toString(), Long.toString(seed)))
                .redirectErrorStream(true).redirectOutput(dir.resolve(role + "-" + seed + ".out").toFile()).start();
    }

    /**
     * The children. "write": puts and removes for ever over a growing key range; every value holds its key
     * in its low bits and a counter above them. "read": 2 seconds of random lookups through a shared map,
     * each value checked against that rule; prints how many, how many broke it, and whether the map grew.
     */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[1]);
        SplittableRandom rnd = new SplittableRandom(Long.parseLong(args[2]));
        long mask = (1L << KEY_BITS) - 1;
        if (args[0].equals("write")) {
            try (LongLongMap m = LongLongMap.builder().file(file).build()) {
                for (long i = 0; ; i++) {
                    long range = Math.min(mask, 1000 + i / 4);
                    long k = rnd.nextLong(range);
                    if (rnd.nextInt(5) == 0) m.remove(k);
                    else m.put(k, (i << KEY_BITS) | k);
                }
            }
        }
        long reads = 0, bad = 0, hits = 0;
        try (LongLongMap m = LongLongMap.builder().file(file).shared(true).build()) {
            long first = m.size(), end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < end) {
                long k = rnd.nextLong(Math.max(1000, m.size()));
                long v = m.get(k);
                reads++;
                if (v != 0) {
                    hits++;
                    if ((v & mask) != k) bad++;
                }
            }
            System.out.println("reads=" + reads + " hits=" + hits + " bad=" + bad + " size " + first + " -> " + m.size()
                    + " grew=" + (m.size() > first));
        }
    }
}
