// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import dev.hmap.BytesBytesCursor;
import dev.hmap.BytesBytesMap;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.hash.serialization.impl.BytesSizedMarshaller;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The bytes-to-bytes maps (Go's {@code map[string]string}) compared by {@link BytesBench} and
 * {@link BytesMemory}, behind {@link BytesPeer}:
 *
 * <ul>
 *   <li>{@code hmap}: {@link BytesBytesMap#create()}, no size hint: keys and values copied into the map's
 *       own off-heap memory (Go 1.19 {@code map[string]string} buckets, 16-byte string headers for both).</li>
 *   <li>{@code hashmap}: {@code java.util.HashMap<ByteBuffer, byte[]>}, no size hint, the JDK baseline as
 *       its users write it: {@code ByteBuffer.wrap(key)} per call (a {@code byte[]} has identity equality,
 *       so it cannot be the key itself), the caller's value array stored as it is and handed back by
 *       {@code get}, which the caller then copies.</li>
 *   <li>{@code chronicle}: Chronicle Map {@code ChronicleMap<Bytes, Bytes>}, in memory, sized for its entries
 *       (it cannot grow past them), keys and values marshalled by Chronicle Map's own
 *       {@code BytesSizedMarshaller}, with {@code constantKeySizeBySample} and, when all values have one
 *       size ({@link BytesBench}), {@code constantValueSizeBySample}, else {@code averageValueSize}, as the
 *       Chronicle Map tutorial recommends. This is the zero-allocation form its tutorial documents: one heap
 *       key instance reused for every call (its {@code LongValue} example), refilled from the caller's
 *       {@code byte[]}, and {@code getUsing(key, using)} with a value marshaller that reads into the
 *       {@code using} object, here a reused on-heap {@code Bytes} that the value is then copied out of;
 *       {@code put} and {@code remove} with {@code putReturnsNull(true)} and {@code removeReturnsNull(true)},
 *       the builder options that stop them from deserializing the previous value just to return it. The
 *       simpler {@code ChronicleMap<byte[], byte[]>} (byte[] has out-of-the-box support) is not zero
 *       allocation: its {@code byte[]} data access wraps every key and value in a new {@code BytesStore}
 *       (measured with Chronicle Map 3.27ea0: 176 B per {@code getUsing}, 352 B per {@code put}).</li>
 * </ul>
 * Chronicle Map needs the {@link Jvm#FLAGS} add-exports and add-opens.
 */
public final class BytesPeers {
    private BytesPeers() {}

    /** Every peer. */
    public static final String[] NAMES = {"hmap", "hashmap", "chronicle"};

    /**
     * A new empty map. hmap and HashMap get no size hint; Chronicle Map is sized for {@code entries} keys of
     * {@code keyLength} bytes and values of {@code valueLength} bytes, all of them if {@code constantValues},
     * on average otherwise.
     */
    public static BytesPeer create(String name, long entries, int keyLength, double valueLength, boolean constantValues) {
        return switch (name) {
            case "hmap" -> new Hmap(BytesBytesMap.create());
            case "hashmap" -> new JdkHashMap(new HashMap<>());
            case "chronicle" -> Chronicle.create(entries, keyLength, valueLength, constantValues);
            default -> throw new IllegalArgumentException("bytes peers: " + String.join(", ", NAMES) + "; not " + name);
        };
    }

    /** hmap: every call goes to {@link BytesBytesMap} as it is, nothing made around it. */
    static final class Hmap extends BytesPeer {
        final BytesBytesMap m;
        Hmap(BytesBytesMap m) { super("hmap"); this.m = m; }
        @Override public int get(byte[] key, byte[] dst) { return m.get(key, dst, 0); }
        @Override public int put(byte[] key, byte[] value) { return m.put(key, value) ? 1 : 0; }
        @Override public void put(byte[] keys, int keyOff, int keyLen, byte[] values, int valueOff, int valueLen) {
            m.put(keys, keyOff, keyLen, values, valueOff, valueLen);
        }
        @Override public int remove(byte[] key) { return m.remove(key) ? 1 : 0; }
        @Override public long size() { return m.size(); }
        @Override public long iterate() {
            long s = 0;
            for (BytesBytesCursor c = m.cursor(); c.next(); ) s += c.keyLength() + c.valueLength();
            return s;
        }
        @Override public long offHeapBytes() { return m.stats().offHeapBytes(); }
        @Override public void close() { m.close(); }
    }

    /** {@code HashMap<ByteBuffer, byte[]>}: a wrapper per call, the caller's arrays kept. */
    static final class JdkHashMap extends BytesPeer {
        final HashMap<ByteBuffer, byte[]> m;
        JdkHashMap(HashMap<ByteBuffer, byte[]> m) { super("hashmap"); this.m = m; }
        @Override public int get(byte[] key, byte[] dst) {
            byte[] v = m.get(ByteBuffer.wrap(key));
            if (v == null) return -1;
            if (v.length <= dst.length) System.arraycopy(v, 0, dst, 0, v.length);
            return v.length;
        }
        @Override public int put(byte[] key, byte[] value) { return m.put(ByteBuffer.wrap(key), value) != null ? 1 : 0; }
        @Override public void put(byte[] keys, int keyOff, int keyLen, byte[] values, int valueOff, int valueLen) {
            m.put(ByteBuffer.wrap(Arrays.copyOfRange(keys, keyOff, keyOff + keyLen)),
                    Arrays.copyOfRange(values, valueOff, valueOff + valueLen));
        }
        @Override public int remove(byte[] key) { return m.remove(ByteBuffer.wrap(key)) != null ? 1 : 0; }
        @Override public long size() { return m.size(); }
        @Override public long iterate() {
            long s = 0;
            for (Map.Entry<ByteBuffer, byte[]> e : m.entrySet()) s += e.getKey().remaining() + e.getValue().length;
            return s;
        }
    }

    /**
     * {@code ChronicleMap<Bytes, Bytes>} with {@code BytesSizedMarshaller}s: one reused key {@code Bytes}
     * refilled per call, {@code getUsing} into one reused value {@code Bytes}, writes that return null.
     */
    static final class Chronicle extends BytesPeer {
        final ChronicleMap<Bytes<?>, Bytes<?>> m;
        private final Bytes<?> key = Bytes.allocateElasticOnHeap(64), value = Bytes.allocateElasticOnHeap(128),
                using = Bytes.allocateElasticOnHeap(128);

        Chronicle(ChronicleMap<Bytes<?>, Bytes<?>> m) { super("chronicle"); this.m = m; }

        @SuppressWarnings({"unchecked", "rawtypes"})
        static Chronicle create(long entries, int keyLength, double valueLength, boolean constantValues) {
            BytesSizedMarshaller marshaller = new BytesSizedMarshaller();
            ChronicleMapBuilder b = ChronicleMap.of(Bytes.class, Bytes.class); // raw: the marshaller is for Bytes<?>
            b = b.name("bytes-" + entries)
                    .entries(entries)
                    .keyMarshallers(marshaller, marshaller)
                    .valueMarshallers(marshaller, marshaller)
                    .constantKeySizeBySample(Bytes.wrapForRead(new byte[keyLength]))
                    .putReturnsNull(true)
                    .removeReturnsNull(true);
            b = constantValues ? b.constantValueSizeBySample(Bytes.wrapForRead(new byte[(int) valueLength]))
                    : b.averageValueSize(valueLength);
            return new Chronicle((ChronicleMap<Bytes<?>, Bytes<?>>) b.create());
        }

        private Bytes<?> key(byte[] k, int off, int len) {
            key.clear();
            key.write(k, off, len);
            return key;
        }

        @Override public int get(byte[] k, byte[] dst) {
            using.clear();
            Bytes<?> v = m.getUsing(key(k, 0, k.length), using);
            if (v == null) return -1;
            int len = (int) v.readRemaining();
            if (len <= dst.length) v.read(dst, 0, len);
            return len;
        }
        @Override public int put(byte[] k, byte[] v) {
            value.clear();
            value.write(v);
            m.put(key(k, 0, k.length), value); // returns null: putReturnsNull(true)
            return 1;
        }
        @Override public void put(byte[] keys, int keyOff, int keyLen, byte[] values, int valueOff, int valueLen) {
            value.clear();
            value.write(values, valueOff, valueLen);
            m.put(key(keys, keyOff, keyLen), value);
        }
        @Override public int remove(byte[] k) {
            m.remove(key(k, 0, k.length)); // returns null: removeReturnsNull(true)
            return 1;
        }
        @Override public long size() { return m.longSize(); }
        @Override public long iterate() {
            long[] s = {0};
            m.forEachEntry(e -> s[0] += e.key().size() + e.value().size());
            return s[0];
        }
        /** {@code offHeapMemoryUsed()}: all the memory the map has allocated (its segment tiers), touched or not. */
        @Override public long offHeapBytes() { return m.offHeapMemoryUsed(); }
        @Override public void close() { m.close(); }
    }
}
