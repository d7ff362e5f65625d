// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import dev.hmap.MapImpls.Impl;
import dev.hmap.MapUnderTest.Cur;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bugs of String maps found by the String suites and fixed in the engine; kept as regression tests. */
class StringFormerBugsTest {

    /**
     * After clear(), a String cursor's current entry is gone with its key bytes (the cursor holds an
     * offset into the key heap that clear() drops, not a copy): key(), remove() and setValue() throw
     * IllegalStateException instead of reading or changing whatever key lives there now.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.hmap.ConformanceSuite#strings")
    void cursorKeyAfterClear(Impl impl) {
        try (MapUnderTest m = StringKeys.open(impl, 0, null)) {
            StringKeys.put(m, "alpha", 1);
            Cur c = m.cursor();
            assertTrue(c.next());
            m.clear();
            StringKeys.put(m, "omega", 2);
            assertThrows(IllegalStateException.class, c::keyString, impl + ": key() of the current entry after clear()");
            assertThrows(IllegalStateException.class, c::remove, impl + ": cursor.remove() after clear()");
            assertEquals(1, m.size(), impl + ": cursor.remove() after clear() must not remove another key");
            assertFalse(c.next(), impl + ": the cursor ends after clear()");
        }
    }

    /** Argument checks must not depend on the map being empty (they did for remove). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.hmap.ConformanceSuite#strings")
    void removeChecksItsArgumentsOnAnEmptyMap(Impl impl) {
        try (MapUnderTest m = StringKeys.open(impl, 0, null)) {
            for (Map.Entry<String, Runnable> e : StringBadInputTest.nullCalls(m).entrySet()) {
                assertThrows(NullPointerException.class, e.getValue()::run, impl + " empty: " + e.getKey());
            }
            for (int[] range : StringBadInputTest.BAD_RANGES) {
                for (Map.Entry<String, Runnable> e : StringBadInputTest.rangeCalls(m, new byte[5], range[0], range[1], true).entrySet()) {
                    assertThrows(IndexOutOfBoundsException.class, e.getValue()::run,
                            impl + " empty: " + e.getKey() + " " + Arrays.toString(range));
                }
            }
            assertEquals(0, m.size(), impl + ": the refused calls changed nothing");
        }
    }

    /** A segment of a closed arena is rejected whatever the map holds (not only when its bytes get read). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.hmap.ConformanceSuite#strings")
    void closedSegmentsAreAlwaysRejected(Impl impl) {
        MemorySegment closed;
        try (Arena a = Arena.ofConfined()) {
            closed = a.allocate(3);
        }
        try (MapUnderTest m = StringKeys.open(impl, 0, null)) {
            for (int n = 0; n < 3; n++) { // empty; one key of another length; B == 0, no same-length key
                for (Map.Entry<String, Runnable> e : StringBadInputTest.segmentCalls(m, closed).entrySet()) {
                    assertThrows(IllegalStateException.class, e.getValue()::run, impl + " with " + n + " keys: " + e.getKey());
                }
                StringKeys.put(m, "key" + n, n);
            }
        }
    }
}
