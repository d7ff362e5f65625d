// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code stringHashCode(true)}: keys hashed by {@code String.hashCode()}. The suites run every String type
 * built this way too (MapImpls.ALL); this class covers what is particular to it: keys that all share one
 * hash code, every key form agreeing on the hash of keys that are not ASCII, and the file's record of it.
 */
class StringHashCodeTest {

    @TempDir
    Path dir;

    /** The 2^bits strings of bits blocks "Aa" or "BB": "Aa".hashCode() == "BB".hashCode(), so all of them share one. */
    private static List<String> colliding(int bits) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 1 << bits; i++) {
            StringBuilder sb = new StringBuilder();
            for (int b = 0; b < bits; b++) sb.append((i >>> b & 1) == 0 ? "Aa" : "BB");
            out.add(sb.toString());
        }
        return out;
    }

    @Test
    void keysThatShareOneHashCodeAreAllKept() {
        List<String> keys = colliding(11);
        int h = keys.getFirst().hashCode();
        assertTrue(keys.stream().allMatch(k -> k.hashCode() == h));
        try (StringLongMap m = StringLongMap.builder().stringHashCode(true).build()) {
            for (int i = 0; i < keys.size(); i++) m.put(keys.get(i), i);
            assertEquals(keys.size(), m.size());
            for (int i = 0; i < keys.size(); i++) {
                String k = keys.get(i);
                assertEquals(i, m.get(new String(k)), k);
                assertEquals(i, m.get(new StringBuilder(k)), k);
                byte[] b = k.getBytes(StandardCharsets.UTF_8);
                assertEquals(i, m.get(b, 0, b.length), k);
            }
            assertEquals(0, m.get("AaAaAaAaAaAaAaAaAaAaBB" + "Aa"), "a longer colliding key is absent");
            for (int i = 0; i < keys.size(); i += 2) assertEquals(i, m.remove(keys.get(i)));
            for (int i = 0; i < keys.size(); i++) assertEquals(i % 2 == 0 ? 0 : i, m.get(keys.get(i)), keys.get(i));
            for (int i = 0; i < keys.size(); i += 2) m.put(keys.get(i), -i);
            for (int i = 0; i < keys.size(); i++) assertEquals(i % 2 == 0 ? -i : i, m.get(keys.get(i)), keys.get(i));
        }
    }

    /** Keys of every kind of char, put by one form and read by each: the forms hash alike. */
    @Test
    void everyFormHashesAKeyAlike() {
        SplittableRandom r = new SplittableRandom(21);
        Map<String, Long> ref = new HashMap<>();
        try (StringLongMap m = StringLongMap.builder().stringHashCode(true).build(); Arena arena = Arena.ofConfined()) {
            for (int i = 0; i < 20_000; i++) {
                String k = randomKey(r);
                byte[] b = k.getBytes(StandardCharsets.UTF_8);
                boolean wellFormed = new String(b, StandardCharsets.UTF_8).equals(k); // no lone surrogates
                long v = i;
                switch (wellFormed ? i % 4 : i % 2) {
                    case 0 -> m.put(k, v);
                    case 1 -> m.put(new StringBuilder(k), v);
                    case 2 -> m.put(b, 0, b.length, v);
                    default -> m.put(arena.allocateFrom(ValueLayout.JAVA_BYTE, b), v);
                }
                ref.put(k, v);
            }
            assertEquals(ref.size(), m.size());
            for (Map.Entry<String, Long> e : ref.entrySet()) {
                String k = e.getKey();
                long v = e.getValue();
                assertEquals(v, m.get(new String(k)), k);
                assertEquals(v, m.get(new StringBuilder(k)), k);
                byte[] b = k.getBytes(StandardCharsets.UTF_8);
                if (new String(b, StandardCharsets.UTF_8).equals(k)) {
                    assertEquals(v, m.get(b, 0, b.length), k);
                    MemorySegment s = arena.allocateFrom(ValueLayout.JAVA_BYTE, b);
                    assertEquals(v, m.get(s), k);
                }
            }
            StringLongCursor c = m.cursor();
            int n = 0;
            while (c.next()) {
                assertEquals(ref.get(c.key()), c.value(), c.key());
                n++;
            }
            assertEquals(ref.size(), n);
        }
    }

    private static String randomKey(SplittableRandom r) {
        StringBuilder sb = new StringBuilder();
        for (int n = r.nextInt(12); n > 0; n--) {
            switch (r.nextInt(6)) {
                case 0, 1, 2 -> sb.append((char) ('a' + r.nextInt(26)));
                case 3 -> sb.append((char) (0x80 + r.nextInt(0x780)));
                case 4 -> sb.appendCodePoint(0x10000 + r.nextInt(0x1000));
                default -> sb.append(r.nextInt(8) == 0 ? (char) (0xD800 + r.nextInt(0x800)) : (char) (0x800 + r.nextInt(0x7000)));
            }
        }
        return sb.toString();
    }

    @Test
    void aFileKeepsItsHashingAndRefusesTheOther() throws Exception {
        Path f = dir.resolve("codes.hmap");
        try (StringLongMap m = StringLongMap.builder().stringHashCode(true).file(f).build()) {
            for (int i = 0; i < 10_000; i++) m.put("k" + i, i);
        }
        byte[] before = Files.readAllBytes(f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StringLongMap.builder().file(f).build());
        assertTrue(e.getMessage().contains("String.hashCode()"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(f), "a refused open changed the file");
        try (StringLongMap m = StringLongMap.builder().stringHashCode(true).file(f).build()) {
            assertEquals(10_000, m.size());
            for (int i = 0; i < 10_000; i++) assertEquals(i, m.get("k" + i));
        }
        Path g = dir.resolve("bytes.hmap");
        try (StringLongMap m = StringLongMap.builder().file(g).build()) {
            m.put("x", 1);
        }
        e = assertThrows(IllegalArgumentException.class, () -> StringLongMap.builder().stringHashCode(true).file(g).build());
        assertTrue(e.getMessage().contains("by their bytes"), e.getMessage());
    }
}
