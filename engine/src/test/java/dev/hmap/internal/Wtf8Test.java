// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link Wtf8#invalidAt} accepts exactly the byte strings {@link Wtf8#encode} writes: every string's
 * encoding is accepted, and a byte string is accepted only if decoding and encoding it again gives it back
 * (so no two accepted byte strings read back as the same String). {@link Wtf8#hashCode} of a string's
 * encoding is its {@code String.hashCode()}, and {@link Wtf8#equals} tells a string's encoding from every
 * other string's.
 */
class Wtf8Test {

    private static byte[] encode(String s) {
        MemorySegment seg = MemorySegment.ofArray(new byte[(int) Wtf8.encodedLength(s)]);
        Wtf8.encode(s, seg, 0);
        return seg.toArray(ValueLayout.JAVA_BYTE);
    }

    /** Whether the bytes decode to a string that encodes back to them. */
    private static boolean roundTrips(byte[] b) {
        try {
            return Arrays.equals(b, encode(Wtf8.decode(MemorySegment.ofArray(b), 0, b.length)));
        } catch (RuntimeException e) { // a sequence cut short reads past the end
            return false;
        }
    }

    private static void check(byte[] b) {
        long bad = Wtf8.invalidAt(null, b, 0, b.length);
        assertEquals(roundTrips(b), bad < 0, () -> "bytes " + hex(b) + ": invalidAt " + bad);
        assertEquals(bad, Wtf8.invalidAt(MemorySegment.ofArray(b), null, 0, b.length), () -> "segment, bytes " + hex(b));
    }

    @Test
    void everyStringsEncodingIsAccepted() {
        for (int c = 0; c <= 0xFFFF; c++) {
            byte[] b = encode(String.valueOf((char) c));
            assertEquals(-1, Wtf8.invalidAt(null, b, 0, b.length), "U+" + Integer.toHexString(c));
        }
        char[] edges = {0, 'a', 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xE000, 0xFFFF};
        for (char x : edges) {
            for (char y : edges) {
                for (char z : edges) {
                    String s = new String(new char[] {x, y, z});
                    byte[] b = encode(s);
                    assertEquals(-1, Wtf8.invalidAt(null, b, 0, b.length), s::toString);
                    assertTrue(roundTrips(b));
                }
            }
        }
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            char[] c = new char[r.nextInt(12)];
            for (int j = 0; j < c.length; j++) c[j] = (char) (r.nextBoolean() ? r.nextInt(0x80) : r.nextInt(0x10000));
            byte[] b = encode(new String(c));
            assertEquals(-1, Wtf8.invalidAt(null, b, 0, b.length));
        }
    }

    @Test
    void bytesAreAcceptedOnlyIfTheyReadBackAsThemselves() {
        for (int x = 0; x < 256; x++) {
            check(new byte[] {(byte) x});
            for (int y = 0; y < 256; y++) check(new byte[] {(byte) x, (byte) y});
        }
        // Longer strings, built from lead bytes, continuation bytes and ASCII so that most are near misses.
        int[] pool = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xAF, 0xB0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0,
                0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF8, 0xFF};
        SplittableRandom r = new SplittableRandom(8);
        for (int i = 0; i < 300_000; i++) {
            byte[] b = new byte[3 + r.nextInt(6)];
            for (int j = 0; j < b.length; j++) b[j] = (byte) pool[r.nextInt(pool.length)];
            check(b);
        }
    }

    @Test
    void theReportedIndexIsTheFirstBadByte() {
        assertEquals(-1, Wtf8.invalidAt(null, bytes(0xED, 0xA0, 0x80), 0, 3), "a lone high surrogate");
        assertEquals(3, Wtf8.invalidAt(null, bytes(0xED, 0xA0, 0x80, 0xED, 0xB0, 0x80), 0, 6), "a split pair");
        assertEquals(-1, Wtf8.invalidAt(null, bytes(0xED, 0xB0, 0x80, 0xED, 0xA0, 0x80), 0, 6), "low then high");
        assertEquals(2, Wtf8.invalidAt(null, bytes('a', 'b', 0xC0, 0x80), 0, 4), "overlong NUL");
        assertEquals(1, Wtf8.invalidAt(null, bytes(0xE0, 0x80, 0x80), 0, 3), "overlong 3-byte form");
        assertEquals(1, Wtf8.invalidAt(null, bytes(0xF4, 0x90, 0x80, 0x80), 0, 4), "above U+10FFFF");
        assertEquals(0, Wtf8.invalidAt(null, bytes(0xE2, 0x82), 0, 2), "cut short");
        assertEquals(2, Wtf8.invalidAt(null, bytes(0xE2, 0x82, 0x41), 0, 3), "a non-continuation byte");
        assertEquals(0, Wtf8.invalidAt(null, bytes('x', 0xE2, 0x82, 0xAC, 'y'), 1, 2), "relative to off, range cut short");
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) sb.append(String.format("%02X ", x & 0xFF));
        return sb.toString().trim();
    }

    /** A random string: ASCII runs of 0 to 20 chars (8-byte steps and their tails), any char, pairs, lone surrogates. */
    private static String randomString(SplittableRandom r) {
        StringBuilder sb = new StringBuilder();
        int parts = r.nextInt(5);
        for (int p = 0; p < parts; p++) {
            switch (r.nextInt(5)) {
                case 0, 1 -> { for (int k = r.nextInt(21); k > 0; k--) sb.append((char) r.nextInt(0x80)); }
                case 2 -> sb.append((char) r.nextInt(0x10000));
                case 3 -> sb.appendCodePoint(0x10000 + r.nextInt(0x100000));
                default -> sb.append((char) (0xD800 + r.nextInt(0x800)));
            }
        }
        return sb.toString();
    }

    @Test
    void theHashCodeOfAnEncodingIsTheStringsHashCode() {
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < 50_000; i++) {
            String s = randomString(r);
            byte[] b = encode(s);
            // At an odd offset too, so 8-byte steps are not aligned.
            byte[] shifted = new byte[b.length + 3];
            System.arraycopy(b, 0, shifted, 3, b.length);
            assertEquals(s.hashCode(), Wtf8.hashCode(b, 0, b.length), () -> "array: " + hex(b));
            assertEquals(s.hashCode(), Wtf8.hashCode(shifted, 3, b.length), () -> "array at 3: " + hex(b));
            assertEquals(s.hashCode(), Wtf8.hashCode(MemorySegment.ofArray(shifted), 3, b.length), () -> "segment: " + hex(b));
        }
        for (int c = 0; c <= 0xFFFF; c++) {
            String s = "abcdefgh" + (char) c + "ijklmnop";
            byte[] b = encode(s);
            assertEquals(s.hashCode(), Wtf8.hashCode(b, 0, b.length), "U+" + Integer.toHexString(c));
        }
    }

    @Test
    void bytesThatAreNoEncodingStillHashWithinTheirBounds() {
        SplittableRandom r = new SplittableRandom(12);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[r.nextInt(20)];
            r.nextBytes(b);
            Wtf8.hashCode(b, 0, b.length); // any value; no exception reading past the end
            Wtf8.hashCode(MemorySegment.ofArray(b), 0, b.length);
        }
    }

    @Test
    void equalsTellsAnEncodingFromEveryOtherString() {
        SplittableRandom r = new SplittableRandom(13);
        for (int i = 0; i < 50_000; i++) {
            String s = randomString(r);
            MemorySegment b = MemorySegment.ofArray(encode(s));
            assertTrue(Wtf8.equals(b, 0, b.byteSize(), s), () -> "own encoding: " + s);
            String t = randomString(r);
            assertEquals(s.equals(t), Wtf8.equals(b, 0, b.byteSize(), t), () -> s + " vs " + t);
            if (!s.isEmpty()) {
                char[] c = s.toCharArray();
                int at = r.nextInt(c.length);
                c[at] = (char) (c[at] ^ (1 << r.nextInt(16)));
                String u = new String(c);
                assertFalse(Wtf8.equals(b, 0, b.byteSize(), u), () -> s + " vs one char changed: " + u);
                assertFalse(Wtf8.equals(b, 0, b.byteSize(), s.substring(0, s.length() - 1)), () -> s + " vs its prefix");
            }
            assertFalse(Wtf8.equals(b, 0, b.byteSize(), s + "x"), () -> s + " vs longer");
        }
        // Same byte count, not ASCII: "é" (2 bytes) against two ASCII chars, and against the bytes as chars.
        MemorySegment e = MemorySegment.ofArray(encode("\u00e9"));
        assertFalse(Wtf8.equals(e, 0, 2, "ab"));
        assertFalse(Wtf8.equals(e, 0, 2, "\u00c3\u00a9"));
        // A cut sequence (a damaged key) compares false, reading nothing past its length.
        MemorySegment cut = MemorySegment.ofArray(encode("a\u20ac"));
        assertFalse(Wtf8.equals(cut, 0, 3, "a\u20ac"));
    }
}
