// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import dev.hmap.StringLongMap;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * hmap's {@code StringLongMap} <b>writes by key form</b>: one churn step removes a present key and puts a new
 * one, both given in the form {@code flavour} names, so that {@code -prof gc} shows what a remove and a put
 * allocate in each form (the target is 0 B/op; a new key's bytes go off-heap, into the map's own memory).
 * The keys are {@link StringKeys} (8 to 24 ASCII chars), a ring of {@code 2 * size}, so the size stays
 * {@code size}; the score is ns per step (one remove and one put). The peers' churn, with ready Strings,
 * is {@link StringOpsBench#churn}.
 * <ul>
 *   <li>{@code String}: {@code remove(String)}, {@code put(String, long)}, Strings made in setup.</li>
 *   <li>{@code chars}: the key's chars copied into a reused StringBuilder, then {@code remove(CharSequence)}
 *       and {@code put(CharSequence, long)}.</li>
 *   <li>{@code bytes}: {@code remove(byte[], off, len)}, {@code put(byte[], off, len, long)} on one array of
 *       all keys' UTF-8 bytes.</li>
 *   <li>{@code segment}: the same bytes in a native segment; a slice per key made in setup.</li>
 *   <li>{@code bytesStore}: the same bytes in a direct Chronicle {@code Bytes}; {@code removeAt},
 *       {@code putAt}.</li>
 * </ul>
 * <pre>
 * java -jar bench/target/benchmarks.jar StringFlavourChurnBench -p size=1000000 -f 1 -wi 2 -i 3 -prof gc
 * </pre>
 */
@State(Scope.Thread)
public class StringFlavourChurnBench extends BenchDefaults {
    @Param({"String", "chars", "bytes", "segment", "bytesStore"})
    public String flavour;

    @Param({"1000", "1000000"})
    public int size;

    private StringLongMap map;
    private String[] strings;
    private char[] chars;
    private byte[] bytes;
    private int[] start;
    private Arena arena;
    private MemorySegment[] slices;
    private Bytes<?> chronicle;
    private BytesStore<?, ?> store;
    private final StringBuilder sb = new StringBuilder(StringKeys.MAX_LEN);
    private int head;

    @Setup(Level.Trial)
    public void setup() {
        int n = 2 * size;
        int[] ids = StringKeys.range(0, n);
        strings = new String[n];
        for (int i = 0; i < n; i++) strings[i] = StringKeys.string(i);
        StringKeys.Packed p = StringKeys.pack(ids, 0);
        bytes = p.bytes();
        chars = p.chars();
        start = p.start();
        arena = Arena.ofShared();
        MemorySegment all = arena.allocate(bytes.length, 8);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, all, 0, bytes.length);
        slices = new MemorySegment[n];
        for (int i = 0; i < n; i++) slices[i] = all.asSlice(start[i], start[i + 1] - start[i]);
        chronicle = Bytes.allocateElasticDirect(bytes.length);
        chronicle.write(bytes);
        store = chronicle.bytesStore();
        map = StringLongMap.create();
        for (int i = 0; i < size; i++) map.put(strings[i], i);
        head = 0;
        step(); // every form must find what put(String) stored
        if (map.size() != size) throw new IllegalStateException(flavour + ": the size moved to " + map.size());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (map.size() != size) throw new IllegalStateException("churn changed the size: " + map.size());
        map.close();
        arena.close();
        chronicle.releaseLast();
    }

    @Benchmark
    @OperationsPerInvocation(MapBench.BATCH)
    public long churn() {
        return step();
    }

    private long step() {
        return switch (flavour) {
            case "String" -> byString();
            case "chars" -> byChars();
            case "bytes" -> byBytes();
            case "segment" -> bySegment();
            case "bytesStore" -> byBytesStore();
            default -> throw new IllegalArgumentException("flavour: String, chars, bytes, segment, bytesStore; not " + flavour);
        };
    }

    private long byString() {
        StringLongMap m = map;
        String[] r = strings;
        int n = size, len = r.length, h = head;
        long sum = 0, bad = 0;
        for (int j = 0; j < MapBench.BATCH; j++) {
            long v = m.remove(r[h]);
            sum += v;
            bad |= v ^ h;
            int t = h + n < len ? h + n : h + n - len;
            m.put(r[t], t);
            if (++h == len) h = 0;
        }
        head = h;
        return check(sum, bad);
    }

    private long byChars() {
        StringLongMap m = map;
        StringBuilder b = sb;
        char[] c = chars;
        int[] st = start;
        int n = size, len = st.length - 1, h = head;
        long sum = 0, bad = 0;
        for (int j = 0; j < MapBench.BATCH; j++) {
            b.setLength(0);
            b.append(c, st[h], st[h + 1] - st[h]);
            long v = m.remove((CharSequence) b);
            sum += v;
            bad |= v ^ h;
            int t = h + n < len ? h + n : h + n - len;
            b.setLength(0);
            b.append(c, st[t], st[t + 1] - st[t]);
            m.put((CharSequence) b, t);
            if (++h == len) h = 0;
        }
        head = h;
        return check(sum, bad);
    }

    private long byBytes() {
        StringLongMap m = map;
        byte[] bs = bytes;
        int[] st = start;
        int n = size, len = st.length - 1, h = head;
        long sum = 0, bad = 0;
        for (int j = 0; j < MapBench.BATCH; j++) {
            long v = m.remove(bs, st[h], st[h + 1] - st[h]);
            sum += v;
            bad |= v ^ h;
            int t = h + n < len ? h + n : h + n - len;
            m.put(bs, st[t], st[t + 1] - st[t], t);
            if (++h == len) h = 0;
        }
        head = h;
        return check(sum, bad);
    }

    private long bySegment() {
        StringLongMap m = map;
        MemorySegment[] s = slices;
        int n = size, len = s.length, h = head;
        long sum = 0, bad = 0;
        for (int j = 0; j < MapBench.BATCH; j++) {
            long v = m.remove(s[h]);
            sum += v;
            bad |= v ^ h;
            int t = h + n < len ? h + n : h + n - len;
            m.put(s[t], t);
            if (++h == len) h = 0;
        }
        head = h;
        return check(sum, bad);
    }

    private long byBytesStore() {
        StringLongMap m = map;
        BytesStore<?, ?> bs = store;
        int[] st = start;
        int n = size, len = st.length - 1, h = head;
        long sum = 0, bad = 0;
        for (int j = 0; j < MapBench.BATCH; j++) {
            long v = m.removeAt(bs, st[h], st[h + 1] - st[h]);
            sum += v;
            bad |= v ^ h;
            int t = h + n < len ? h + n : h + n - len;
            m.putAt(bs, st[t], st[t + 1] - st[t], t);
            if (++h == len) h = 0;
        }
        head = h;
        return check(sum, bad);
    }

    /** Every removed key was present with its ring index as its value (bad: those values xor the indexes). */
    private long check(long sum, long bad) {
        if (bad != 0) throw new IllegalStateException(flavour + ": a remove did not find its key");
        return sum;
    }
}
