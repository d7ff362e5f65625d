// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import dev.hmap.LongLongMap;
import dev.hmap.OffHeapMap;
import dev.hmap.StringLongMap;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * The cost of opening a map file, clean and left dirty by a killed writer (the repair), at {@code -n}
 * entries (default 10,000,000) of a {@code LongLongMap} and a {@code StringLongMap}. Not a JMH benchmark:
 * each open is a single shot that changes its file, so rounds alternate on fresh copies.
 *
 * <p>A map is filled without a size hint into a file; a copy of the file taken while its writer has it
 * open is a file that writer left dirty, as a {@code kill -9} at a quiet moment would (the repair walks
 * all of it either way). Each round times: a read-write open of a fresh dirty copy (the repair, which
 * logs what it did), then a clean close of it; a read-write open of the clean file; a read-only open.
 * Medians of {@code -rounds} (default 5). Files go to {@code -dir} (default java.io.tmpdir), which should
 * be on a disk, not tmpfs.
 *
 * <pre>java -Xmx2g --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.hmap.bench.FileRepair -n 10000000</pre>
 */
public final class FileRepair {
    public static void main(String[] args) throws Exception {
        long n = 10_000_000;
        int rounds = 5;
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "-n" -> n = Long.parseLong(args[i + 1]);
                case "-rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "-dir" -> dir = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        for (String type : new String[] {"LongLongMap", "StringLongMap"}) run(type, n, rounds, dir);
    }

    private static void run(String type, long n, int rounds, Path dir) throws Exception {
        Path file = dir.resolve("repair-" + type + ".hmap"), dirty = dir.resolve("repair-" + type + "-dirty.hmap"),
                copy = dir.resolve("repair-" + type + "-copy.hmap");
        Files.deleteIfExists(file);
        long t = System.nanoTime();
        try (OffHeapMap m = open(type, file, false)) {
            if (m instanceof LongLongMap l) for (long k = 0; k < n; k++) l.put(k, ~k);
            else for (long k = 0; k < n; k++) ((StringLongMap) m).put("key-" + k, k);
            Files.copy(file, dirty, StandardCopyOption.REPLACE_EXISTING); // what a writer killed now leaves
        }
        System.out.printf(Locale.ROOT, "%s: %,d entries, file %,d bytes, filled and closed in %.1f s%n", type, n,
                Files.size(file), (System.nanoTime() - t) / 1e9);
        double[] repair = new double[rounds], clean = new double[rounds], readOnly = new double[rounds];
        double[] closeAfterRepair = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            Files.copy(dirty, copy, StandardCopyOption.REPLACE_EXISTING);
            long a = System.nanoTime();
            OffHeapMap m = open(type, copy, false);
            long b = System.nanoTime();
            if (m.size() != n) throw new AssertionError("repaired map has " + m.size() + " entries, expected " + n);
            m.close();
            long c = System.nanoTime();
            repair[r] = (b - a) / 1e6;
            closeAfterRepair[r] = (c - b) / 1e6;
            a = System.nanoTime();
            try (OffHeapMap clean0 = open(type, file, false)) {
                clean[r] = (System.nanoTime() - a) / 1e6;
                if (clean0.size() != n) throw new AssertionError();
            }
            a = System.nanoTime();
            try (OffHeapMap ro = open(type, file, true)) {
                readOnly[r] = (System.nanoTime() - a) / 1e6;
            }
        }
        System.out.printf(Locale.ROOT, "%s median of %d: repair open %.1f ms (then close %.1f ms), clean open %.2f ms,"
                + " read-only open %.2f ms%n", type, rounds, median(repair), median(closeAfterRepair), median(clean), median(readOnly));
        Files.deleteIfExists(file);
        Files.deleteIfExists(dirty);
        Files.deleteIfExists(copy);
    }

    private static OffHeapMap open(String type, Path file, boolean readOnly) {
        return type.equals("LongLongMap") ? LongLongMap.builder().file(file).readOnly(readOnly).build()
                : StringLongMap.builder().file(file).readOnly(readOnly).build();
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
