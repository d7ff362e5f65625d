// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import dev.hmap.IntIntCursor;
import dev.hmap.IntIntMap;
import dev.hmap.LongLongCursor;
import dev.hmap.LongLongMap;
import it.unimi.dsi.fastutil.ints.Int2IntMap;
import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2LongMap;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import net.openhft.chronicle.map.ChronicleMap;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.Long2LongHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.IntIntHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.LongLongHashMap;

import java.util.HashMap;
import java.util.Map;

/**
 * The primitive-keyed maps compared everywhere, for both key kinds ({@link KeyKind}): {@code long -> long}
 * and {@code int -> int}. Each is built empty, default load factor, with or without a size hint:
 *
 * <ul>
 *   <li>{@code hmap}: {@link LongLongMap} / {@link IntIntMap} (off-heap, Go 1.19 buckets, load factor 6.5/8).</li>
 *   <li>{@code HashMap}: {@code java.util.HashMap<Long, Long>} / {@code <Integer, Integer>}, the JDK
 *       baseline; keys and values are boxed on every call, as for any caller holding primitives.</li>
 *   <li>{@code fastutil}: {@code Long2LongOpenHashMap} / {@code Int2IntOpenHashMap} (open addressing, 0.75).</li>
 *   <li>{@code agrona}: {@code org.agrona.collections.Long2LongHashMap} / {@code Int2IntHashMap} (open
 *       addressing, 0.65, missing value -1).</li>
 *   <li>{@code eclipse}: Eclipse Collections {@code LongLongHashMap} / {@code IntIntHashMap} (open addressing).</li>
 *   <li>{@code chronicle}: Chronicle Map {@code ChronicleMap<Long, Long>} / {@code <Integer, Integer>}
 *       (off-heap, in-memory, boxed API). It cannot grow past its configured size, so it is always presized
 *       ({@code entries(N)}) and has no "no hint" variant. Needs the {@link Jvm#FLAGS} add-opens.</li>
 * </ul>
 */
public final class Peers {
    private Peers() {}

    /** Every peer, the JDK baseline second. */
    public static final String[] NAMES = {"hmap", "HashMap", "fastutil", "agrona", "eclipse", "chronicle"};

    /**
     * Go's layout with nothing of hmap's around it ({@link GoLayoutBound}), long keys only: not a peer but the
     * bound hmap's cost is quoted against, so the report shows it beside hmap only.
     */
    public static final String BOUND = "go-bound";

    /**
     * hmap presized with {@code prefault(true)}: its bucket array faulted in when it is built (long keys,
     * presized only); what a latency-sensitive user would choose.
     */
    public static final String PREFAULTED = "hmap-prefault";

    /** Whether the peer can be built without a size hint (Chronicle Map and go-bound cannot grow). */
    public static boolean growable(String impl) {
        return !impl.equals("chronicle") && !impl.equals(BOUND) && !impl.equals(PREFAULTED);
    }

    /**
     * A new empty map. {@code hint > 0}: presized for that many entries (each library's own constructor
     * or builder argument); {@code hint == 0}: no hint.
     */
    public static Peer create(KeyKind kind, String impl, int hint) {
        if (hint <= 0 && !growable(impl)) {
            throw new IllegalArgumentException(impl + " cannot grow: it must be presized (hint=presized)");
        }
        return kind == KeyKind.LONG ? createLong(impl, hint) : createInt(impl, hint);
    }

    /** A map holding {@code keys[i] -> i}, built without a hint (Chronicle: presized to the key count). */
    public static Peer filled(KeyKind kind, String impl, long[] keys) {
        Peer p = create(kind, impl, growable(impl) ? 0 : keys.length);
        for (int i = 0; i < keys.length; i++) p.put(keys[i], i);
        return p;
    }

    private static Peer createLong(String impl, int hint) {
        return switch (impl) {
            case "hmap" -> new HmapLong(hint > 0 ? LongLongMap.create(hint) : LongLongMap.create());
            case "HashMap" -> new HashMapLong(hint > 0 ? HashMap.newHashMap(hint) : new HashMap<>());
            case "fastutil" -> new FastutilLong(hint > 0 ? new Long2LongOpenHashMap(hint) : new Long2LongOpenHashMap());
            case "agrona" -> new AgronaLong(hint > 0 ? new Long2LongHashMap(hint, 0.65f, -1L) : new Long2LongHashMap(-1L));
            case "eclipse" -> new EclipseLong(hint > 0 ? new LongLongHashMap(hint) : new LongLongHashMap());
            case "chronicle" -> new ChronicleLong(ChronicleMap.of(Long.class, Long.class).entries(hint).create());
            case "go-array" -> new GoLayoutArray(); // a lookup reference, not a peer: see its Javadoc
            case BOUND -> new GoLayoutBound(hint);
            case PREFAULTED -> new HmapLong(LongLongMap.builder().expectedSize(hint).prefault(true).build());
            default -> throw unknown(impl);
        };
    }

    private static Peer createInt(String impl, int hint) {
        return switch (impl) {
            case "hmap" -> new HmapInt(hint > 0 ? IntIntMap.create(hint) : IntIntMap.create());
            case "HashMap" -> new HashMapInt(hint > 0 ? HashMap.newHashMap(hint) : new HashMap<>());
            case "fastutil" -> new FastutilInt(hint > 0 ? new Int2IntOpenHashMap(hint) : new Int2IntOpenHashMap());
            case "agrona" -> new AgronaInt(hint > 0 ? new Int2IntHashMap(hint, 0.65f, -1) : new Int2IntHashMap(-1));
            case "eclipse" -> new EclipseInt(hint > 0 ? new IntIntHashMap(hint) : new IntIntHashMap());
            case "chronicle" -> new ChronicleInt(ChronicleMap.of(Integer.class, Integer.class).entries(hint).create());
            default -> throw unknown(impl);
        };
    }

    private static IllegalArgumentException unknown(String impl) {
        return new IllegalArgumentException("impl must be one of " + String.join(", ", NAMES) + ": " + impl);
    }

    // ---- long -> long ----

    static final class HmapLong extends Peer {
        final LongLongMap m;
        HmapLong(LongLongMap m) { super("hmap"); this.m = m; }
        @Override public long get(long k) { return m.get(k); }
        @Override public void put(long k, long v) { m.put(k, v); }
        @Override public long remove(long k) { return m.remove(k); }
        @Override public long size() { return m.size(); }
        @Override public long iterate() {
            long s = 0;
            for (LongLongCursor c = m.cursor(); c.next(); ) s += c.key() + c.value();
            return s;
        }
        @Override public long offHeapBytes() { return m.stats().offHeapBytes(); }
        @Override public void close() { m.close(); }
    }

    static final class HashMapLong extends Peer {
        final HashMap<Long, Long> m;
        HashMapLong(HashMap<Long, Long> m) { super("HashMap"); this.m = m; }
        @Override public long get(long k) { Long v = m.get(k); return v == null ? 0 : v; }
        @Override public void put(long k, long v) { m.put(k, v); }
        @Override public long remove(long k) { Long v = m.remove(k); return v == null ? 0 : v; }
        @Override public long size() { return m.size(); }
        @Override public long iterate() {
            long s = 0;
            for (Map.Entry<Long, Long> e : m.entrySet()) s += e.getKey() + e.getValue();
            return s;
        }
    }

    static final class FastutilLong extends Peer {
        final Long2LongOpenHashMap m;
        FastutilLong(Long2LongOpenHashMap m) { super("fastutil"); this.m = m; }
        @Override public long get(long k) { return m.get(k); }
        @Override public void put(long k, long v) { m.put(k, v); }
        @Override public long remove(long k) { return m.remove(k); }
        @Override public long size() { return m.size(); }
        @Override public long iterate() {
            long s = 0;
            for (var it = m.long2LongEntrySet().fastIterator(); it.hasNext(); ) {
                Long2LongMap.Entry e = it.next();
                s += e.getLongKey() + e.getLongValue();
            }
            return s;
        }
    }

    static final class AgronaLong extends Peer {
        final Long2LongHashMap m;
        AgronaLong(Long2LongHashMap m) { super("agrona"); this.m = m; }
        @Override public long get(long k) { return m.get(k); }
        @Override public void put(long k, long v) { m.put(k, v); }
        @Override public long remove(long k) { return m.remove(k); }
        @Override public long size() { return m.size(); }
        @Override public long iterate() {
            long[] s = {0};
            m.forEachLong((k, v) -> s[0] += k + v);
            return s[0];
        }
    }

    static final class EclipseLong extends Peer {
        final LongLongHashMap m;
        EclipseLong(LongLongHashMap m) { super("eclipse"); this.m = m; }
        @Override public long get(long k) { return m.get(k); }
        @Override public void put(long k, long v) { m.put(k, v); }
        @Override public long remove(long k) { return m.removeKeyIfAbsent(k, 0); }
        @Override public long size() { return m.size(); }
        @Override public long iterate() {
            long[] s = {0};
            m.forEachKeyValue((k, v) -> s[0] += k + v);
            return s[0];
        }
    }

    static final class ChronicleLong extends Peer {
        final ChronicleMap<Long, Long> m;
        ChronicleLong(ChronicleMap<Long, Long> m) { super("chronicle"); this.m = m; }
        @Override public long get(long k) { Long v = m.get(k); return v == null ? 0 : v; }
        @Override public void put(long k, long v) { m.put(k, v); }
        @Override public long remove(long k) { Long v = m.remove(k); return v == null ? 0 : v; }
        @Override public long size() { return m.longSize(); }
        @Override public long iterate() {
            long[] s = {0};
            m.forEachEntry(e -> s[0] += e.key().get() + e.value().get());
            return s[0];
        }
        @Override public long offHeapBytes() { return m.offHeapMemoryUsed(); }
        @Override public void close() { m.close(); }
    }

    // ---- int -> int ----

    static final class HmapInt extends Peer {
        final IntIntMap m;
        HmapInt(IntIntMap m) { super("hmap"); this.m = m; }
        @Override public long get(long k) { return m.get((int) k); }
        @Override public void put(long k, long v) { m.put((int) k, (int) v); }
        @Override public long remove(long k) { return m.remove((int) k); }
        @Override public long size() { return m.size(); }
        @Override public long iterate() {
            long s = 0;
            for (IntIntCursor c = m.cursor(); c.next(); ) s += (long) c.key() + c.value();
            return s;
        }
        @Override public long offHeapBytes() { return m.stats().offHeapBytes(); }
        @Override public void close() { m.close(); }
    }

    static final class HashMapInt extends Peer {
        final HashMap<Integer, Integer> m;
        HashMapInt(HashMap<Integer, Integer> m) { super("HashMap"); this.m = m; }
        @Override public long get(long k) { Integer v = m.get((int) k); return v == null ? 0 : v; }
        @Override public void put(long k, long v) { m.put((int) k, (int) v); }
        @Override public long remove(long k) { Integer v = m.remove((int) k); return v == null ? 0 : v; }
        @Override public long size() { return m.size(); }
        @Override public long iterate() {
            long s = 0;
            for (Map.Entry<Integer, Integer> e : m.entrySet()) s += (long) e.getKey() + e.getValue();
            return s;
        }
    }

    static final class FastutilInt extends Peer {
        final Int2IntOpenHashMap m;
        FastutilInt(Int2IntOpenHashMap m) { super("fastutil"); this.m = m; }
        @Override public long get(long k) { return m.get((int) k); }
        @Override public void put(long k, long v) { m.put((int) k, (int) v); }
        @Override public long remove(long k) { return m.remove((int) k); }
        @Override public long size() { return m.size(); }
        @Override public long iterate() {
            long s = 0;
            for (var it = m.int2IntEntrySet().fastIterator(); it.hasNext(); ) {
                Int2IntMap.Entry e = it.next();
                s += (long) e.getIntKey() + e.getIntValue();
            }
            return s;
        }
    }

    static final class AgronaInt extends Peer {
        final Int2IntHashMap m;
        AgronaInt(Int2IntHashMap m) { super("agrona"); this.m = m; }
        @Override public long get(long k) { return m.get((int) k); }
        @Override public void put(long k, long v) { m.put((int) k, (int) v); }
        @Override public long remove(long k) { return m.remove((int) k); }
        @Override public long size() { return m.size(); }
        @Override public long iterate() {
            long[] s = {0};
            m.forEachInt((k, v) -> s[0] += (long) k + v);
            return s[0];
        }
    }

    static final class EclipseInt extends Peer {
        final IntIntHashMap m;
        EclipseInt(IntIntHashMap m) { super("eclipse"); this.m = m; }
        @Override public long get(long k) { return m.get((int) k); }
        @Override public void put(long k, long v) { m.put((int) k, (int) v); }
        @Override public long remove(long k) { return m.removeKeyIfAbsent((int) k, 0); }
        @Override public long size() { return m.size(); }
        @Override public long iterate() {
            long[] s = {0};
            m.forEachKeyValue((k, v) -> s[0] += (long) k + v);
            return s[0];
        }
    }

    static final class ChronicleInt extends Peer {
        final ChronicleMap<Integer, Integer> m;
        ChronicleInt(ChronicleMap<Integer, Integer> m) { super("chronicle"); this.m = m; }
        @Override public long get(long k) { Integer v = m.get((int) k); return v == null ? 0 : v; }
        @Override public void put(long k, long v) { m.put((int) k, (int) v); }
        @Override public long remove(long k) { Integer v = m.remove((int) k); return v == null ? 0 : v; }
        @Override public long size() { return m.longSize(); }
        @Override public long iterate() {
            long[] s = {0};
            m.forEachEntry(e -> s[0] += (long) e.key().get() + e.value().get());
            return s[0];
        }
        @Override public long offHeapBytes() { return m.offHeapMemoryUsed(); }
        @Override public void close() { m.close(); }
    }
}
