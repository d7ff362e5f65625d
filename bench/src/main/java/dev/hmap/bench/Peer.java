// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

/**
 * One map under test, seen through a small {@code long}-typed interface so that every benchmark is one
 * loop for every peer and key kind. Made by {@link Peers#create}.
 *
 * <p>Why the indirection costs nothing measurable: a JMH fork (and a {@link GrowthLatency} child JVM)
 * instantiates exactly one subclass, so every call site in the measured loop sees one receiver type, is
 * inlined by C2 behind a cheap class check, and then runs the peer's own concrete method (HashMap's boxing
 * included). The int key kind stores keys and values narrowed to {@code int} ({@code (int) k}, a register
 * move), with keys that are distinct as ints ({@link Keys#distinct(KeyKind, long, int)}).
 */
public abstract class Peer implements AutoCloseable {
    /** The peer's name as a {@code @Param impl} value: {@code hmap}, {@code HashMap}, ... */
    public final String name;

    protected Peer(String name) {
        this.name = name;
    }

    /** The value of {@code key}, or the peer's missing value (0 or -1) when absent. */
    public abstract long get(long key);

    public abstract void put(long key, long value);

    /** Removes {@code key}, returning its value (or the missing value). */
    public abstract long remove(long key);

    public abstract long size();

    /** Visits every entry with the peer's own fastest iteration API; returns the sum of keys and values. */
    public abstract long iterate();

    /** Memory the map holds outside the Java heap (hmap, Chronicle Map), or -1 for an on-heap map. */
    public long offHeapBytes() {
        return -1;
    }

    /** Frees off-heap memory (hmap, Chronicle Map); a no-op for heap maps. */
    @Override
    public void close() {}
}
