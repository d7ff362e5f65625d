// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import dev.hmap.internal.MapCore;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A child JVM writes a map file (puts, removes, growth and evacuation, clears; long, String and byte-string
 * keys and values, and an int set) and is killed with SIGKILL at a random moment; the file then opens read-write, repaired,
 * and must hold every operation that returned before the kill, and the interrupted one whole or not at
 * all. The child counts the operations that returned in a small mapped file, which, like the map's pages,
 * outlives it. Each round continues the same file from where the last one was verified, so repaired files
 * are written and killed again. {@value #ROUNDS} kills per type in the default run; more with
 * {@code -Dhmap.kill.rounds=N}. Prints its seed.
 */
class FileKillTest {
    static final int ROUNDS = 4;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"long", "string", "bytes", "set"})
    void killedWritersLoseNothingThatReturned(String type) throws Exception {
        int rounds = Integer.getInteger("hmap.kill.rounds", ROUNDS);
        long seed = Long.getLong("hmap.kill.seed", System.nanoTime());
        System.out.println("FileKillTest " + type + " seed=" + seed + " rounds=" + rounds);
        SplittableRandom rnd = new SplittableRandom(seed);
        Path file = dir.resolve(type + ".hmap"), progress = dir.resolve(type + ".progress");
        Map<Object, Object> ref = new HashMap<>();
        long done = 0, entriesChecked = 0;
        for (int round = 0; round < rounds; round++) {
            Files.deleteIfExists(progress);
            Process p = child(type, file, progress, seed, done);
            long killAfter = 20 + rnd.nextInt(400);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (readProgress(progress) <= done && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(2);
            Thread.sleep(killAfter);
            p.destroyForcibly(); // SIGKILL
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the child died");
            String out = Files.readString(dir.resolve(type + ".out"));
            long returned = readProgress(progress);
            assertTrue(returned >= done, "progress went back: " + out);
            for (long i = done; i < returned; i++) apply(type, seed, i, ref);
            // The interrupted operation (index returned) may be in the file or not.
            Map<Object, Object> withNext = new HashMap<>(ref);
            apply(type, seed, returned, withNext);
            try (OffHeapMap m = open(type, file)) {
                ((MapCore) m).checkInvariants();
                Map<Object, Object> actual = contents(type, m);
                if (actual.equals(withNext) && !actual.equals(ref)) {
                    ref = withNext;
                    returned++;
                } else if (!actual.equals(ref)) {
                    fail("round " + round + " of " + type + " seed=" + seed + ": after " + returned
                            + " operations the file holds " + actual.size() + " entries, expected " + ref.size()
                            + " (or " + withNext.size() + "); first difference: " + firstDifference(ref, actual)
                            + "\nchild output:\n" + out);
                }
                entriesChecked += actual.size();
            }
            done = returned;
        }
        System.out.println("FileKillTest " + type + ": " + rounds + " kills, " + done + " operations, "
                + entriesChecked + " entries checked");
    }

    private static String firstDifference(Map<Object, Object> want, Map<Object, Object> got) {
        for (Map.Entry<Object, Object> e : want.entrySet()) {
            if (!Objects.equals(e.getValue(), got.get(e.getKey()))) return e.getKey() + ": want " + e.getValue() + ", got " + got.get(e.getKey());
        }
        for (Object k : got.keySet()) if (!want.containsKey(k)) return k + ": not expected, got " + got.get(k);
        return "none";
    }

    private Process child(String type, Path file, Path progress, long seed, long start) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = Path.of("target/classes").toAbsolutePath() + File.pathSeparator + Path.of("target/test-classes").toAbsolutePath();
        List<String> cmd = List.of(java, "-Xmx256m", "--enable-native-access=ALL-UNNAMED", "-XX:-UsePerfData",
                "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log"), "-cp", cp, FileKillTest.class.getName(),
                type, file.toString(), progress.toString(), Long.toString(seed), Long.toString(start));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(type + ".out").toFile()).start();
    }

    private static long readProgress(Path progress) throws IOException {
        if (!Files.exists(progress) || Files.size(progress) < 8) return -1;
        byte[] b = Files.readAllBytes(progress);
        return java.nio.ByteBuffer.wrap(b).getLong(0);
    }

    // ------------------------------------------------------------------ the writer's operations

    /** The key space grows with the operation count, so the map keeps growing and evacuating. */
    private static long keySpace(long i) {
        return 2000 + i / 3;
    }

    /** Operation i of the sequence (a pure function of seed and i), applied to a reference map. */
    static void apply(String type, long seed, long i, Map<Object, Object> ref) {
        Op op = op(seed, i);
        switch (op.kind) {
            case PUT -> ref.put(key(type, op.key), value(type, op.value));
            case REMOVE -> ref.remove(key(type, op.key));
            case CLEAR -> ref.clear();
        }
    }

    enum Kind { PUT, REMOVE, CLEAR }

    record Op(Kind kind, long key, long value) {}

    static Op op(long seed, long i) {
        SplittableRandom r = new SplittableRandom(seed ^ (i * 0x9E3779B97F4A7C15L));
        int c = r.nextInt(200_000);
        Kind k = c == 0 ? Kind.CLEAR : c < 120_000 ? Kind.PUT : Kind.REMOVE;
        return new Op(k, r.nextLong(keySpace(i)), r.nextLong());
    }

    private static Object key(String type, long k) {
        return type.equals("long") || type.equals("set") ? (Object) k : "k" + k + (k % 7 == 0 ? "-a-longer-key-that-takes-more-than-one-word" : "");
    }

    private static Object value(String type, long v) {
        if (type.equals("set")) return Boolean.TRUE;
        if (!type.equals("bytes")) return v;
        int len = Math.floorMod(v, 97) == 0 ? 3000 + (int) Math.floorMod(v >>> 8, 3000) : (int) Math.floorMod(v >>> 8, 200);
        byte[] b = new byte[len];
        new SplittableRandom(v).nextBytes(b);
        return ByteString.copyOf(b);
    }

    private static OffHeapMap open(String type, Path file) {
        return switch (type) {
            case "long" -> LongLongMap.builder().file(file).build();
            case "set" -> IntSet.builder().file(file).build();
            case "string" -> StringLongMap.builder().file(file).build();
            default -> BytesBytesMap.builder().file(file).build();
        };
    }

    private static Map<Object, Object> contents(String type, OffHeapMap m) {
        Map<Object, Object> out = new HashMap<>();
        switch (type) {
            case "long" -> ((LongLongMap) m).forEach((k, v) -> out.put(k, v));
            case "set" -> ((IntSet) m).forEach(k -> out.put((long) k, Boolean.TRUE));
            case "string" -> ((StringLongMap) m).forEach((k, v) -> out.put(k, v));
            default -> {
                BytesBytesCursor c = ((BytesBytesMap) m).cursor();
                while (c.next()) out.put(new String(c.key().toByteArray(), StandardCharsets.UTF_8), c.value());
            }
        }
        return out;
    }

    /** The child: runs operations from args[4] on, counting each one that returned, until it is killed. */
    public static void main(String[] args) throws Exception {
        String type = args[0];
        Path file = Path.of(args[1]);
        long seed = Long.parseLong(args[3]), start = Long.parseLong(args[4]);
        try (RandomAccessFile raf = new RandomAccessFile(args[2], "rw");
             FileChannel ch = raf.getChannel();
             OffHeapMap m = open(type, file)) {
            MappedByteBuffer progress = ch.map(FileChannel.MapMode.READ_WRITE, 0, 8);
            progress.putLong(0, start);
            for (long i = start; i < start + 50_000_000; i++) {
                Op op = op(seed, i);
                switch (op.kind) {
                    case PUT -> put(type, m, op);
                    case REMOVE -> remove(type, m, op);
                    case CLEAR -> m.clear();
                }
                progress.putLong(0, i + 1);
            }
        }
    }

    private static void put(String type, OffHeapMap m, Op op) {
        switch (type) {
            case "long" -> ((LongLongMap) m).put(op.key, op.value);
            case "set" -> ((IntSet) m).add((int) op.key);
            case "string" -> ((StringLongMap) m).put((String) key(type, op.key), op.value);
            default -> ((BytesBytesMap) m).put(((String) key(type, op.key)).getBytes(StandardCharsets.UTF_8),
                    ((ByteString) value(type, op.value)).toByteArray());
        }
    }

    private static void remove(String type, OffHeapMap m, Op op) {
        switch (type) {
            case "long" -> ((LongLongMap) m).remove(op.key);
            case "set" -> ((IntSet) m).remove((int) op.key);
            case "string" -> ((StringLongMap) m).remove((String) key(type, op.key));
            default -> ((BytesBytesMap) m).remove(((String) key(type, op.key)).getBytes(StandardCharsets.UTF_8));
        }
    }
}
