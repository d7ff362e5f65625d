// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import dev.hmap.LongLongMap;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A child JVM of {@link ManyMapsTest}: {@code rounds} times, one thread puts 20,000 keys into a new map
 * while another closes it after a random delay (misuse), then checks that every map's memory came back.
 * {@code large}: maps made with a hint, each with a reservation of its own; {@code growing}: maps grown
 * from empty, through the pool's regions into a reservation. Prints what the putting thread saw and exits
 * 0 only if every put either completed or failed with IllegalStateException. Run with {@code -Xbatch}
 * (see the test): a crash here is a SIGSEGV of the whole JVM.
 */
public final class CloseRaceChild {
    private CloseRaceChild() {}

    public static void main(String[] args) throws Exception {
        boolean large = args[0].equals("large");
        int rounds = Integer.parseInt(args[1]);
        long maxDelay = large ? 200_000 : 3_000_000;
        int keys = 20_000;
        Map<String, Integer> seen = new TreeMap<>();
        SplittableRandom r = new SplittableRandom(42);
        for (int round = 0; round < rounds; round++) {
            LongLongMap m = large ? LongLongMap.create(keys) : LongLongMap.create();
            long delay = r.nextLong(maxDelay);
            Throwable[] closeFailed = new Throwable[1];
            Thread closer = closeAfter(m, delay, closeFailed);
            try {
                for (long k = 0; k < keys; k++) m.put(k, k);
                seen.merge("completed", 1, Integer::sum);
            } catch (IllegalStateException e) {
                seen.merge("IllegalStateException", 1, Integer::sum);
            }
            // The JDK interrupts a thread that a shared arena's close() found inside an access to it.
            if (Thread.interrupted()) seen.merge("interrupted", 1, Integer::sum);
            closer.join();
            if (closeFailed[0] != null) throw new AssertionError("close() failed in round " + round, closeFailed[0]);
            m.close();
        }
        System.out.println(rounds + " " + args[0] + " maps closed by a racing thread: the putting thread saw " + seen);
        if (MapMemory.liveReservations() != 0) throw new AssertionError(MapMemory.liveReservations() + " memories left open");
    }

    /** A started thread that closes m after spinning for delay ns; once it is joined, failed[0] is what close() threw. */
    static Thread closeAfter(AutoCloseable m, long delay, Throwable[] failed) {
        Thread closer = new Thread(() -> {
            for (long until = System.nanoTime() + delay; System.nanoTime() < until; ) Thread.onSpinWait();
            try {
                m.close();
            } catch (Throwable e) {
                failed[0] = e;
            }
        });
        closer.start();
        return closer;
    }
}
