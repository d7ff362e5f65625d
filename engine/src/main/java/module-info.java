// SPDX-License-Identifier: Apache-2.0
/**
 * hmap: GC-free off-heap hash maps on Go 1.19's map layout. Only {@code dev.hmap} is exported; the
 * memory, layout and allocator in {@code dev.hmap.internal} are not. Chronicle Bytes is optional: only the
 * String maps' {@code BytesStore} lookups need it.
 */
module dev.hmap {
    requires static chronicle.bytes;

    exports dev.hmap;
}
