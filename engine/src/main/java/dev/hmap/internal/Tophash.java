// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import java.lang.foreign.MemorySegment;

/**
 * Tophash bytes: the first 8 bytes of every bucket, one per slot.
 *
 * <pre>
 *  value   name            meaning
 *  0       emptyRest       slot empty, and so is every later slot of this bucket and its overflow chain
 *  1       emptyOne        slot empty
 *  2       evacuatedX      entry valid, moved to the first half of the larger array
 *  3       evacuatedY      same, moved to the second half
 *  4       evacuatedEmpty  slot empty, bucket evacuated
 *  5       minTopHash      smallest tophash of a live entry (hash &gt;&gt;&gt; 56, plus 5 when below 5)
 * </pre>
 *
 * <p>Properties the code relies on (pinned by TophashTest): every empty marker is &lt;= emptyOne so
 * "is empty" is one compare; evacuatedX + 1 == evacuatedY so the destination is X plus a bit; and
 * emptyRest is 0 so fresh zeroed memory is a valid empty bucket and a whole-word zero-byte test
 * finds "nothing further in this chain".
 *
 * <p>The SWAR helpers treat the 8 tophash bytes as one little-endian long, byte i = slot i.
 */
public final class Tophash {
    private Tophash() {}

    public static final int EMPTY_REST = 0;
    public static final int EMPTY_ONE = 1;
    public static final int EVACUATED_X = 2;
    public static final int EVACUATED_Y = 3;
    public static final int EVACUATED_EMPTY = 4;
    public static final int MIN_TOP_HASH = 5;
    public static final int BUCKET_CNT = 8;

    static final long LSB = 0x0101010101010101L;
    static final long MSB = 0x8080808080808080L;

    /** Go's tophash: the top byte of the hash, moved above the sentinels. */
    public static int of(long hash) {
        int top = (int) (hash >>> 56);
        return top < MIN_TOP_HASH ? top + MIN_TOP_HASH : top;
    }

    public static long broadcast(int top) {
        return (top & 0xFFL) * LSB;
    }

    /**
     * Bits 8i+7 set for slots whose tophash equals the broadcast byte. May also flag a slot above a true
     * match whose byte differs only in the lowest bit (borrow): callers compare the key anyway, and such
     * a byte is never an empty or evacuated marker of a bucket that is searched (see TophashTest).
     */
    public static long match(long word, long pattern) {
        long x = word ^ pattern;
        return (x - LSB) & ~x & MSB;
    }

    /** Bits 8i+7 set for empty slots (emptyRest or emptyOne); the lowest set bit is always exact. */
    public static long matchEmpty(long word) {
        long x = word & ~LSB; // 0 or 1 -> 0
        return (x - LSB) & ~x & MSB;
    }

    /** Whether some slot is emptyRest: then nothing follows in this bucket or its overflow chain. */
    public static boolean hasEmptyRest(long word) {
        return ((word - LSB) & ~word & MSB) != 0;
    }

    /**
     * Bits 8i+7 set exactly for slots that hold an entry (tophash 2 or more: in a bucket that is searched,
     * a live entry). Per byte, with no borrow across bytes: the low bit is dropped, then any remaining
     * bit carries into bit 7.
     */
    public static long matchFull(long word) {
        long x = word & ~LSB;
        return (((x & ~MSB) + ~MSB) | x) & MSB;
    }

    /**
     * Bits 8i+7 set exactly for slots that are emptyOne: x = word ^ 0x01.., then per byte "is zero" without
     * a borrow across bytes (the low 7 bits carry into bit 7 unless all are zero).
     */
    public static long matchEmptyOne(long word) {
        long x = word ^ LSB;
        return ~(((x & ~MSB) + ~MSB) | x | ~MSB);
    }

    /**
     * The word with slots j..i made emptyRest, where j is the lowest slot of the run of emptyOne slots that
     * ends just below slot i (j == i when slot i-1 is not emptyOne). With {@link #runStart} it turns Go's
     * byte-by-byte walk back over a bucket into one load and one store.
     */
    public static long clearRun(long word, int i, int j) {
        long run = (-1L >>> (8 * (BUCKET_CNT - 1 - i))) & -(1L << (8 * j));
        return word & ~run;
    }

    /** j for {@link #clearRun}: the lowest slot of the emptyOne run ending just below slot i (i if none). */
    public static int runStart(long word, int i) {
        long notOne = ~matchEmptyOne(word) & MSB & ((1L << (8 * i)) - 1);
        return notOne == 0 ? 0 : lastSlot(notOne) + 1;
    }

    /** The highest slot whose bit 8i+7 is set in matchBits (not 0). */
    public static int lastSlot(long matchBits) {
        return (63 - Long.numberOfLeadingZeros(matchBits)) >>> 3;
    }

    public static int slot(long matchBits) {
        return Long.numberOfTrailingZeros(matchBits) >>> 3;
    }

    public static boolean isEmpty(int top) {
        return top <= EMPTY_ONE;
    }

    /** Go's evacuated(b): the first tophash byte says the bucket was moved. */
    public static boolean evacuated(MemorySegment m, long bucket) {
        int h = m.get(Layouts.BYTE, bucket) & 0xFF;
        return h > EMPTY_ONE && h < MIN_TOP_HASH;
    }
}
