/**
 * hmap: GC-free off-heap hash maps on Go 1.19's map layout. Only {@code dev.hmap} is exported; the
 * memory, layout and allocator in {@code dev.hmap.internal} are not.
 */
module dev.hmap {
    exports dev.hmap;
}
