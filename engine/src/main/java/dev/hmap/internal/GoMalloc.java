// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

/**
 * Go 1.19's {@code roundupsize}: the size its allocator really hands out for a request. makeBucketArray
 * turns the rounding slack into extra preallocated overflow buckets, so hmap rounds the same way to give
 * a bucket array exactly Go's bucket count (table from runtime/sizeclasses.go, 8 KiB pages beyond).
 */
public final class GoMalloc {
    private GoMalloc() {}

    private static final int[] CLASS_TO_SIZE = {0, 8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176,
        192, 208, 224, 240, 256, 288, 320, 352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152,
        1280, 1408, 1536, 1792, 2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912,
        8192, 9472, 9728, 10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264,
        28672, 32768};
    static final long MAX_SMALL_SIZE = 32768, PAGE_SIZE = 8192;

    public static long roundupsize(long size) {
        if (size < MAX_SMALL_SIZE) {
            for (int c : CLASS_TO_SIZE) if (c >= size) return c;
        }
        if (size + PAGE_SIZE < size) return size;
        return MapMemory.alignUp(size, PAGE_SIZE);
    }
}
