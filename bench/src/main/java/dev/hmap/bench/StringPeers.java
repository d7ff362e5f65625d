// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import dev.hmap.StringLongCursor;
import dev.hmap.StringLongMap;
import it.unimi.dsi.fastutil.objects.Object2LongMap;
import it.unimi.dsi.fastutil.objects.Object2LongOpenHashMap;
import net.openhft.chronicle.bytes.BytesStore;
import org.agrona.collections.Object2LongHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.ObjectLongHashMap;

import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

/**
 * The String-to-long maps compared by the String benchmarks ({@link StringGetBench}, {@link StringOpsBench},
 * {@link StringFlavourChurnBench}) and {@link StringMemory}, behind {@link StringPeer}, each built empty with
 * no size hint and its default load factor:
 *
 * <ul>
 *   <li>{@code hmap}: {@link StringLongMap#create()}: keys as UTF-8 bytes in the map's own off-heap
 *       memory, Go 1.19 {@code map[string]int64} buckets (16-byte string headers), load factor 6.5/8.</li>
 *   <li>{@code hmapHashCode}: the same with {@code stringHashCode(true)}: keys hashed by their String's
 *       cached {@code hashCode()} instead of their bytes (not for keys an adversary chooses).</li>
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

    /** Every peer: hmap's two hashings, then the JDK baseline. */
    public static final String[] NAMES = {"hmap", "hmapHashCode", "HashMap", "fastutil", "agrona", "eclipse"};

    /** A new empty map, no size hint. */
    public static StringPeer create(String name) {
        return switch (name) {
            case "hmap" -> new Hmap("hmap", StringLongMap.create());
            case "hmapHashCode" -> new Hmap("hmapHashCode", StringLongMap.builder().stringHashCode(true).build());
            case "HashMap" -> new JdkHashMap(new HashMap<>());
            case "fastutil" -> new Fastutil(new Object2LongOpenHashMap<>());
            case "agrona" -> new Agrona(new Object2LongHashMap<>(-1L));
            case "eclipse" -> new Eclipse(new ObjectLongHashMap<>());
            default -> throw new IllegalArgumentException("String peers: " + String.join(", ", NAMES) + "; not " + name);
        };
    }

    /** A map holding {@code key(id) -> id} for each id ({@link StringKeys}), each key a new String. */
    public static StringPeer filled(String name, int[] ids) {
        StringPeer p = create(name);
        for (int id : ids) p.put(StringKeys.string(id), id);
        return p;
    }

    /** hmap: every key form goes to the map as it is. */
    static final class Hmap extends StringPeer {
        final StringLongMap m;
        Hmap(String name, StringLongMap m) { super(name); this.m = m; }
        @Override public long get(String k) { return m.get(k); }
        @Override public long get(CharSequence k) { return m.get(k); }
        @Override public long get(byte[] k, int off, int len) { return m.get(k, off, len); }
        @Override public long get(MemorySegment k) { return m.get(k); }
        @Override public long getAt(BytesStore<?, ?> k, long off, long len) { return m.getAt(k, off, len); }
        @Override public void put(String k, long v) { m.put(k, v); }
        @Override public void put(CharSequence k, long v) { m.put(k, v); }
        @Override public void put(byte[] k, int off, int len, long v) { m.put(k, off, len, v); }
        @Override public void put(MemorySegment k, long v) { m.put(k, v); }
        @Override public void putAt(BytesStore<?, ?> k, long off, long len, long v) { m.putAt(k, off, len, v); }
        @Override public long remove(String k) { return m.remove(k); }
        @Override public long remove(CharSequence k) { return m.remove(k); }
        @Override public long remove(byte[] k, int off, int len) { return m.remove(k, off, len); }
        @Override public long remove(MemorySegment k) { return m.remove(k); }
        @Override public long removeAt(BytesStore<?, ?> k, long off, long len) { return m.removeAt(k, off, len); }
        @Override public long size() { return m.size(); }
        @Override public long iterate() {
            long s = 0;
            for (StringLongCursor c = m.cursor(); c.next(); ) s += c.keyLength() + c.value();
            return s;
        }
        @Override public long offHeapBytes() { return m.stats().offHeapBytes(); }
        @Override public void close() { m.close(); }
    }

    static final class JdkHashMap extends StringPeer {
        final HashMap<String, Long> m;
        JdkHashMap(HashMap<String, Long> m) { super("HashMap"); this.m = m; }
        @Override public long get(String k) { Long v = m.get(k); return v == null ? 0 : v; }
        @Override public void put(String k, long v) { m.put(k, v); }
        @Override public long remove(String k) { Long v = m.remove(k); return v == null ? 0 : v; }
        @Override public long size() { return m.size(); }
        @Override public long iterate() {
            long s = 0;
            for (Map.Entry<String, Long> e : m.entrySet()) s += e.getKey().length() + e.getValue();
            return s;
        }
    }

    static final class Fastutil extends StringPeer {
        final Object2LongOpenHashMap<String> m;
        Fastutil(Object2LongOpenHashMap<String> m) { super("fastutil"); this.m = m; }
        @Override public long get(String k) { return m.getLong(k); }
        @Override public void put(String k, long v) { m.put(k, v); }
        @Override public long remove(String k) { return m.removeLong(k); }
        @Override public long size() { return m.size(); }
        @Override public long iterate() {
            long s = 0;
            for (var it = m.object2LongEntrySet().fastIterator(); it.hasNext(); ) {
                Object2LongMap.Entry<String> e = it.next();
                s += e.getKey().length() + e.getLongValue();
            }
            return s;
        }
    }

    static final class Agrona extends StringPeer {
        final Object2LongHashMap<String> m;
        Agrona(Object2LongHashMap<String> m) { super("agrona"); this.m = m; }
        @Override public long get(String k) { return m.getValue(k); }
        @Override public void put(String k, long v) { m.put(k, v); }
        @Override public long remove(String k) { return m.removeKey(k); }
        @Override public long size() { return m.size(); }
        @Override public long iterate() {
            long[] s = {0};
            m.forEachLong((k, v) -> s[0] += k.length() + v);
            return s[0];
        }
    }

    static final class Eclipse extends StringPeer {
        final ObjectLongHashMap<String> m;
        Eclipse(ObjectLongHashMap<String> m) { super("eclipse"); this.m = m; }
        @Override public long get(String k) { return m.get(k); }
        @Override public void put(String k, long v) { m.put(k, v); }
        @Override public long remove(String k) { return m.removeKeyIfAbsent(k, 0); }
        @Override public long size() { return m.size(); }
        @Override public long iterate() {
            long[] s = {0};
            m.forEachKeyValue((k, v) -> s[0] += k.length() + v);
            return s[0];
        }
    }
}
