// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

/**
 * A snapshot of a map's Go header fields (the {@code hmap} struct of Go's runtime) and of its off-heap
 * memory use, as {@link OffHeapMap#stats()} returns it.
 *
 * @param count        live entries (Go's {@code count})
 * @param flags        Go's flag bits: 1 iterator, 2 oldIterator, 4 hashWriting, 8 sameSizeGrow
 * @param B            log2 of the number of buckets
 * @param noverflow    approximate number of overflow buckets (exact below B = 16, as in Go)
 * @param hash0        the hash seed
 * @param nevacuate    progress counter of the evacuation in progress
 * @param growing      whether an evacuation is in progress ({@code oldbuckets != nil})
 * @param sameSizeGrow whether that growth keeps B
 * @param buckets      number of buckets of the current array (2^B; 0 before the first insert)
 * @param oldBuckets   number of buckets of the array being evacuated, 0 when not growing
 * @param keySize      bytes per key slot
 * @param valueSize    bytes per value slot (0 for sets)
 * @param bucketSize   bytes per bucket
 * @param offHeapBytes bytes of off-heap memory the map holds right now
 */
public record MapStats(long count, int flags, int B, int noverflow, int hash0, long nevacuate,
                       boolean growing, boolean sameSizeGrow, long buckets, long oldBuckets,
                       int keySize, int valueSize, int bucketSize, long offHeapBytes) {
}
