// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The rest of the suite runs hmap on the classpath; this runs it as the named module {@code dev.hmap} on
 * the module path: a small application module is compiled against target/classes (an exploded module),
 * run in a child JVM, and shown that the internal package is not readable. Chronicle Bytes (an optional
 * dependency) is absent: String maps must compile and work without it.
 */
class ModulePathTest {
    static final Path MODULE = Path.of("target/classes");

    @Test
    void worksAsANamedModuleAndHidesItsInternals(@TempDir Path tmp) throws Exception {
        assertTrue(Files.exists(MODULE.resolve("module-info.class")), "the engine is built as a module");
        Path src = tmp.resolve("src"), out = tmp.resolve("out");
        write(src.resolve("module-info.java"), "module app { requires dev.hmap; }");
        write(src.resolve("app/Main.java"), """
                package app;
                import dev.hmap.*;
                public class Main {
                    public static void main(String[] args) {
                        try (LongLongMap m = LongLongMap.create(); IntSet s = IntSet.create();
                             StringLongMap str = StringLongMap.create()) {
                            for (long i = 0; i < 100_000; i++) m.put(i, i * 2);
                            s.add(7);
                            str.put("EURUSD", 5);
                            byte[] k = "EURUSD".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                            if (str.get(k, 0, k.length) != 5 || str.get(new StringBuilder("EURUSD")) != 5) {
                                throw new AssertionError("String lookups without Chronicle on the module path");
                            }
                            long sum = 0;
                            for (LongLongCursor c = m.cursor(); c.next(); ) sum += c.value();
                            System.out.println("ok " + m.size() + " " + m.get(21) + " " + sum + " " + s.contains(7)
                                    + " " + m.asMap().get(5L) + " " + Main.class.getModule().getName()
                                    + " " + LongLongMap.class.getModule().getName());
                        }
                    }
                }
                """);
        assertEquals(0, javac(out, src.resolve("module-info.java"), src.resolve("app/Main.java")), "app compiles");

        Path bad = tmp.resolve("bad");
        write(bad.resolve("module-info.java"), "module bad { requires dev.hmap; }");
        write(bad.resolve("bad/Peek.java"), "package bad; public class Peek { dev.hmap.internal.MapMemory m; }");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = compiler().run(null, null, err, "-d", tmp.resolve("bad-out").toString(), "--module-path",
                MODULE.toString(), bad.resolve("module-info.java").toString(), bad.resolve("bad/Peek.java").toString());
        assertNotEquals(0, rc, "dev.hmap.internal must not be readable from another module");
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("not visible"), err.toString(StandardCharsets.UTF_8));

        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "--enable-native-access=dev.hmap", "--module-path",
                MODULE + File.pathSeparator + out, "-m", "app/app.Main").redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM finished");
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("ok 100000 42 9999900000 true 10 app dev.hmap"), output);
        assertFalse(output.contains("WARNING"), "no native-access warning on the module path: " + output);
    }

    private static JavaCompiler compiler() {
        JavaCompiler c = ToolProvider.getSystemJavaCompiler();
        assertNotNull(c, "tests need a JDK");
        return c;
    }

    private static int javac(Path out, Path... files) {
        List<String> args = new java.util.ArrayList<>(List.of("-d", out.toString(), "--module-path", MODULE.toString()));
        for (Path f : files) args.add(f.toString());
        return compiler().run(null, null, null, args.toArray(String[]::new));
    }

    private static void write(Path p, String s) throws Exception {
        Files.createDirectories(p.getParent());
        Files.writeString(p, s);
    }
}
