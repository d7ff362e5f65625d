// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Faults fresh pages in on a background thread before a put touches them.
 *
 * <p>Why: the kernel zeroes a page at its first touch. That is what lets hmap use a new bucket array
 * without a zeroing loop, but the fault itself costs 1-5 us for a 4 KiB page and 0.1-5 ms for a 2 MiB
 * huge page, with outliers of tens of milliseconds on virtual machines. A put that first touches a page
 * would pay that. So arrays and slabs of 1 MiB and more are handed to this thread, which runs
 * {@code madvise(MADV_POPULATE_WRITE)} (Linux 5.14+) over them in 2 MiB steps. Populating never changes a
 * page's contents, so it is safe while the owning thread writes the same pages; a put that gets there
 * first simply takes the fault itself.
 *
 * <p>The thread runs under SCHED_IDLE: it only uses CPU time the application leaves idle, so it never
 * delays a put; when it falls behind, a put takes the fault itself, as it would without it.
 *
 * <p>One daemon thread serves every map. A map that closes or moves its reservation takes its lock,
 * so no step ever runs on memory that is gone (see {@link Reservation#populateStep}). A map that gives a
 * range back to the kernel cancels the task that covers it ({@link Reservation#dontNeed}): when this
 * thread falls behind, as it does on a busy machine, it would otherwise fault in arrays that were freed
 * meanwhile, resident memory no map counts (a 10M-entry fill under load ended with 434-614 MB resident
 * for 306 MB of map), and spend its time there instead of on the array the next growth needs.
 */
final class Prefaulter {
    private Prefaulter() {}

    static final long STEP = 2L << 20;
    /** Smaller blocks are left to the faults of their first use. */
    static final long MIN_BYTES = 1L << 20;
    static final boolean ENABLED = !"false".equals(System.getProperty("hmap.prefault"));

    /** A range to fault in; its owner may cancel it, and this thread marks it done. */
    static final class Task {
        final Reservation memory;
        final long off, len;
        volatile boolean cancelled, done;

        Task(Reservation memory, long off, long len) {
            this.memory = memory;
            this.off = off;
            this.len = len;
        }

        boolean overlaps(long from, long to) {
            return off < to && from < off + len;
        }
    }

    private static final LinkedBlockingQueue<Task> QUEUE = new LinkedBlockingQueue<>();
    private static volatile boolean started;
    /** Counted down once the thread has asked for SCHED_IDLE: before that it runs under the default policy. */
    static final CountDownLatch SCHEDULED = new CountDownLatch(1);

    /** Queues [off, off + len) of {@code memory}; null when the range is too small, or prefaulting is off. */
    static Task submit(Reservation memory, long off, long len) {
        if (!ENABLED || len < MIN_BYTES) return null;
        start();
        Task t = new Task(memory, off, len);
        QUEUE.add(t);
        return t;
    }

    private static void start() {
        if (started) return;
        synchronized (Prefaulter.class) {
            if (started) return;
            Thread t = new Thread(Prefaulter::run, "hmap-prefault");
            t.setDaemon(true);
            t.start();
            started = true;
        }
    }

    private static void run() {
        // Best effort (a kernel or sandbox may refuse it). Without it, the wake-up of this thread by a put
        // that prepares an array preempted that very put on its CPU, and the put waited for the populate:
        // GrowthLatency saw 1.2, 1.8 and 4.4 ms at exactly the puts that prepare the 4.7, 9.4 and 19 MB
        // arrays.
        Native.scheduleIdle();
        SCHEDULED.countDown();
        for (;;) {
            Task t;
            try {
                t = QUEUE.take();
            } catch (InterruptedException e) {
                continue; // a daemon: it lives as long as the JVM
            }
            for (long off = t.off; off < t.off + t.len; off += STEP) {
                if (!t.memory.populateStep(t, off, Math.min(STEP, t.off + t.len - off))) break;
            }
            t.done = true;
        }
    }
}
