// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import java.util.Arrays;

/**
 * The state of an open file-backed map that lives in Java objects, as a flat run of longs written into
 * the file when it is made clean ({@link Reservation#checkpoint}) and read back when it is opened.
 *
 * <pre>
 *  long 0    1 .. 9                    10 ..                                  ..
 *  +---------+-------------------------+--------------------------------------+---------------------------+
 *  | VERSION | the map's bytes [0, 72) | the map's Java state: hint, free     | the allocator's state     |
 *  |         | as they were (a check)  | overflow list, prepared array, held  | (Reservation.saveState)   |
 *  |         |                         | arrays and parked bytes to free      |                           |
 *  +---------+-------------------------+--------------------------------------+---------------------------+
 *  written by MapCore.checkpoint, read by MapCore.reopen
 * </pre>
 *
 * Each part is read back by the method that wrote it, in the same order; counts precede lists.
 */
final class Snapshot {
    private Snapshot() {}

    static final long VERSION = 1;

    /** A growable run of longs. */
    static final class Writer {
        private long[] a = new long[64];
        private int n;

        Writer put(long x) {
            if (n == a.length) a = Arrays.copyOf(a, 2 * n);
            a[n++] = x;
            return this;
        }

        long[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }

    /** Reads a run of longs in order; any read past its end, or a value out of its bounds, is damage. */
    static final class Reader {
        private final long[] a;
        private int i;
        private final String source;

        Reader(long[] a, String source) {
            this.a = a;
            this.source = source;
        }

        long next() {
            if (i == a.length) throw damaged("it ends early");
            return a[i++];
        }

        /** The next long, which must lie in [min, max]. */
        long next(long min, long max, String what) {
            long x = next();
            if (x < min || x > max) throw damaged(what + " " + x + " is outside [" + min + ", " + max + "]");
            return x;
        }

        /** The next count of entries of {@code width} longs each, checked against what is left. */
        int count(int width) {
            long c = next(0, (a.length - i) / width, "a count");
            return (int) c;
        }

        void end() {
            if (i != a.length) throw damaged((a.length - i) + " longs are left over");
        }

        IllegalArgumentException damaged(String why) {
            return new IllegalArgumentException("cannot open " + source + ": its state snapshot is damaged (" + why + ")");
        }
    }
}
