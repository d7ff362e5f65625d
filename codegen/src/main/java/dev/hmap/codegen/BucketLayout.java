// SPDX-License-Identifier: Apache-2.0
package dev.hmap.codegen;

/**
 * The bucket layout Go 1.19's compiler gives {@code map[K]V} (cmd/compile/internal/reflectdata.MapBucketType)
 * on amd64, and the checks it makes of its own output.
 *
 * <pre>
 *  struct bmap {
 *      tophash  [8]uint8    // offset 0
 *      keys     [8]K        // offset 8 (dataOffset), K replaced by *K when larger than 128 bytes
 *      elems    [8]V        // aligned to V, V replaced by *V when larger than 128 bytes
 *      overflow uintptr     // aligned to 8, last field, no padding after it
 *  }
 * </pre>
 *
 * @param key           the key type as declared
 * @param value         the value type as declared
 * @param keySize       bytes per key slot (8 when the key is stored indirectly)
 * @param valueSize     bytes per value slot
 * @param indirectKey   whether key slots hold pointers to the keys
 * @param indirectValue whether value slots hold pointers to the values
 * @param keysOffset    Go's dataOffset
 * @param valuesOffset  offset of the first value slot
 * @param overflowOffset offset of the overflow pointer
 * @param bucketSize    the struct's size, a multiple of its alignment
 */
public record BucketLayout(GoType key, GoType value, long keySize, long valueSize, boolean indirectKey,
                           boolean indirectValue, long keysOffset, long valuesOffset, long overflowOffset,
                           long bucketSize) {
    public static final int BUCKET_CNT = 8;
    public static final long MAX_KEY_SIZE = 128, MAX_ELEM_SIZE = 128;
    /** Go's dataOffset: where the keys start, unsafe.Offsetof(struct{ b bmap; v int64 }{}.v). */
    public static final long DATA_OFFSET = 8;

    public static BucketLayout of(GoType key, GoType value) {
        boolean indirectKey = key.size() > MAX_KEY_SIZE;
        boolean indirectValue = value.size() > MAX_ELEM_SIZE;
        GoType k = indirectKey ? key.pointer() : key;
        GoType v = indirectValue ? value.pointer() : value;
        if (k.align() > BUCKET_CNT) throw new IllegalArgumentException("key align too big for " + key.name());
        if (v.align() > BUCKET_CNT) throw new IllegalArgumentException("value align too big for " + value.name());

        long off = BUCKET_CNT; // tophash [8]uint8
        long keysOffset = alignUp(off, k.align());
        off = keysOffset + BUCKET_CNT * k.size();
        long valuesOffset = alignUp(off, v.align());
        off = valuesOffset + BUCKET_CNT * v.size();
        long overflowOffset = alignUp(off, GoType.PTR_SIZE);
        long structAlign = Math.max(GoType.PTR_SIZE, Math.max(k.align(), v.align()));
        long bucketSize = alignUp(overflowOffset + GoType.PTR_SIZE, structAlign);

        // The invariants Go's compiler asserts for every map type.
        if (keysOffset != DATA_OFFSET) throw new IllegalStateException("keys must start at dataOffset for " + key.name());
        if (keysOffset % k.align() != 0 || valuesOffset % v.align() != 0) throw new IllegalStateException("misaligned slots");
        if (overflowOffset != bucketSize - GoType.PTR_SIZE) {
            throw new IllegalStateException("bad offset of overflow in bmap for map[" + key.name() + "]" + value.name());
        }
        return new BucketLayout(key, value, k.size(), v.size(), indirectKey, indirectValue, keysOffset,
                valuesOffset, overflowOffset, bucketSize);
    }

    public String goType() {
        return "map[" + key.name() + "]" + value.name();
    }

    static long alignUp(long x, long a) {
        return (x + a - 1) & -a;
    }
}
