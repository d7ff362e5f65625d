// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import dev.hmap.OffHeapOutOfMemoryError;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Headroom under the two process limits that every mapping counts against, so that when memory runs out
 * it is hmap that is refused ({@link OffHeapOutOfMemoryError}, map unchanged) and never the JVM's own
 * mappings (its heap, code cache, metaspace and thread stacks), whose failure kills the process.
 *
 * <ul>
 *   <li><b>The mapping count</b> ({@code vm.max_map_count}, 65,530 by default). hmap reads the
 *       process's count from {@code /proc/self/maps} and refuses a reservation that would leave fewer
 *       than {@link #MAP_COUNT_HEADROOM} mappings. Reading costs time in proportion to the count, so it is
 *       read again only when the last reading is 100 ms old or hmap has used a quarter of the room it
 *       showed (see {@link #reserveMappings}).</li>
 *   <li><b>Address space</b> (the process's {@code ulimit -v}, the CPU's user address space, and under
 *       strict overcommit the commit limit). A reservation is mapped {@link #ADDRESS_HEADROOM} larger
 *       than it needs and the excess is unmapped at once: the kernel checks all three limits for the
 *       larger size, so after any reservation of hmap's at least that much is still free for the JVM.</li>
 * </ul>
 *
 * <p>Running out of physical memory is not among these: the reservations are {@code MAP_NORESERVE}, pages
 * are committed by their first touch, and what happens when RAM is exhausted is the kernel's business
 * (the OOM killer).
 */
public final class ProcessLimits {
    private ProcessLimits() {}

    /** {@code vm.max_map_count}, or Long.MAX_VALUE where it cannot be read. */
    static final long MAX_MAP_COUNT = readLong(Path.of("/proc/sys/vm/max_map_count"), Long.MAX_VALUE);
    /**
     * Mappings hmap leaves to the rest of the process. A JVM uses a few hundred at rest and about two more
     * per thread (stack and guard page), per malloc arena and per GC or code-cache commit; 4,096 covers
     * well over a thousand threads.
     */
    static final long MAP_COUNT_HEADROOM = Long.getLong("hmap.mapCountHeadroom",
            MAX_MAP_COUNT == Long.MAX_VALUE ? 0 : Math.min(4096, MAX_MAP_COUNT / 4));
    /**
     * Address space hmap leaves free after each reservation: room for a JVM's later mappings (a thread
     * stack is 1 MiB, a malloc arena reserves 64 MiB, a metaspace node 64 MiB).
     */
    static final long ADDRESS_HEADROOM = Long.getLong("hmap.addressSpaceHeadroom", 1L << 30);

    private static final long MAP_BUDGET = MAX_MAP_COUNT - MAP_COUNT_HEADROOM;
    /** A count older than this is read again before the next reservation: the rest of the process changes too. */
    static final long RECOUNT_NANOS = 100_000_000;

    /** The last reading of /proc/self/maps: the count, when it was read, and how many hmap may add before the next. */
    private record Count(long mappings, long atNanos, long slack) {}

    private static volatile Count last = new Count(0, System.nanoTime() - RECOUNT_NANOS, 0);
    /** Mappings hmap may have added since {@link #last}. */
    private static final AtomicLong added = new AtomicLong();

    /**
     * Called before a system call that may create up to {@code mappings} new mappings. Reads the real
     * count when the last reading is older than {@link #RECOUNT_NANOS}, or when hmap has added a quarter of
     * the room it showed: the count is read about once per 100 ms of creating maps, more often only close to
     * the limit, where it matters.
     *
     * @throws OffHeapOutOfMemoryError when they would leave fewer than the headroom for the JVM
     */
    static void reserveMappings(int mappings, long requestBytes) {
        if (MAX_MAP_COUNT == Long.MAX_VALUE) return;
        Count c = last;
        if (added.addAndGet(mappings) <= c.slack() && System.nanoTime() - c.atNanos() < RECOUNT_NANOS) return;
        synchronized (ProcessLimits.class) {
            long actual = countMappings(); // includes what other threads' reservations made so far
            long room = MAP_BUDGET - actual;
            last = new Count(actual, System.nanoTime(), Math.max(0, room / 4));
            added.set(mappings);
            if (mappings <= room) return;
            added.set(0);
            throw new OffHeapOutOfMemoryError("cannot map more memory: the process holds " + actual
                    + " memory mappings and the limit is " + MAX_MAP_COUNT + " (vm.max_map_count); hmap keeps "
                    + MAP_COUNT_HEADROOM + " of them free for the JVM. Close maps you no longer need, or raise "
                    + "vm.max_map_count (sysctl)", requestBytes);
        }
    }

    /** The process's mappings now: the lines of /proc/self/maps. */
    static long countMappings() {
        // A stream, not Files.readAllBytes: procfs files report size 0, and the JDK's sized read of them
        // can stop after the first byte.
        try (InputStream in = Files.newInputStream(Path.of("/proc/self/maps"))) {
            byte[] buf = new byte[64 << 10];
            long lines = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                for (int i = 0; i < n; i++) if (buf[i] == '\n') lines++;
            }
            return lines;
        } catch (IOException | SecurityException e) {
            return 0; // unreadable: rely on the kernel's refusal alone
        }
    }

    /** For messages: the address-space limit as /proc/self/limits states it. */
    static String addressSpaceLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("Max address space")) {
                    String[] f = line.substring("Max address space".length()).trim().split("\\s+");
                    return f[0].equals("unlimited") ? "unlimited" : f[0] + " bytes";
                }
            }
        } catch (IOException | SecurityException e) {
            // fall through
        }
        return "unknown";
    }

    private static long readLong(Path p, long otherwise) {
        try (InputStream in = Files.newInputStream(p)) {
            return Long.parseLong(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException | SecurityException e) {
            return otherwise;
        }
    }
}
