// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import net.openhft.chronicle.bytes.BytesStore;

import java.util.Objects;

/**
 * Lookups by a Chronicle {@link BytesStore} range: a trading system that parsed a FIX or SBE message into
 * Chronicle Bytes looks a symbol up without building a String. Kept apart so that hmap loads Chronicle
 * classes only when this flavour is used (the dependency, net.openhft:chronicle-bytes, is optional).
 */
public final class ChronicleKeys {
    private ChronicleKeys() {}

    /** Copies {@code bytes[offset, offset + length)} into the scratch; returns length. No allocation. */
    public static long copy(MapCore.Scratch sc, BytesStore<?, ?> bytes, long offset, long length) {
        Objects.requireNonNull(bytes, "bytes");
        long start = bytes.start(), limit = bytes.readLimit();
        if (length < 0 || offset < start || offset > limit - length) {
            throw new IndexOutOfBoundsException("offset " + offset + ", length " + length + " outside the BytesStore's ["
                    + start + ", " + limit + ")");
        }
        byte[] buf = sc.buffer(length);
        int n = (int) length;
        for (int done = 0; done < n; ) {
            long r = bytes.read(offset + done, buf, done, n - done);
            if (r <= 0) throw new IndexOutOfBoundsException("BytesStore ended at " + (offset + done));
            done += (int) r;
        }
        return length;
    }
}
