// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

/**
 * What every map under test has, whatever its keys: a name (the {@code @Param impl} value), a size, a full
 * iteration, its off-heap memory and a close. {@link Peer} adds the {@code long}-keyed operations,
 * {@link StringPeer} the String-keyed ones by key form.
 */
public abstract class BenchMap implements AutoCloseable {
    /** The peer's name as a {@code @Param impl} value: {@code hmap}, {@code HashMap}, ... */
    public final String name;

    protected BenchMap(String name) {
        this.name = name;
    }

    public abstract long size();

    /** Visits every entry with the peer's own fastest iteration API; returns a sum over the entries. */
    public abstract long iterate();

    /** Memory the map holds outside the Java heap (hmap, Chronicle Map, go-bound), or -1 for an on-heap map. */
    public long offHeapBytes() {
        return -1;
    }

    /** Frees off-heap memory; a no-op for heap maps. */
    @Override
    public void close() {}
}
