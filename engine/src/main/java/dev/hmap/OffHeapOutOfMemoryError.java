// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

/**
 * Thrown when the memory a map needs cannot be had (the kernel refused a mapping, or a hint asked for
 * more than a map can address). The map that threw is unchanged and stays usable: retry once memory is
 * available, or remove entries.
 */
public final class OffHeapOutOfMemoryError extends OutOfMemoryError {
    private static final long serialVersionUID = 1L;
    private final long requestedBytes;

    public OffHeapOutOfMemoryError(String message, long requestedBytes) {
        super(message);
        this.requestedBytes = requestedBytes;
    }

    /** The number of bytes the failed allocation asked for. */
    public long requestedBytes() {
        return requestedBytes;
    }
}
