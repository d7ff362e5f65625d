package dev.hmap.bench;

import dev.hmap.LongLongMap;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;

import java.util.HashMap;

/**
 * The three long-to-long maps compared everywhere, built the same way: no size hint, default load factor,
 * entry {@code keys[i] -> i}.
 *
 * <ul>
 *   <li>{@code hmap}: {@link LongLongMap#create()} (off-heap, Go 1.19 buckets, load factor 6.5/8).</li>
 *   <li>{@code HashMap}: {@code java.util.HashMap<Long, Long>}, the JDK baseline. Keys and values are
 *       boxed on every call, as they are for any caller that holds primitive longs.</li>
 *   <li>{@code fastutil}: {@code it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap} (primitive open
 *       addressing, load factor 0.75).</li>
 * </ul>
 */
public final class Peers {
    private Peers() {}

    public static final int HMAP = 0, HASHMAP = 1, FASTUTIL = 2;
    public static final String[] NAMES = {"hmap", "HashMap", "fastutil"};

    /** The peer code of a {@code @Param impl} value. */
    public static int of(String impl) {
        return switch (impl) {
            case "hmap" -> HMAP;
            case "HashMap" -> HASHMAP;
            case "fastutil" -> FASTUTIL;
            default -> throw new IllegalArgumentException("impl must be hmap, HashMap or fastutil: " + impl);
        };
    }

    public static LongLongMap hmap(long[] keys) {
        LongLongMap m = LongLongMap.create();
        for (int i = 0; i < keys.length; i++) m.put(keys[i], i);
        return m;
    }

    public static HashMap<Long, Long> hashMap(long[] keys) {
        HashMap<Long, Long> m = new HashMap<>();
        for (int i = 0; i < keys.length; i++) m.put(keys[i], (long) i);
        return m;
    }

    public static Long2LongOpenHashMap fastutil(long[] keys) {
        Long2LongOpenHashMap m = new Long2LongOpenHashMap();
        for (int i = 0; i < keys.length; i++) m.put(keys[i], i);
        return m;
    }
}
