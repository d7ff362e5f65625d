// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

/**
 * Thrown when the memory a map needs cannot be had: the kernel refused a mapping, a block is larger than
 * the machine's memory, the map would grow beyond 2^46 bytes, or a new reservation would leave the process
 * too few mappings or too little address space for the JVM ({@code -Dhmap.mapCountHeadroom},
 * {@code -Dhmap.addressSpaceHeadroom}). Where Go's runtime stops the program ("out of memory"), hmap throws
 * this, and the map that threw is unchanged and stays usable: retry once memory is available, or remove
 * entries.
 */
public final class OffHeapOutOfMemoryError extends OutOfMemoryError {
    private static final long serialVersionUID = 1L;
    /** The number of bytes the failed allocation asked for. */
    private final long requestedBytes;

    /**
     * An error for a failed allocation.
     *
     * @param message what was refused and what to do about it
     * @param requestedBytes the number of bytes the failed allocation asked for
     */
    public OffHeapOutOfMemoryError(String message, long requestedBytes) {
        super(message);
        this.requestedBytes = requestedBytes;
    }

    /**
     * The number of bytes the failed allocation asked for.
     *
     * @return the size of the refused request, in bytes
     */
    public long requestedBytes() {
        return requestedBytes;
    }
}
