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
 * move), with keys that are distinct as ints ({@link Keys#distinct(KeyKind, long, int)}). {@link #iterate()}
 * returns the sum of keys and values.
 */
public abstract class Peer extends BenchMap {
    protected Peer(String name) {
        super(name);
    }

    /** The value of {@code key}, or the peer's missing value (0 or -1) when absent. */
    public abstract long get(long key);

    public abstract void put(long key, long value);

    /** Removes {@code key}, returning its value (or the missing value). */
    public abstract long remove(long key);
}
