// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What {@link StringOpsBench} and {@link StringFlavourChurnBench} share: a map holding {@code size} String keys
 * out of a ring of {@code 2 * size} ({@link #ring}, key i's value its index), and the churn benchmark over it.
 * One step removes the ring's next present key and puts the key {@code size} places ahead, so the size stays
 * {@code size}; the score is ns per step ({@link KeyForm#churnBatch}, which also checks every remove found
 * its key). The subclasses say how the map is filled and in which form the ring's keys are.
 */
@State(Scope.Thread)
public abstract class StringRingBench extends BenchDefaults {
    @Param({"1000", "1000000"})
    public int size;

    protected StringPeer map;
    protected KeyForm ring;

    @Benchmark
    @OperationsPerInvocation(MapBench.BATCH)
    public long churn() {
        return ring.churnBatch(map, size);
    }

    /** Churn must leave the size as it was, or later iterations measured another map. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (map.size() != size) throw new IllegalStateException("churn changed the size: " + map.size() + " != " + size);
        map.close();
        ring.close();
    }
}
