// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Lookups by a Chronicle Bytes range agree with get(String), without building a String. */
class ChronicleLookupTest {
    static final List<String> KEYS = List.of("", "EURUSD", "VOD.L", "héllo wörld", "😀-emoji", "x".repeat(40),
            "abcd" + "m".repeat(30) + "wxyz", "\0nul\0", "k".repeat(5000));

    @Test
    void directAndHeapBytesFindWhatStringsFind() {
        try (StringLongMap m = StringLongMap.builder().seed(11).build(); StringSet s = StringSet.create()) {
            for (int i = 0; i < KEYS.size(); i++) {
                m.put(KEYS.get(i), i + 1);
                s.add(KEYS.get(i));
            }
            for (Bytes<?> b : List.of(Bytes.allocateElasticDirect(64), Bytes.allocateElasticOnHeap(64))) {
                try {
                    for (String k : KEYS) {
                        b.clear();
                        b.write("prefix|");
                        long off = b.writePosition();
                        byte[] utf8 = k.getBytes(StandardCharsets.UTF_8);
                        b.write(utf8);
                        b.write("|suffix");
                        BytesStore<?, ?> store = b.bytesStore();
                        assertEquals(m.get(k), m.getAt(store, off, utf8.length), "get " + k.length() + " via " + b.getClass());
                        assertTrue(m.containsKeyAt(store, off, utf8.length));
                        assertTrue(s.containsAt(store, off, utf8.length));
                        assertEquals(-7, m.getOrDefaultAt(store, off, utf8.length + 1, -7), "a longer range is another key");
                        assertFalse(s.containsAt(store, off + 1, Math.max(0, utf8.length - 1)) && !k.isEmpty()
                                && !KEYS.contains(k.substring(1)), "a shorter range is another key");
                    }
                    b.clear();
                    b.write("EURUSD");
                    assertEquals(2, m.removeAt(b.bytesStore(), 0, 6));
                    assertFalse(m.containsKey("EURUSD"));
                    assertTrue(s.removeAt(b.bytesStore(), 0, 6));
                    m.put("EURUSD", 2);
                    s.add("EURUSD");
                    BytesStore<?, ?> store = b.bytesStore();
                    assertThrows(IndexOutOfBoundsException.class, () -> m.getAt(store, -1, 3));
                    assertThrows(IndexOutOfBoundsException.class, () -> m.getAt(store, 0, -1));
                    assertThrows(IndexOutOfBoundsException.class, () -> m.getAt(store, store.readLimit() - 2, 5));
                } finally {
                    b.releaseLast();
                }
            }
            assertThrows(NullPointerException.class, () -> m.getAt(null, 0, 0));
            assertEquals(KEYS.size(), m.size(), "lookups changed nothing");
            ((dev.hmap.internal.MapCore) (Object) m).checkInvariants();
        }
    }
}
