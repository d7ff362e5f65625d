// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import dev.hmap.StringLongMap;
import it.unimi.dsi.fastutil.objects.Object2LongOpenHashMap;
import org.agrona.collections.Object2LongHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.ObjectLongHashMap;

import java.util.HashMap;

/**
 * The String-to-long maps compared by {@link StringGetBench} and {@link StringMemory}, built the same way:
 * no size hint, default load factor, entry {@code key(id) -> id} for each id ({@link StringKeys}), each
 * key a new String.
 *
 * <ul>
 *   <li>{@code hmap}: {@link StringLongMap#create()}: keys as UTF-8 bytes in the map's own off-heap
 *       memory, Go 1.19 {@code map[string]int64} buckets (16-byte string headers), load factor 6.5/8.</li>
 *   <li>{@code HashMap}: {@code java.util.HashMap<String, Long>}, the JDK baseline (values boxed).</li>
 *   <li>{@code fastutil}: {@code Object2LongOpenHashMap<String>} (open addressing, load factor 0.75).</li>
 *   <li>{@code agrona}: {@code org.agrona.collections.Object2LongHashMap<String>} (open addressing, load
 *       factor 0.65, missing value -1).</li>
 *   <li>{@code eclipse}: Eclipse Collections {@code ObjectLongHashMap<String>} (open addressing, values
 *       unboxed).</li>
 * </ul>
 */
public final class StringPeers {
    private StringPeers() {}

    public static final String[] NAMES = {"hmap", "HashMap", "fastutil", "agrona", "eclipse"};

    public static StringLongMap hmap(int[] ids) {
        StringLongMap m = StringLongMap.create();
        for (int id : ids) m.put(StringKeys.string(id), id);
        return m;
    }

    public static HashMap<String, Long> hashMap(int[] ids) {
        HashMap<String, Long> m = new HashMap<>();
        for (int id : ids) m.put(StringKeys.string(id), (long) id);
        return m;
    }

    public static Object2LongOpenHashMap<String> fastutil(int[] ids) {
        Object2LongOpenHashMap<String> m = new Object2LongOpenHashMap<>();
        for (int id : ids) m.put(StringKeys.string(id), id);
        return m;
    }

    public static Object2LongHashMap<String> agrona(int[] ids) {
        Object2LongHashMap<String> m = new Object2LongHashMap<>(-1L);
        for (int id : ids) m.put(StringKeys.string(id), id);
        return m;
    }

    public static ObjectLongHashMap<String> eclipse(int[] ids) {
        ObjectLongHashMap<String> m = new ObjectLongHashMap<>();
        for (int id : ids) m.put(StringKeys.string(id), id);
        return m;
    }
}
