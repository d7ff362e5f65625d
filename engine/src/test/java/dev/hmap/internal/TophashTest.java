// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.hmap.internal.Tophash.*;
import static org.junit.jupiter.api.Assertions.*;

/** Pins the properties of the tophash encoding and the SWAR helpers that the probe loops rely on. */
class TophashTest {

    @Test
    void sentinelTable() {
        assertEquals(0, EMPTY_REST, "fresh zeroed memory must read as empty buckets");
        assertTrue(EMPTY_ONE == 1 && EMPTY_REST < EMPTY_ONE, "isEmpty is one compare: top <= emptyOne");
        assertEquals(EVACUATED_X + 1, EVACUATED_Y, "evacuate picks the destination as X plus one bit");
        assertTrue(EVACUATED_EMPTY < MIN_TOP_HASH && EVACUATED_Y < EVACUATED_EMPTY, "sentinels sit below minTopHash");
        assertEquals(5, MIN_TOP_HASH);
    }

    @Test
    void tophashOfAHashIsNeverASentinel() {
        for (int top = 0; top < 256; top++) {
            int t = Tophash.of((long) top << 56);
            assertTrue(t >= MIN_TOP_HASH && t <= 255, "top byte " + top + " -> " + t);
            assertEquals(top < MIN_TOP_HASH ? top + MIN_TOP_HASH : top, t);
        }
    }

    static long naiveMatch(long word, int top) {
        long bits = 0;
        for (int i = 0; i < 8; i++) if (((word >>> (8 * i)) & 0xFF) == top) bits |= 0x80L << (8 * i);
        return bits;
    }

    @Test
    void matchFindsEveryMatchAndFlagsNoEmptySlot() {
        SplittableRandom r = new SplittableRandom(1);
        for (int n = 0; n < 200_000; n++) {
            int top = MIN_TOP_HASH + r.nextInt(256 - MIN_TOP_HASH);
            long word = 0;
            for (int i = 0; i < 8; i++) {
                int kind = r.nextInt(5); // bias towards the interesting bytes
                int v = switch (kind) {
                    case 0 -> top;
                    case 1 -> top ^ 1;
                    case 2 -> r.nextInt(2); // emptyRest / emptyOne
                    default -> r.nextInt(256);
                };
                word |= (long) v << (8 * i);
            }
            long got = match(word, broadcast(top));
            long want = naiveMatch(word, top);
            assertEquals(want, got & want, "every true match is found: " + Long.toHexString(word) + " top " + top);
            long extra = got & ~want;
            for (int i = 0; i < 8; i++) {
                if ((extra & (0x80L << (8 * i))) == 0) continue;
                int v = (int) ((word >>> (8 * i)) & 0xFF);
                assertFalse(isEmpty(v), "an empty slot is never a false positive: " + Long.toHexString(word));
                assertEquals(top ^ 1, v, "false positives differ from top only in the lowest bit");
                assertTrue((want & ((0x80L << (8 * i)) - 1)) != 0, "false positives only sit above a true match");
            }
        }
    }

    @Test
    void matchEmptyLowestIsExactAndEmptyRestIsExact() {
        SplittableRandom r = new SplittableRandom(2);
        for (int n = 0; n < 200_000; n++) {
            long word = 0;
            int firstEmpty = -1;
            boolean rest = false;
            for (int i = 0; i < 8; i++) {
                int v = r.nextInt(3) == 0 ? r.nextInt(2) : 2 + r.nextInt(254);
                if (v <= 1 && firstEmpty < 0) firstEmpty = i;
                if (v == 0) rest = true;
                word |= (long) v << (8 * i);
            }
            long e = matchEmpty(word);
            assertEquals(firstEmpty, e == 0 ? -1 : slot(e), Long.toHexString(word));
            assertEquals(rest, hasEmptyRest(word), Long.toHexString(word));
        }
    }

    @Test
    void matchFullIsExactAndLastSlotIsTheHighest() {
        SplittableRandom r = new SplittableRandom(3);
        for (int n = 0; n < 200_000; n++) {
            long word = 0, expected = 0;
            int last = -1;
            for (int i = 0; i < 8; i++) {
                int v = r.nextInt(3) == 0 ? r.nextInt(2) : r.nextInt(256);
                if (v >= 2) {
                    expected |= 0x80L << (8 * i);
                    last = i;
                }
                word |= (long) v << (8 * i);
            }
            long f = matchFull(word);
            assertEquals(expected, f, "delete's packing moves the entry of the highest live slot: " + Long.toHexString(word));
            assertEquals(last, f == 0 ? -1 : lastSlot(f), Long.toHexString(word));
        }
    }

    @Test
    void matchEmptyOneIsExact() {
        SplittableRandom r = new SplittableRandom(4);
        for (int n = 0; n < 200_000; n++) {
            long word = 0, expected = 0;
            for (int i = 0; i < 8; i++) {
                int v = r.nextInt(2) == 0 ? r.nextInt(3) : r.nextInt(256); // 0, 1 and 2 often: the neighbours
                if (v == EMPTY_ONE) expected |= 0x80L << (8 * i);
                word |= (long) v << (8 * i);
            }
            assertEquals(expected, matchEmptyOne(word), Long.toHexString(word));
        }
    }

    /** clearRun(runStart) against Go's walk back, one byte at a time, from slot i. */
    @Test
    void clearRunIsTheByteWalk() {
        SplittableRandom r = new SplittableRandom(5);
        for (int n = 0; n < 200_000; n++) {
            long word = 0;
            for (int s = 0; s < 8; s++) {
                int v = r.nextInt(3) == 0 ? r.nextInt(256) : r.nextInt(2); // long emptyOne runs, some entries
                word |= (long) v << (8 * s);
            }
            int i = r.nextInt(8);
            long expected = word;
            int j = i;
            for (;;) {
                expected &= ~(0xFFL << (8 * j)); // emptyRest is 0
                if (j == 0 || ((word >>> (8 * (j - 1))) & 0xFF) != EMPTY_ONE) break;
                j--;
            }
            assertEquals(j, runStart(word, i), Long.toHexString(word) + " from slot " + i);
            assertEquals(expected, clearRun(word, i, runStart(word, i)), Long.toHexString(word) + " from slot " + i);
        }
    }
}
