// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench.report;

import dev.hmap.bench.GrowthLatency;
import dev.hmap.bench.Jvm;
import dev.hmap.bench.KafkaStoreFill;
import dev.hmap.bench.StringMemory;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The benchmark report: runs a profile ({@link Profile}: {@code quick} or {@code full}) through the JMH
 * Runner API and the growth/memory tools, printing a progress line per benchmark, then writes
 * {@code bench/report/report.md} and its charts ({@link ReportWriter}).
 *
 * <pre>
 * bench/run-report [quick|full]                  # the launcher: finds a JDK >= 22, builds the jar if missing
 * java --enable-native-access=ALL-UNNAMED -Xmx2g -cp bench/target/benchmarks.jar dev.hmap.bench.report.Report [quick|full]
 *      [--out DIR] [--with-100m] [--only REGEX] [--dry-run] [--from DIR|results.json]
 * </pre>
 * {@code --only} keeps the benchmarks of the profile whose progress label ({@code GetHitBench.getHit key=long
 * impl=hmap size=1000000}, {@code growth peer=hmap n=1000000}, ...) the regular expression finds.
 * {@code --dry-run} prints the plan and its time estimate; {@code --from} renders the report again from a
 * saved run (the directory's {@code results.json}, {@code growth.txt}, {@code string-memory.txt}, {@code noise.txt},
 * {@code run.properties}; or any JMH JSON result file) without running anything.
 *
 * <p>Files in the output directory: {@code jmh/NNN.json} (one JMH result file per fork, merged into
 * {@code results.json}), {@code growth.txt}, {@code string-memory.txt}, {@code kafka-fill.txt} and
 * {@code noise.txt} (the tools' result lines),
 * {@code run.properties} (machine, JDK, profile, commands, times), {@code logs/} (the tools' output),
 * {@code report.md} and {@code charts/*.png}.
 */
public final class Report {
    private Report() {}

    public static void main(String[] args) throws Exception {
        String profileName = "quick";
        Path out = Path.of("bench", "report");
        Path from = null;
        boolean dryRun = false, with100m = false;
        Pattern only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "quick", "full" -> profileName = args[i];
                case "--out" -> out = Path.of(args[++i]);
                case "--from" -> from = Path.of(args[++i]);
                case "--dry-run" -> dryRun = true;
                case "--with-100m" -> with100m = true;
                case "--only" -> only = Pattern.compile(args[++i]);
                default -> throw new IllegalArgumentException("usage: report [quick|full] [--out DIR] [--with-100m] "
                        + "[--only REGEX] [--dry-run] [--from DIR|results.json]; not " + args[i]);
            }
        }
        if (from != null) {
            Path dir = Files.isDirectory(from) ? from : from.toAbsolutePath().getParent();
            Path json = Files.isDirectory(from) ? from.resolve("results.json") : from;
            Path md = ReportWriter.write(dir, json, out);
            System.out.println("report: wrote " + md);
            return;
        }
        Profile profile = Profile.of(profileName, with100m);
        if (only != null) profile = profile.only(only);
        System.out.printf(Locale.ROOT, "report: profile %s, %d benchmarks (%d JMH forks of -wi %d -i %d, 1 s each), "
                        + "estimated %s on 2 cores%n", profile.name(), profile.jobs().size(),
                profile.jobs().stream().filter(j -> j instanceof Profile.JmhJob).count(), profile.warmups(),
                profile.iterations(), Profile.duration(profile.estimateSeconds()));
        if (dryRun) {
            for (Profile.Job j : profile.jobs()) {
                System.out.printf(Locale.ROOT, "  %-80s ~%s%n", j.label(), Profile.duration(j.estimateSeconds()));
            }
            return;
        }
        run(profile, out, String.join(" ", args));
        Path md = ReportWriter.write(out, out.resolve("results.json"), out);
        System.out.println("report: wrote " + md);
    }

    static void run(Profile profile, Path out, String argLine) throws Exception {
        Files.createDirectories(out.resolve("jmh"));
        Files.createDirectories(out.resolve("logs"));
        try (var old = Files.list(out.resolve("jmh"))) {
            for (Path p : old.toList()) Files.delete(p);
        }
        for (String f : List.of("results.json", "growth.txt", "string-memory.txt", "noise.txt", "kafka-fill.txt")) {
            Files.deleteIfExists(out.resolve(f));
        }
        Properties run = Machine.describe();
        run.setProperty("profile", profile.name());
        run.setProperty("command", "bench/run-report " + argLine);
        run.setProperty("jvm.flags", String.join(" ", Jvm.FLAGS));
        run.setProperty("jmh.settings", "-f 1 -wi " + profile.warmups() + " -i " + profile.iterations()
                + " -w 1s -r 1s -prof gc (PutBench.put10M: -wi 1 -i 2; FileBench.put at 10M: -wi 2 -i 6"
                + profile.jobs().stream().filter(j -> j instanceof Profile.JmhJob jj && jj.benchmark().startsWith("FileReopen."))
                        .map(j -> (Profile.JmhJob) j).findFirst()
                        .map(j -> "; FileReopen: single shots, -wi " + j.warmups() + " -i " + j.iterations()).orElse("") + ")");
        run.setProperty("started", java.time.Instant.now().toString());
        storeProperties(run, out.resolve("run.properties"));

        // JMH's own output, the forks' stdout and stderr included (JVM warnings about JMH's use of
        // sun.misc.Unsafe, for one), goes to a log, so that the console shows one progress line per benchmark.
        PrintStream jmhLog = new PrintStream(Files.newOutputStream(out.resolve("logs").resolve("jmh.txt")), true,
                StandardCharsets.UTF_8);
        List<String> commands = new ArrayList<>();
        List<Profile.Job> jobs = profile.jobs();
        double estimated = profile.estimateSeconds(), estimatedDone = 0;
        long t0 = System.nanoTime();
        int failed = 0;
        for (int k = 0; k < jobs.size(); k++) {
            Profile.Job job = jobs.get(k);
            long t = System.nanoTime();
            String outcome;
            try {
                outcome = switch (job) {
                    case Profile.JmhJob j -> runJmh(j, out, k, commands, jmhLog);
                    case Profile.ToolJob j -> runTool(j, out);
                };
            } catch (Exception e) {
                failed++;
                outcome = "FAILED: " + e.getMessage();
            }
            estimatedDone += job.estimateSeconds();
            double elapsed = (System.nanoTime() - t0) / 1e9;
            double eta = (estimated - estimatedDone) * (elapsed / estimatedDone);
            System.out.printf(Locale.ROOT, "[%d/%d] %s ... %s (%s; eta %s)%n", k + 1, jobs.size(), job.label(), outcome,
                    Profile.duration((System.nanoTime() - t) / 1e9), Profile.duration(eta));
        }
        jmhLog.close();
        mergeJson(out);
        double total = (System.nanoTime() - t0) / 1e9;
        run.setProperty("finished", java.time.Instant.now().toString());
        run.setProperty("duration.seconds", String.format(Locale.ROOT, "%.0f", total));
        run.setProperty("failed", Integer.toString(failed));
        run.setProperty("jmh.commands", String.join("\n", commands));
        storeProperties(run, out.resolve("run.properties"));
        System.out.printf(Locale.ROOT, "report: %d benchmarks in %s (estimate was %s), %d failed%n", jobs.size(),
                Profile.duration(total), Profile.duration(estimated), failed);
    }

    /** One fork through the Runner API; returns the score for the progress line. */
    private static String runJmh(Profile.JmhJob j, Path out, int k, List<String> commands, PrintStream log)
            throws RunnerException, IOException {
        Path json = out.resolve("jmh").resolve(String.format(Locale.ROOT, "%03d.json", k));
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include("^" + Pattern.quote("dev.hmap.bench." + j.benchmark()) + "$")
                .forks(1)
                .warmupIterations(j.warmups()).warmupTime(TimeValue.seconds(1))
                .measurementIterations(j.iterations()).measurementTime(TimeValue.seconds(1))
                .addProfiler(GCProfiler.class)
                .verbosity(VerboseMode.NORMAL)
                .shouldFailOnError(true)
                .resultFormat(ResultFormatType.JSON).result(json.toString());
        StringBuilder cmd = new StringBuilder("java -jar bench/target/benchmarks.jar '^dev.hmap.bench.")
                .append(j.benchmark()).append("$'");
        j.params().forEach((p, v) -> {
            b.param(p, v);
            cmd.append(" -p ").append(p).append('=').append(v);
        });
        cmd.append(" -f 1 -wi ").append(j.warmups()).append(" -i ").append(j.iterations())
                .append(" -w 1s -r 1s -prof gc");
        commands.add(cmd.toString());
        new Runner(b.build(), OutputFormatFactory.createFormatInstance(log, VerboseMode.NORMAL)).run();
        List<Measurement> ms = Measurement.fromJmhJson(Files.readString(json));
        if (ms.isEmpty()) throw new IllegalStateException("no result");
        Measurement m = ms.getFirst();
        return String.format(Locale.ROOT, "%.1f %s, %.1f B/op", m.score(), m.unit(), m.allocPerOp());
    }

    /** One tool child JVM with the benchmark flags; appends its result line to the tool's file. */
    private static String runTool(Profile.ToolJob j, Path out) throws Exception {
        Path log = out.resolve("logs").resolve(j.tool() + "-" + j.peer() + ".txt");
        String line;
        try (PrintStream echo = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8)) {
            line = switch (j.tool()) {
                case "growth" -> GrowthLatency.runChild(Jvm.FLAGS, j.peer(), j.n(), echo).line();
                case "noise" -> "RESULT " + String.join(" ", java.util.Arrays.stream(
                        GrowthLatency.noiseChild(Jvm.FLAGS, j.n(), echo)).mapToObj(Long::toString).toList());
                case "kafka-fill" -> KafkaStoreFill.runChild(Jvm.FLAGS, j.peer(), j.n(), echo);
                default -> StringMemory.runChild(Jvm.FLAGS, j.peer(), j.n(), echo);
            };
        }
        Files.writeString(out.resolve(j.tool() + ".txt"), line + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        String[] f = line.split(" ");
        return switch (j.tool()) {
            case "growth" -> "p99.99 " + f[7] + " ns, max " + f[8] + " ns, " + f[9] + " puts > 1 ms";
            case "noise" -> "no map: p99.99 " + f[3] + " ns, max " + f[4] + " ns, " + f[5] + " samples > 1 ms";
            case "kafka-fill" -> "fill " + f[3] + " ns/put, GC " + (Long.parseLong(f[6]) + Long.parseLong(f[8])) + " ms; overwrite "
                    + f[4] + " ns/put, GC " + (Long.parseLong(f[10]) + Long.parseLong(f[12])) + " ms";
            default -> "off-heap " + f[4] + " + heap " + f[5] + " B/entry";
        };
    }

    /** Concatenates the per-fork JMH JSON arrays into one array, results.json. */
    static void mergeJson(Path out) throws IOException {
        List<String> parts = new ArrayList<>();
        try (var files = Files.list(out.resolve("jmh"))) {
            for (Path p : files.sorted().toList()) {
                String s = Files.readString(p).strip();
                if (s.length() > 2) parts.add(s.substring(1, s.length() - 1).strip());
            }
        }
        Files.writeString(out.resolve("results.json"), "[\n" + String.join(",\n", parts) + "\n]\n");
    }

    static void storeProperties(Properties p, Path file) throws IOException {
        try (var w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(w, "hmap benchmark report run");
        }
    }
}
