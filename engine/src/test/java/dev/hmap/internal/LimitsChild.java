// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import dev.hmap.LongLongMap;
import dev.hmap.OffHeapOutOfMemoryError;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A child JVM of {@link ProcessLimitsTest}: brings the process to one of its limits with hmap maps, then
 * shows that the refusal was hmap's (OffHeapOutOfMemoryError) and that the JVM is still healthy. Prints
 * {@code refused after N maps: message} and {@code healthy: ...}, and exits 0 only if all went as promised.
 *
 * <ul>
 *   <li>{@code as}: lowers its own address-space limit (setrlimit, as {@code ulimit -v} does) to 2.5 GiB above
 *       what the JVM uses, then makes maps.</li>
 *   <li>{@code mappings}: holds plain mappings of its own until about 200 below hmap's budget under
 *       {@code vm.max_map_count}, then makes maps.</li>
 *   <li>{@code loop N}: makes up to N maps with one entry each, the way a user's loop would.</li>
 * </ul>
 *
 * <p>In {@code as} and {@code mappings}, each map is made with a hint of 100,000 entries, so it has a
 * reservation of its own (small maps share pooled cohorts, 2 MiB for thousands of maps, and would take
 * long to reach either limit).
 */
public final class LimitsChild {
    private LimitsChild() {}

    public static void main(String[] args) throws Throwable {
        switch (args[0]) {
            case "as" -> lowerAddressSpaceLimit(5L << 29); // 2.5 GiB
            // 1,000 short of hmap's limit: hmap fills them (about 500 maps), and closing them makes room
            // again with a margin over what the JVM's own mappings add meanwhile (healthy()'s 500 threads
            // leave cached stacks behind: about 20 more mappings, enough to eat a margin of 200).
            case "mappings" -> holdMappingsUntil(ProcessLimits.MAX_MAP_COUNT - ProcessLimits.MAP_COUNT_HEADROOM - 1000);
            case "loop" -> { }
            default -> throw new IllegalArgumentException(args[0]);
        }
        int max = args.length > 1 ? Integer.parseInt(args[1]) : Integer.MAX_VALUE;
        boolean large = !args[0].equals("loop");
        List<LongLongMap> maps = new ArrayList<>();
        OffHeapOutOfMemoryError refused = null;
        while (maps.size() < max) {
            LongLongMap m;
            try {
                m = large ? LongLongMap.create(100_000) : LongLongMap.create();
                m.put(maps.size(), 1);
            } catch (OffHeapOutOfMemoryError e) {
                refused = e;
                break;
            }
            maps.add(m);
        }
        System.out.println(refused == null ? "made " + maps.size() + " maps"
                : "refused after " + maps.size() + " maps: " + refused.getMessage());
        // The maps made are intact.
        for (int i = 0; i < maps.size(); i++) {
            if (maps.get(i).get(i) != 1 || maps.get(i).size() != 1) throw new AssertionError("map " + i + " changed");
        }
        healthy();
        if (refused != null && !maps.isEmpty()) {
            // Room again once maps are closed.
            for (int i = 0; i < Math.min(1000, maps.size()); i++) maps.remove(maps.size() - 1).close();
            try (LongLongMap m = LongLongMap.create()) {
                m.put(1, 2);
                System.out.println("after closing up to 1,000 maps, a new one works: " + m.get(1));
            }
        }
        System.out.println("mappings now " + ProcessLimits.countMappings() + " of " + ProcessLimits.MAX_MAP_COUNT);
        Runtime.getRuntime().halt(0); // no need to close thousands of maps one by one
    }

    /**
     * What the JVM must still be able to do once hmap was refused: heap, GC, new classes, and 500 threads
     * alive at once (about 500 MiB of stacks and 1,000 mappings: more than would be left without hmap's
     * headroom).
     */
    static void healthy() throws Exception {
        List<byte[]> heap = new ArrayList<>();
        for (int i = 0; i < 64; i++) heap.add(new byte[1 << 20]);
        Thread[] threads = new Thread[500];
        java.util.concurrent.CountDownLatch allAlive = new java.util.concurrent.CountDownLatch(threads.length);
        long[] sums = new long[threads.length];
        for (int t = 0; t < threads.length; t++) {
            int id = t;
            threads[t] = new Thread(() -> {
                allAlive.countDown();
                try {
                    allAlive.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                long s = 0;
                for (int i = 0; i < 10_000; i++) s += i ^ id;
                sums[id] = s;
            });
            threads[t].start();
        }
        for (Thread t : threads) t.join();
        System.gc();
        Runnable lambda = () -> { }; // spins a hidden class: metaspace
        lambda.run();
        Class<?> c = Class.forName("java.util.concurrent.Exchanger");
        System.out.println("healthy: " + heap.size() + " MiB of heap, " + threads.length + " threads alive at once, GC, "
                + "class " + c.getSimpleName() + ", sum " + (sums[7] != 0));
    }

    private static void lowerAddressSpaceLimit(long above) throws Throwable {
        long vmSize = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmSize:")) vmSize = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
        Linker linker = Linker.nativeLinker();
        MethodHandle setrlimit = linker.downcallHandle(linker.defaultLookup().find("setrlimit").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment rlimit = a.allocate(16);
            rlimit.set(ValueLayout.JAVA_LONG, 0, vmSize + above);  // soft
            rlimit.set(ValueLayout.JAVA_LONG, 8, vmSize + above);  // hard
            int rc = (int) setrlimit.invokeExact(9 /* RLIMIT_AS */, rlimit);
            if (rc != 0) throw new IllegalStateException("setrlimit failed");
        }
        System.out.println("address-space limit: " + (vmSize + above) + " bytes (VmSize " + vmSize + ")");
    }

    /** Plain 4 KiB mappings, alternately read-only and read-write so that neighbours never merge. */
    private static void holdMappingsUntil(long target) {
        long n = 0;
        for (long have = ProcessLimits.countMappings(); have < target; have = ProcessLimits.countMappings()) {
            for (long i = have; i < target; i++, n++) {
                int prot = (n & 1) == 0 ? Native.PROT_READ : Native.PROT_READ | Native.PROT_WRITE;
                if (Native.mmap(0, MapMemory.PAGE, prot, Native.MAP_PRIVATE | Native.MAP_ANONYMOUS).value() == -1L) {
                    throw new IllegalStateException("filler mmap failed at " + i);
                }
            }
        }
        System.out.println("holding " + n + " mappings; the process has " + ProcessLimits.countMappings()
                + " of " + ProcessLimits.MAX_MAP_COUNT);
    }
}
