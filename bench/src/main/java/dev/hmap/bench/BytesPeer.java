// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

/**
 * One bytes-to-bytes map under test (Go's {@code map[string]string}): keys and values are byte arrays.
 * Made by {@link BytesPeers#create}; used by {@link BytesBench} and {@link BytesMemory}. As with
 * {@link Peer}, a JMH fork instantiates one subclass, so every call site in a measured loop sees one
 * receiver type and is inlined. {@link #iterate()} returns the sum of the keys' and values' lengths.
 *
 * <p>Every peer is used the way its own users write it: hmap and Chronicle Map copy the bytes in and out
 * of their off-heap memory (Chronicle Map through reused {@code Bytes}, see {@link BytesPeers}); {@code HashMap<ByteBuffer, byte[]>} wraps the key in a {@code ByteBuffer} per
 * call (its key type), stores the caller's value array and hands it back, and the caller copies it.
 */
public abstract class BytesPeer extends BenchMap {
    protected BytesPeer(String name) {
        super(name);
    }

    /**
     * Copies the value of {@code key} into {@code dst} from index 0 if it fits (hmap's contract) and
     * returns its length either way, or -1 if the key is absent.
     */
    public abstract int get(byte[] key, byte[] dst);

    /**
     * Maps {@code key} to {@code value}: hmap and Chronicle Map copy both; HashMap keeps {@code value}
     * itself and a new {@code ByteBuffer} around {@code key}. Returns 1 if the key was present, 0 if not,
     * or 1 when the peer does not say (Chronicle Map, built with {@code putReturnsNull(true)}).
     */
    public abstract int put(byte[] key, byte[] value);

    /**
     * Maps the key {@code keys[keyOff, keyOff + keyLen)} to the value {@code values[valueOff, valueOff +
     * valueLen)}: the key and value come out of packed arrays, as a parser or a file would hand them over.
     * hmap takes the ranges as they are; the others need arrays of their own, which this makes, as their
     * users would (for HashMap, they are the entry's key and value; Chronicle Map's reused {@code Bytes}).
     */
    public abstract void put(byte[] keys, int keyOff, int keyLen, byte[] values, int valueOff, int valueLen);

    /**
     * Removes {@code key}; returns 1 if it was present, 0 if not, or 1 when the peer does not say
     * (Chronicle Map, built with {@code removeReturnsNull(true)}).
     */
    public abstract int remove(byte[] key);
}
