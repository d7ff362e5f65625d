// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A map file truncated by another program while it is mapped: the next access faults (SIGBUS), which the
 * JDK turns into an InternalError; the map then closes itself and says why, and the JVM lives on. Run in a
 * child JVM, in case it does not.
 */
class FileTruncationTest {
    @TempDir
    Path dir;

    @Test
    void aTruncatedFileFailsItsMapClosedWithoutACrash() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = Path.of("target/classes").toAbsolutePath() + File.pathSeparator + Path.of("target/test-classes").toAbsolutePath();
        Process p = new ProcessBuilder(List.of(java, "-Xmx128m", "--enable-native-access=ALL-UNNAMED",
                "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log"), "-cp", cp, FileTruncationTest.class.getName(),
                dir.resolve("t.hmap").toString())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        System.out.println("[truncation] " + out.strip());
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("get: IllegalStateException") && out.contains("truncated its file"), out);
        assertTrue(out.contains("then: IllegalStateException") && out.contains("survived"), out);
    }

    /** The child: fills a map file, truncates it through another descriptor, reads on. */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        LongLongMap m = LongLongMap.builder().file(file).build();
        for (long k = 0; k < 100_000; k++) m.put(k, k);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(8192);
        }
        try {
            for (long k = 0; k < 100_000; k++) m.get(k);
            System.out.println("get: no exception");
        } catch (RuntimeException e) {
            System.out.println("get: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        try {
            m.put(1, 1);
            System.out.println("then: no exception");
        } catch (RuntimeException e) {
            System.out.println("then: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        m.close();
        System.out.println("survived");
    }
}
