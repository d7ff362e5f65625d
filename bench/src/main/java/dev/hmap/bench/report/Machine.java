// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/**
 * The machine, JDK and library versions a report was measured with, as properties stored in
 * {@code run.properties} (so that a report rendered again with {@code --from} still names the machine the
 * numbers come from). Versions are read from the jar: {@code bench-versions.properties}, which Maven fills
 * from the poms, and Chronicle Bytes' own {@code pom.properties}.
 */
final class Machine {
    private Machine() {}

    static Properties describe() {
        Properties p = new Properties();
        p.setProperty("cpu", firstMatch(Path.of("/proc/cpuinfo"), "model name"));
        p.setProperty("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        String mem = firstMatch(Path.of("/proc/meminfo"), "MemTotal");
        try {
            long kb = Long.parseLong(mem.replaceAll("[^0-9]", ""));
            mem = String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
        } catch (NumberFormatException ignored) {
            // keep the raw line
        }
        p.setProperty("ram", mem);
        p.setProperty("kernel", System.getProperty("os.name") + " " + read(Path.of("/proc/sys/kernel/osrelease")).strip()
                + " " + System.getProperty("os.arch"));
        p.setProperty("thp", read(Path.of("/sys/kernel/mm/transparent_hugepage/enabled")).strip());
        p.setProperty("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version"));
        Properties v = versions();
        for (String k : v.stringPropertyNames()) p.setProperty("version." + k, v.getProperty(k));
        return p;
    }

    static Properties versions() {
        Properties v = new Properties();
        load(v, "/bench-versions.properties");
        Properties cb = new Properties();
        load(cb, "/META-INF/maven/net.openhft/chronicle-bytes/pom.properties");
        if (cb.getProperty("version") != null) v.setProperty("Chronicle Bytes", cb.getProperty("version"));
        return v;
    }

    private static void load(Properties p, String resource) {
        try (InputStream in = Machine.class.getResourceAsStream(resource)) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            throw new IllegalStateException(resource, e);
        }
    }

    private static String firstMatch(Path file, String prefix) {
        for (String line : read(file).split("\n")) {
            if (line.startsWith(prefix)) return line.substring(line.indexOf(':') + 1).strip();
        }
        return "unknown";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
