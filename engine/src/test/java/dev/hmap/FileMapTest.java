// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import dev.hmap.MapImpls.Impl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * File-backed maps of every type: what a map writes is what it reads back after close and reopen (also
 * when closed in the middle of a growth), sync() makes a file clean without closing, read-only opens take
 * no write, and files that are not a valid map of the type are refused unchanged, with the file and the
 * problem named. Each run prints its seed.
 */
class FileMapTest {
    @TempDir
    Path dir;

    /** Random puts and removes, checked against a HashMap; closed and reopened every so often. */
    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("dev.hmap.ConformanceSuite#allWithSeeds")
    void reopenHoldsWhatWasWritten(Impl impl, long seed) {
        System.out.println("FileMapTest " + impl + " seed=" + seed);
        Path file = dir.resolve("map.hmap");
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<Long, Long> ref = new HashMap<>();
        int keys = ConformanceSuite.scaled(6000);
        MapUnderTest m = impl.open(file, false, rnd.nextInt(3) == 0 ? keys : 0, 7, null);
        try {
            for (int round = 0; round < 12; round++) {
                int ops = rnd.nextInt(4000);
                for (int i = 0; i < ops; i++) {
                    long k = impl.key(rnd.nextInt(keys)), v = impl.value(rnd.nextLong());
                    if (rnd.nextInt(4) == 0) {
                        Long was = ref.remove(k);
                        assertEquals(was == null ? m.missingValue() : (long) was, m.remove(k), "remove " + k);
                    } else {
                        long put = impl.isSet() ? MapImpls.PRESENT : v;
                        Long was = ref.put(k, put);
                        assertEquals(was == null ? m.missingValue() : (long) was, m.put(k, put), "put " + k);
                    }
                }
                if (rnd.nextInt(3) == 0) m.raw().sync();
                if (rnd.nextInt(3) == 0) { // a shared reader beside the writer sees what it wrote
                    try (MapUnderTest r = impl.open(file, true, true, 0, 7, null)) {
                        assertEquals(ref.size(), r.size(), "shared reader's size");
                        for (Map.Entry<Long, Long> e : ref.entrySet()) assertEquals((long) e.getValue(), r.get(e.getKey()), "shared reader, key " + e.getKey());
                        MapUnderTest rr = r;
                        assertThrows(UnsupportedOperationException.class, () -> rr.put(impl.key(1), impl.value(1)));
                        assertThrows(UnsupportedOperationException.class, () -> rr.forEach((k, v) -> { }));
                    }
                }
                if (rnd.nextInt(2) == 0) {
                    m.close();
                    m = impl.open(file, false, 0, 7, null);
                    m.core().checkInvariants();
                }
                assertSame(impl, ref, m);
            }
            m.close();
            // Read-only: the same entries, and no write.
            m = impl.open(file, true, 0, 7, null);
            assertSame(impl, ref, m);
            MapUnderTest ro = m;
            assertThrows(UnsupportedOperationException.class, () -> ro.put(impl.key(1), impl.value(1)));
            assertThrows(UnsupportedOperationException.class, () -> ro.remove(impl.key(1)));
            if (!ref.isEmpty()) assertThrows(UnsupportedOperationException.class, ro::clear);
            assertSame(impl, ref, m);
        } finally {
            m.close();
        }
    }

    private static void assertSame(Impl impl, Map<Long, Long> ref, MapUnderTest m) {
        assertEquals(ref.size(), m.size(), "size");
        for (Map.Entry<Long, Long> e : ref.entrySet()) assertEquals((long) e.getValue(), m.get(e.getKey()), "key " + e.getKey());
        long[] n = {0};
        m.forEach((k, v) -> {
            assertEquals(ref.get(k), (Long) v, "cursor entry " + k);
            n[0]++;
        });
        assertEquals(ref.size(), n[0], "entries a cursor visits");
    }

    @Test
    void closedDuringGrowthReopensMidEvacuation() {
        Path file = dir.resolve("growing.hmap");
        long n = 0;
        try (LongLongMap m = LongLongMap.builder().file(file).build()) {
            // Stop as soon as a growth has started: the file then holds two bucket arrays.
            while (!m.stats().growing() || n < 1000) m.put(n, ~n++);
        }
        try (LongLongMap m = LongLongMap.builder().file(file).build()) {
            assertTrue(m.stats().growing(), "still growing after reopen");
            ((dev.hmap.internal.MapCore) m).checkInvariants();
            for (long k = 0; k < n; k++) assertEquals(~k, m.get(k));
            for (long k = n; k < 2 * n; k++) m.put(k, ~k); // finishes the evacuation
            ((dev.hmap.internal.MapCore) m).checkInvariants();
        }
        try (LongLongMap m = LongLongMap.builder().file(file).readOnly(true).build()) {
            assertEquals(2 * n, m.size());
            for (long k = 0; k < 2 * n; k++) assertEquals(~k, m.get(k));
        }
    }

    @Test
    void oneWriterAtATime() {
        Path file = dir.resolve("locked.hmap");
        try (LongLongMap m = LongLongMap.builder().file(file).build()) {
            m.put(1, 2);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> LongLongMap.builder().file(file).build());
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            assertThrows(IllegalStateException.class, () -> LongLongMap.builder().file(file).readOnly(true).build());
            assertEquals(2, m.get(1)); // the refused opens took nothing from the writer
            m.put(3, 4);
        }
        try (LongLongMap r1 = LongLongMap.builder().file(file).readOnly(true).build();
             LongLongMap r2 = LongLongMap.builder().file(file).readOnly(true).build()) {
            assertEquals(4, r1.get(3));
            assertEquals(2, r2.get(1));
            assertThrows(IllegalStateException.class, () -> LongLongMap.builder().file(file).build());
        }
    }

    @Test
    void aFileNotClosedIsRepairedByAReadWriteOpenOnly() throws Exception {
        Path file = dir.resolve("dirty.hmap");
        Path copy = dir.resolve("copy.hmap");
        try (StringLongMap m = StringLongMap.builder().file(file).build()) {
            for (int k = 0; k < 20_000; k++) m.put("key-" + k, k);
            for (int k = 0; k < 20_000; k += 3) m.remove("key-" + k);
            // A copy taken while a writer has it open: a file whose writer stopped without close().
            Files.copy(file, copy);
        }
        byte[] before = Files.readAllBytes(copy);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> StringLongMap.builder().file(copy).readOnly(true).build());
        assertTrue(e.getMessage().contains("read-write open"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(copy), "a refused read-only open changed the file");
        try (StringLongMap m = StringLongMap.builder().file(copy).build()) {
            ((dev.hmap.internal.MapCore) m).checkInvariants();
            assertEquals(20_000 - 6_667, m.size());
            for (int k = 0; k < 20_000; k++) assertEquals(k % 3 == 0 ? 0 : k, m.get("key-" + k), "key-" + k);
            m.put("after", 1);
        }
        try (StringLongMap m = StringLongMap.builder().file(copy).readOnly(true).build()) {
            assertEquals(1, m.get("after"));
        }
    }

    /**
     * What an OS crash can leave: each page of the file from one moment or another, or zero, and the boot
     * id of a boot gone by. Such a file is refused unchanged; with -Dhmap.salvage=true (here: the same
     * repair, run on a file of this boot) the repair gives a consistent map (checkInvariants) that takes
     * writes, never a crash. Its entries' keys check out; values can be torn (a bucket spans two pages),
     * which is why the file is refused by default.
     */
    @Test
    void aTornFileFromAnEarlierBootIsRefusedAndCanBeSalvaged() throws Exception {
        long seed = System.nanoTime();
        System.out.println("FileMapTest torn seed=" + seed);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int round = 0; round < 6; round++) {
            Path file = dir.resolve("torn" + round + ".hmap"), early = dir.resolve("early.hmap"), late = dir.resolve("late.hmap");
            Map<String, java.util.Set<Long>> seen = new HashMap<>();
            try (StringLongMap m = StringLongMap.builder().file(file).build()) {
                for (int i = 0; i < 30_000; i++) write(m, rnd, seen);
                Files.copy(file, early, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                for (int i = 0; i < 30_000; i++) write(m, rnd, seen);
                Files.copy(file, late, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            byte[] a = Files.readAllBytes(early), b = Files.readAllBytes(late);
            byte[] torn = b.clone();
            for (int off = 4096; off < torn.length; off += 4096) { // the header page survives: it was synced
                int r = rnd.nextInt(10);
                if (r < 3 && off < a.length) System.arraycopy(a, off, torn, off, Math.min(4096, a.length - off));
                else if (r == 3) java.util.Arrays.fill(torn, off, Math.min(off + 4096, torn.length), (byte) 0);
            }
            // From an earlier boot: another boot id, and the header's checksum made again.
            byte[] old = torn.clone();
            old[184] ^= 1;
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(old, 0, 248);
            java.nio.ByteBuffer.wrap(old, 248, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(crc.getValue());
            Path t = dir.resolve("torn.hmap");
            Files.write(t, old);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> StringLongMap.builder().file(t).build());
            assertTrue(e.getMessage().contains("machine went down") && e.getMessage().contains("hmap.salvage"), e.getMessage());
            assertArrayEquals(old, Files.readAllBytes(t), "a refused file was changed");
            Files.write(t, torn);
            try (StringLongMap m = StringLongMap.builder().file(t).build()) {
                ((dev.hmap.internal.MapCore) m).checkInvariants();
                long[] kept = new long[2];
                m.forEach((k, v) -> kept[seen.containsKey(k) && seen.get(k).contains(v) ? 0 : 1]++);
                System.out.println("torn round " + round + ": " + kept[0] + " entries as written, " + kept[1] + " not");
                m.put("after", 1); // and it takes writes
                ((dev.hmap.internal.MapCore) m).checkInvariants();
            } catch (IllegalStateException x) {
                // Refusing a file damaged beyond repair is allowed; crashing is not.
                assertTrue(x.getMessage().contains("cannot repair"), x.getMessage());
            }
        }
    }

    private static void write(StringLongMap m, SplittableRandom rnd, Map<String, java.util.Set<Long>> seen) {
        String k = "key-" + rnd.nextInt(20_000);
        if (rnd.nextInt(4) == 0) {
            m.remove(k);
        } else {
            long v = rnd.nextLong();
            m.put(k, v);
            seen.computeIfAbsent(k, x -> new java.util.HashSet<>()).add(v);
        }
    }

    /**
     * The journal's records, as a writer killed inside a growth's header write or inside clear() leaves
     * them: a dirty file with the record written by hand. The header write is undone, the clear finished.
     */
    @Test
    void journalRecordsAreReplayedByTheRepair() throws Exception {
        Path file = dir.resolve("journal.hmap"), dirty = dir.resolve("journal-dirty.hmap");
        try (LongLongMap m = LongLongMap.builder().file(file).build()) {
            for (long k = 0; k < 10_000; k++) m.put(k, k * 7);
            Files.copy(file, dirty);
        }
        int map = 4096, journal = map + 256, shadow = journal + 32;
        // A growth's header write, cut short: the shadow holds the header before it; the header is half new.
        byte[] b = Files.readAllBytes(dirty);
        System.arraycopy(b, map, b, shadow, 72);
        putLong(b, journal, 1); // HEADER
        b[map + 9]++; // B
        putLong(b, map + 24, 1 << 20); // oldbuckets: somewhere that holds no array
        Path grow = dir.resolve("grow.hmap");
        Files.write(grow, b);
        try (LongLongMap m = LongLongMap.builder().file(grow).build()) {
            ((dev.hmap.internal.MapCore) m).checkInvariants();
            assertEquals(10_000, m.size());
            for (long k = 0; k < 10_000; k++) assertEquals(k * 7, m.get(k));
        }
        // clear(), cut short: the record says so; the bucket array still holds entries.
        byte[] c = Files.readAllBytes(dirty);
        putLong(c, journal, 3); // CLEAR
        Path clear = dir.resolve("clear.hmap");
        Files.write(clear, c);
        try (LongLongMap m = LongLongMap.builder().file(clear).build()) {
            ((dev.hmap.internal.MapCore) m).checkInvariants();
            assertEquals(0, m.size());
            assertEquals(0, m.get(5));
            for (long k = 0; k < 1000; k++) m.put(k, k);
            ((dev.hmap.internal.MapCore) m).checkInvariants();
        }
    }

    private static void putLong(byte[] b, int off, long v) {
        java.nio.ByteBuffer.wrap(b, off, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(v);
    }

    @Test
    void syncMakesTheFileCleanUntilTheNextWrite() throws Exception {
        Path file = dir.resolve("synced.hmap");
        Path copy = dir.resolve("copy.hmap");
        try (LongLongMap m = LongLongMap.builder().file(file).build()) {
            for (long k = 0; k < 50_000; k++) m.put(k, k * 3);
            m.sync();
            Files.copy(file, copy); // what an OS crash right now would leave
            m.put(-1, -1);
        }
        try (LongLongMap c = LongLongMap.builder().file(copy).readOnly(true).build()) {
            assertEquals(50_000, c.size());
            for (long k = 0; k < 50_000; k++) assertEquals(k * 3, c.get(k));
        }
        try (LongLongMap m = LongLongMap.builder().file(file).build()) {
            assertEquals(50_001, m.size());
            assertEquals(-1, m.get(-1));
        }
    }

    @Test
    void cursorsOnACleanFileLeaveItClean() {
        Path file = dir.resolve("cursor.hmap");
        try (LongLongMap m = LongLongMap.builder().file(file).build()) {
            for (long k = 0; k < 1000; k++) m.put(k, k);
            m.sync();
            long[] n = {0};
            m.forEach((k, v) -> n[0]++); // sets the iterator flags in the header while the file is clean
            assertEquals(1000, n[0]);
        }
        for (int i = 0; i < 2; i++) {
            try (LongLongMap m = LongLongMap.builder().file(file).build()) { // opened clean, closed without a write
                assertEquals(1000, m.size());
                m.forEach((k, v) -> assertEquals((long) k, (long) v));
            }
        }
        try (LongLongMap m = LongLongMap.builder().file(file).build()) {
            m.put(-1, -1);
            ((dev.hmap.internal.MapCore) m).checkInvariants();
        }
    }

    @Test
    void badFilesAreRefusedUnchanged() throws Exception {
        Path good = dir.resolve("good.hmap");
        try (LongLongMap m = LongLongMap.builder().file(good).build()) {
            m.put(1, 1);
        }
        byte[] valid = Files.readAllBytes(good);
        // The wrong type: a LongLongMap file opened as other types.
        refused(valid, "holds a LongLongMap", p -> IntIntMap.builder().file(p).build());
        refused(valid, "holds a LongLongMap", p -> LongSet.builder().file(p).build());
        refused(valid, "missing value", p -> LongLongMap.builder().file(p).missingValue(-1).build());
        // Another format version.
        byte[] v = valid.clone();
        v[8] = 2;
        refused(v, "format version 2", p -> LongLongMap.builder().file(p).build());
        // A damaged header.
        byte[] d = valid.clone();
        d[80] ^= 1;
        refused(d, "checksum", p -> LongLongMap.builder().file(p).build());
        // Too short for its header.
        refused(java.util.Arrays.copyOf(valid, 100), "shorter than", p -> LongLongMap.builder().file(p).build());
        // Random bytes.
        byte[] r = new byte[3 * 4096];
        new SplittableRandom(1).nextBytes(r);
        refused(r, "not an hmap file", p -> LongLongMap.builder().file(p).build());
        // A file written by another program.
        byte[] text = ("#!/bin/sh\necho 'not a map'\n" + "x".repeat(5000)).getBytes();
        refused(text, "not an hmap file", p -> LongLongMap.builder().file(p).build());
        // Truncated after its header.
        refused(java.util.Arrays.copyOf(valid, 8192), "truncated", p -> LongLongMap.builder().file(p).build());
        // A damaged snapshot.
        byte[] s = valid.clone();
        long off = 4096 + java.nio.ByteBuffer.wrap(valid, 160, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        s[(int) off + 9] ^= 1;
        refused(s, "snapshot", p -> LongLongMap.builder().file(p).build());
    }

    private void refused(byte[] content, String problem, java.util.function.Function<Path, OffHeapMap> open) throws Exception {
        Path p = Files.createTempFile(dir, "bad", ".hmap");
        Files.write(p, content);
        RuntimeException e = assertThrows(RuntimeException.class, () -> open.apply(p).close());
        assertTrue(e instanceof IllegalArgumentException || e instanceof IllegalStateException, e.toString());
        assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains(problem), e.getMessage());
        assertArrayEquals(content, Files.readAllBytes(p), "the refused file was changed");
    }

    @Test
    void emptyFileBecomesAMapAndMissingFileReadOnlyIsRefused() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.hmap"));
        try (StringLongMap m = StringLongMap.builder().file(empty).build()) {
            m.put("a", 1);
        }
        try (StringLongMap m = StringLongMap.builder().file(empty).readOnly(true).build()) {
            assertEquals(1, m.get("a"));
        }
        assertThrows(UncheckedIOException.class, () -> LongLongMap.builder().file(dir.resolve("none.hmap")).readOnly(true).build());
        assertThrows(IllegalStateException.class, () -> LongLongMap.builder().readOnly(true).build());
    }
}
