// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

/**
 * What the engine needs to know of one specialization's bucket, written by the generator into each
 * generated class ({@code LAYOUT}) and checked here the way Go's compiler checks its bmap type.
 *
 * <pre>
 *  0         8                       valuesOffset               overflowOffset   bucketSize
 *  +---------+-----------------------+--------------------------+----------------+
 *  | tophash | 8 keys (keySize each) | 8 values (valueSize each)| overflow offset|
 *  +---------+-----------------------+--------------------------+----------------+
 * </pre>
 */
public record BucketDescriptor(String goType, int keySize, int valueSize, int bucketSize,
                               long keysOffset, long valuesOffset, long overflowOffset) {
    public BucketDescriptor {
        if (keysOffset != Tophash.BUCKET_CNT
                || valuesOffset < keysOffset + (long) Tophash.BUCKET_CNT * keySize
                || overflowOffset < valuesOffset + (long) Tophash.BUCKET_CNT * valueSize
                || overflowOffset % 8 != 0
                || overflowOffset != bucketSize - 8L) {
            throw new IllegalArgumentException("inconsistent bucket layout for " + goType + ": " + this);
        }
    }
}
