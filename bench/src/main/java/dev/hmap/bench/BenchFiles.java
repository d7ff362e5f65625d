// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the file benchmarks ({@link FileBench}, {@link FileReopen}) put their files, and the small file chores
 * they share. The directory is {@code -Dhmap.bench.dir=DIR} if set (pass it to the forks with
 * {@code -jvmArgsAppend -Dhmap.bench.dir=DIR}); else {@code bench/target/filebench} when run from the
 * repository root; else {@code java.io.tmpdir}. A default directory on tmpfs is refused: a file-backed map
 * there lives in memory, and its numbers would hide every cost of the disk (page-cache writeback,
 * {@code msync}, {@code fsync}), which is what these benchmarks are for.
 */
final class BenchFiles {
    private BenchFiles() {}

    static final String DIR_PROPERTY = "hmap.bench.dir";
    private static final AtomicInteger COUNTER = new AtomicInteger();

    /** The directory, created if missing. */
    static Path dir() {
        String set = System.getProperty(DIR_PROPERTY);
        Path d = set != null ? Path.of(set)
                : Files.isDirectory(Path.of("bench", "target")) ? Path.of("bench", "target", "filebench")
                : Path.of(System.getProperty("java.io.tmpdir"), "hmap-filebench");
        try {
            Files.createDirectories(d);
            String type = Files.getFileStore(d).type();
            if (set == null && (type.equals("tmpfs") || type.equals("ramfs"))) {
                throw new IllegalStateException(d.toAbsolutePath() + " is on " + type + " (memory, not a disk): pass "
                        + "-jvmArgsAppend -D" + DIR_PROPERTY + "=DIR with a DIR on a disk");
            }
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A path in {@code dir} that no other fork or run uses: the pid and a counter in its name. */
    static Path fresh(Path dir, String what, String ext) {
        return dir.resolve("filebench-" + what + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + ext);
    }

    /**
     * Forces a file's dirty pages to storage ({@code fsync}), so that no writeback of a setup's writes
     * runs during the measurement.
     */
    static void force(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
