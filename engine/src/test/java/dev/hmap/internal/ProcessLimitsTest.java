// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 12, first step: a process running out of mappings or address space gets OffHeapOutOfMemoryError
 * from hmap, never a JVM crash. Each case runs in a child JVM ({@link LimitsChild}) that brings itself to
 * the limit and then proves it is healthy: heap, GC, class loading and 500 live threads.
 */
class ProcessLimitsTest {

    @Test
    void addressSpaceLimitRefusesMapsAndTheJvmLivesOn(@TempDir Path tmp) throws Exception {
        String out = child(tmp, "as");
        // One map fits (1 GiB, with 1 GiB kept free); none does if the JVM grew by half a GiB meanwhile.
        assertTrue(out.matches("(?s).*refused after [01] maps: cannot reserve.*"), out);
        assertTrue(out.contains("ulimit -v"), "the message names the limit: " + out);
    }

    @Test
    void mappingCountLimitRefusesMapsAndTheJvmLivesOn(@TempDir Path tmp) throws Exception {
        String out = child(tmp, "mappings");
        assertTrue(out.matches("(?s).*refused after \\d+ maps: cannot map more memory.*vm\\.max_map_count.*"), out);
    }

    /** The reported crash: a loop making 100,000 one-entry maps and keeping them open. */
    @Test
    void hundredThousandMapsEndInARefusalOrSucceed(@TempDir Path tmp) throws Exception {
        String out = child(tmp, "loop", "100000");
        assertTrue(out.contains("made 100000 maps"), "small maps share pooled cohorts: " + out);
    }

    private static String child(Path tmp, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "--enable-native-access=ALL-UNNAMED",
                "-XX:ErrorFile=" + tmp.resolve("hs_err_%p.log"), "-cp", classpath(), LimitsChild.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true).start();
        byte[] bytes = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child finished");
        String out = new String(bytes, StandardCharsets.UTF_8);
        System.out.println("[limits] " + String.join(" ", args) + ":\n" + out.strip().indent(2));
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith("hs_err")).toList(),
                    "the child JVM crashed: " + out);
        }
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("healthy: "), out);
        return out;
    }

    /** This module's classes and tests (the child needs nothing else). */
    private static String classpath() {
        return Path.of("target/classes").toAbsolutePath() + File.pathSeparator + Path.of("target/test-classes").toAbsolutePath();
    }
}
