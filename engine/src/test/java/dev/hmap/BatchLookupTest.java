// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * getAll and containsAll, the batched lookups, against get and contains on every type that has them (found
 * by reflection, so a new word-key type is covered without code here): one-bucket maps, maps in the middle
 * of a growth, long overflow chains, hits and misses interleaved, group boundaries, and ranges checked
 * before anything is written.
 */
class BatchLookupTest {

    static Stream<Class<?>> batched() {
        return Arrays.stream(OffHeapMap.class.getPermittedSubclasses())
                .filter(c -> Arrays.stream(c.getMethods()).anyMatch(m -> m.getName().equals("containsAll")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batched")
    void agreesWithOneLookupAtATime(Class<?> type) throws Exception {
        long seed = ConformanceSuite.RUN_SEED;
        Method containsAll = method(type, "containsAll", 4);
        Class<?> keyArray = containsAll.getParameterTypes()[0];
        boolean intKeys = keyArray == int[].class;
        Method getAll = Arrays.stream(type.getMethods()).filter(m -> m.getName().equals("getAll")
                && m.getParameterCount() == 5).findFirst().orElse(null);
        boolean set = Arrays.stream(type.getMethods()).anyMatch(m -> m.getName().equals("add"));
        Method contains = method(type, set ? "contains" : "containsKey", 1);
        Method get = getAll == null ? null : method(type, "get", 1);
        // A map of byte-string values has containsAll but no getAll: its values are written as byte[].
        Method insert = set ? method(type, "add", 1) : getAll == null
                ? type.getMethod("put", keyArray.getComponentType(), byte[].class) : method(type, "put", 2);
        SplittableRandom r = new SplittableRandom(seed);
        int growingChecks = 0;
        // Sizes: empty, one bucket (B = 0), and growing through several doublings, checked at each step.
        for (int size : new int[] {0, 5, 100, 3_000, 40_000}) {
            try (OffHeapMap m = (OffHeapMap) type.getMethod("create").invoke(null)) {
                for (int i = 0; i < size; i++) {
                    Object k = intKeys ? (Object) r.nextInt(4 * size + 1) : (Object) r.nextLong(4L * size + 1);
                    if (set) insert.invoke(m, k);
                    else if (getAll == null) insert.invoke(m, k, new byte[] {(byte) i});
                    else insert.invoke(m, k, getAll.getParameterTypes()[2] == double[].class ? (Object) (double) i
                            : getAll.getParameterTypes()[2] == int[].class ? (Object) i : (Object) (long) i);
                    if (i % 997 == 0 || i == size - 1) {
                        if (m.stats().growing()) growingChecks++;
                        check(m, r, intKeys, 4 * size + 1, contains, get, containsAll, getAll, seed);
                    }
                }
            }
        }
        assertTrue(growingChecks > 0, "some checks ran in the middle of a growth");
    }

    private static void check(OffHeapMap m, SplittableRandom r, boolean intKeys, long range, Method contains, Method get,
                              Method containsAll, Method getAll, long seed) throws Exception {
        int n = 1 + r.nextInt(70), from = r.nextInt(3);
        Object keys = Array.newInstance(intKeys ? int.class : long.class, from + n + 2);
        for (int i = 0; i < Array.getLength(keys); i++) {
            if (intKeys) Array.setInt(keys, i, (int) r.nextLong(range));
            else Array.setLong(keys, i, r.nextLong(range));
        }
        long[] present = new long[(n + 63) / 64 + 1];
        Arrays.fill(present, 0x5555_5555_5555_5555L); // bits beyond n must stay as they were
        int hits = (int) containsAll.invoke(m, keys, from, present, n);
        Object values = getAll == null ? null : Array.newInstance(getAll.getParameterTypes()[2].getComponentType(), n + 1);
        int valueHits = getAll == null ? hits : (int) getAll.invoke(m, keys, from, values, 1, n);
        int want = 0;
        for (int i = 0; i < n; i++) {
            Object k = Array.get(keys, from + i);
            boolean has = (boolean) contains.invoke(m, k);
            if (has) want++;
            String at = m + " seed=" + seed + " key " + k + " at " + i + " of " + n;
            assertEquals(has, (present[i >>> 6] >>> (i & 63) & 1) == 1, at);
            if (getAll != null) assertEquals(get.invoke(m, k), Array.get(values, 1 + i), at);
        }
        for (int i = n; i < 64 * present.length; i++) {
            assertEquals(0x5555_5555_5555_5555L >>> (i & 63) & 1, present[i >>> 6] >>> (i & 63) & 1, "bit " + i + " beyond n");
        }
        assertEquals(want, hits, m + ": containsAll's count");
        assertEquals(want, valueHits, m + ": getAll's count");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batched")
    void rangesAreCheckedBeforeAnythingIsWritten(Class<?> type) throws Exception {
        Method containsAll = method(type, "containsAll", 4);
        Class<?> keyArray = containsAll.getParameterTypes()[0];
        try (OffHeapMap m = (OffHeapMap) type.getMethod("create").invoke(null)) {
            Object keys = Array.newInstance(keyArray.getComponentType(), 10);
            long[] present = {-1L};
            for (int[] bad : new int[][] {{-1, 5}, {6, 5}, {0, 11}, {0, 65}}) {
                Throwable t = assertThrows(java.lang.reflect.InvocationTargetException.class,
                        () -> containsAll.invoke(m, keys, bad[0], present, bad[1])).getCause();
                assertInstanceOf(IndexOutOfBoundsException.class, t, Arrays.toString(bad));
                assertEquals(-1L, present[0], "nothing written");
            }
            m.close();
            Throwable t = assertThrows(java.lang.reflect.InvocationTargetException.class,
                    () -> containsAll.invoke(m, keys, 0, present, 1)).getCause();
            assertInstanceOf(IllegalStateException.class, t, "closed");
        }
    }

    private static Method method(Class<?> type, String name, int params) {
        return Arrays.stream(type.getMethods())
                .filter(m -> m.getName().equals(name) && m.getParameterCount() == params
                        && (params == 0 || m.getParameterTypes()[0].isPrimitive() || m.getParameterTypes()[0].isArray()))
                .findFirst().orElseThrow(() -> new AssertionError(type + " has no " + name + "/" + params));
    }
}
