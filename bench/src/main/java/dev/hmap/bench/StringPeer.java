// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import net.openhft.chronicle.bytes.BytesStore;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * One String-to-long map under test, seen through every form a key can arrive in: a ready {@code String},
 * a {@code CharSequence}, a {@code byte[]} range, a {@code MemorySegment}, a Chronicle {@code BytesStore}
 * range. Made by {@link StringPeers#create}; the forms' data and loops are {@link KeyForm}'s.
 *
 * <p>hmap's subclass hands every form to {@code StringLongMap} as it is, and allocates nothing. A heap map can
 * only be asked with a String, so the defaults here build one per call ({@code toString()}, {@code new
 * String(bytes, UTF_8)}), on purpose: that is what a caller of those maps pays when the key arrives as bytes
 * or characters.
 *
 * <p>{@link #iterate()} returns the sum of key lengths and values. As with {@link Peer}, a JMH fork instantiates one subclass (and one {@link KeyForm}), so every call site
 * in a measured loop sees one receiver type and is inlined.
 */
public abstract class StringPeer extends BenchMap {
    protected StringPeer(String name) {
        super(name);
    }

    /** The value of {@code key}, or the peer's missing value (0, or -1 for Agrona). */
    public abstract long get(String key);

    public long get(CharSequence key) {
        return get(key.toString());
    }

    public long get(byte[] key, int offset, int length) {
        return get(new String(key, offset, length, StandardCharsets.UTF_8));
    }

    public long get(MemorySegment key) {
        return get(string(key));
    }

    public long getAt(BytesStore<?, ?> key, long offset, long length) {
        return get(string(key, offset, length));
    }

    public abstract void put(String key, long value);

    public void put(CharSequence key, long value) {
        put(key.toString(), value);
    }

    public void put(byte[] key, int offset, int length, long value) {
        put(new String(key, offset, length, StandardCharsets.UTF_8), value);
    }

    public void put(MemorySegment key, long value) {
        put(string(key), value);
    }

    public void putAt(BytesStore<?, ?> key, long offset, long length, long value) {
        put(string(key, offset, length), value);
    }

    /** Removes {@code key}, returning its value (or the missing value). */
    public abstract long remove(String key);

    public long remove(CharSequence key) {
        return remove(key.toString());
    }

    public long remove(byte[] key, int offset, int length) {
        return remove(new String(key, offset, length, StandardCharsets.UTF_8));
    }

    public long remove(MemorySegment key) {
        return remove(string(key));
    }

    public long removeAt(BytesStore<?, ?> key, long offset, long length) {
        return remove(string(key, offset, length));
    }

    private static String string(MemorySegment key) {
        return new String(key.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    private static String string(BytesStore<?, ?> key, long offset, long length) {
        byte[] b = new byte[Math.toIntExact(length)];
        for (int done = 0; done < b.length; ) done += key.read(offset + done, b, done, b.length - done);
        return new String(b, StandardCharsets.UTF_8);
    }
}
