// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The String keys of a benchmark in the form its calls take them, laid out in the order they are used, and
 * the two measured loops of the String benchmarks: {@link #getBatch} and {@link #churnBatch}. Key {@code i}
 * is the i-th id given to {@link #of}; each form reaches a {@link StringPeer} through its own overload:
 *
 * <ul>
 *   <li>{@code String}: ready Strings, made beforehand ({@code get(String)}).</li>
 *   <li>{@code chars}: the keys' chars in one {@code char[]}, copied per call into a reused
 *       {@code StringBuilder} ({@code setLength(0)} + {@code append(char[], off, len)}, no allocation): a key
 *       parsed out of a message ({@code get(CharSequence)}).</li>
 *   <li>{@code bytes}: the keys' UTF-8 bytes in one {@code byte[]} ({@code get(byte[], off, len)}).</li>
 *   <li>{@code segment}: the same bytes in native memory, one slice per key made beforehand
 *       ({@code get(MemorySegment)}; the call itself creates nothing).</li>
 *   <li>{@code segmentSlice}: the same, but {@code all.asSlice(off, len)} per call, the natural code; whether
 *       the slice is allocated or scalar-replaced shows in {@code -prof gc}.</li>
 *   <li>{@code bytesStore}: the same bytes in a direct Chronicle {@code Bytes}: a key inside a parsed FIX or
 *       SBE message ({@code getAt(BytesStore, off, len)}).</li>
 * </ul>
 *
 * <p>Why one loop serves every peer and form: a fork instantiates one {@code KeyForm} subclass and one
 * {@code StringPeer} subclass, so {@code get(m, i)} and the peer call inside it are monomorphic call sites,
 * inlined into the loop as {@link MapBench#getBatch()}'s {@code Peer} call is. The arrays are read in
 * order, so the prefetcher hides the key source and the loop measures the map.
 */
public abstract class KeyForm implements AutoCloseable {
    /** The forms, as the suffix of {@code StringGetBench}'s {@code impl} and {@code StringFlavourChurnBench}'s {@code flavour}. */
    public static final String[] NAMES = {"String", "chars", "bytes", "segment", "segmentSlice", "bytesStore"};

    /** Number of keys. */
    final int n;
    /** Where the next batch starts (get) or the ring's head (churn); persists across invocations. */
    private int pos;

    KeyForm(int n) {
        this.n = n;
    }

    abstract long get(StringPeer m, int i);

    abstract void put(StringPeer m, int i, long value);

    abstract long remove(StringPeer m, int i);

    /** The keys of {@code ids}, in that order, in form {@code form} ({@link #NAMES}). */
    public static KeyForm of(String form, int[] ids) {
        return switch (form) {
            case "String" -> new Strings(ids);
            case "chars" -> new Chars(StringKeys.pack(ids, 0));
            case "bytes" -> new ByteArray(StringKeys.pack(ids, 0));
            case "segment" -> new Slices(StringKeys.pack(ids, 0));
            case "segmentSlice" -> new SlicePerCall(StringKeys.pack(ids, 0));
            case "bytesStore" -> new Store(StringKeys.pack(ids, 0));
            default -> throw new IllegalArgumentException("key forms: " + String.join(", ", NAMES) + "; not " + form);
        };
    }

    /**
     * Looks up the next {@value MapBench#BATCH} keys (wrapping around) and returns the sum of the values; the
     * caller returns it to JMH, so no lookup is dead code.
     */
    final long getBatch(StringPeer m) {
        int i = pos, n = this.n;
        long sum = 0;
        for (int j = 0; j < MapBench.BATCH; j++) {
            sum += get(m, i);
            if (++i == n) i = 0;
        }
        pos = i;
        return sum;
    }

    /**
     * {@value MapBench#BATCH} churn steps over the ring of all keys, {@code live} of which are in the map with
     * their index as value: step h removes key h and puts key {@code h + live} (modulo the ring), so the size
     * stays {@code live}. Throws if a remove did not find its key (xor of values and indexes).
     */
    final long churnBatch(StringPeer m, int live) {
        int n = this.n, h = pos;
        long sum = 0, bad = 0;
        for (int j = 0; j < MapBench.BATCH; j++) {
            long v = remove(m, h);
            sum += v;
            bad |= v ^ h;
            int t = h + live;
            if (t >= n) t -= n;
            put(m, t, t);
            if (++h == n) h = 0;
        }
        pos = h;
        if (bad != 0) throw new IllegalStateException(getClass().getSimpleName() + ": a remove did not find its key");
        return sum;
    }

    /** Puts keys {@code [0, count)} with their index as value. */
    final void fill(StringPeer m, int count) {
        for (int i = 0; i < count; i++) put(m, i, i);
    }

    /** The next batch starts at key 0 again. */
    final void rewind() {
        pos = 0;
    }

    @Override
    public void close() {}

    /** Ready Strings, each its own object with its own byte array, allocated in use order. */
    static final class Strings extends KeyForm {
        private final String[] keys;

        Strings(int[] ids) {
            super(ids.length);
            keys = new String[n];
            for (int i = 0; i < n; i++) keys[i] = StringKeys.string(ids[i]);
        }

        @Override long get(StringPeer m, int i) { return m.get(keys[i]); }
        @Override void put(StringPeer m, int i, long v) { m.put(keys[i], v); }
        @Override long remove(StringPeer m, int i) { return m.remove(keys[i]); }
    }

    /** The chars of all keys in one array, key i refilled into one reused StringBuilder per call. */
    static final class Chars extends KeyForm {
        private final char[] chars;
        private final int[] start;
        private final StringBuilder sb = new StringBuilder(StringKeys.MAX_LEN);

        Chars(StringKeys.Packed p) {
            super(p.size());
            chars = p.chars();
            start = p.start();
        }

        private CharSequence key(int i) {
            sb.setLength(0);
            return sb.append(chars, start[i], start[i + 1] - start[i]);
        }

        @Override long get(StringPeer m, int i) { return m.get(key(i)); }
        @Override void put(StringPeer m, int i, long v) { m.put(key(i), v); }
        @Override long remove(StringPeer m, int i) { return m.remove(key(i)); }
    }

    /** The UTF-8 bytes of all keys in one array. */
    static final class ByteArray extends KeyForm {
        private final byte[] bytes;
        private final int[] start;

        ByteArray(StringKeys.Packed p) {
            super(p.size());
            bytes = p.bytes();
            start = p.start();
        }

        @Override long get(StringPeer m, int i) { return m.get(bytes, start[i], start[i + 1] - start[i]); }
        @Override void put(StringPeer m, int i, long v) { m.put(bytes, start[i], start[i + 1] - start[i], v); }
        @Override long remove(StringPeer m, int i) { return m.remove(bytes, start[i], start[i + 1] - start[i]); }
    }

    /** The bytes in a native segment of a shared arena, one slice per key made beforehand. */
    static final class Slices extends KeyForm {
        private final Arena arena = Arena.ofShared();
        private final MemorySegment[] slices;

        Slices(StringKeys.Packed p) {
            super(p.size());
            MemorySegment all = copy(arena, p.bytes());
            slices = new MemorySegment[n];
            for (int i = 0; i < n; i++) slices[i] = all.asSlice(p.start()[i], p.length(i));
        }

        @Override long get(StringPeer m, int i) { return m.get(slices[i]); }
        @Override void put(StringPeer m, int i, long v) { m.put(slices[i], v); }
        @Override long remove(StringPeer m, int i) { return m.remove(slices[i]); }
        @Override public void close() { arena.close(); }
    }

    /**
     * The same segment, sliced per call. A class of its own so that the slice is always new at the call (no
     * merge with a loaded slice), which is what lets escape analysis remove it if it can.
     */
    static final class SlicePerCall extends KeyForm {
        private final Arena arena = Arena.ofShared();
        private final MemorySegment all;
        private final int[] start;

        SlicePerCall(StringKeys.Packed p) {
            super(p.size());
            all = copy(arena, p.bytes());
            start = p.start();
        }

        private MemorySegment key(int i) {
            return all.asSlice(start[i], start[i + 1] - start[i]);
        }

        @Override long get(StringPeer m, int i) { return m.get(key(i)); }
        @Override void put(StringPeer m, int i, long v) { m.put(key(i), v); }
        @Override long remove(StringPeer m, int i) { return m.remove(key(i)); }
        @Override public void close() { arena.close(); }
    }

    private static MemorySegment copy(Arena arena, byte[] bytes) {
        MemorySegment all = arena.allocate(bytes.length, 8);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, all, 0, bytes.length);
        return all;
    }

    /** The bytes in a direct Chronicle {@code Bytes}. */
    static final class Store extends KeyForm {
        private final Bytes<?> bytes;
        private final BytesStore<?, ?> store;
        private final int[] start;

        Store(StringKeys.Packed p) {
            super(p.size());
            bytes = Bytes.allocateElasticDirect(p.bytes().length);
            bytes.write(p.bytes());
            store = bytes.bytesStore();
            start = p.start();
        }

        @Override long get(StringPeer m, int i) { return m.getAt(store, start[i], start[i + 1] - start[i]); }
        @Override void put(StringPeer m, int i, long v) { m.putAt(store, start[i], start[i + 1] - start[i], v); }
        @Override long remove(StringPeer m, int i) { return m.removeAt(store, start[i], start[i + 1] - start[i]); }
        @Override public void close() { bytes.releaseLast(); }
    }
}
