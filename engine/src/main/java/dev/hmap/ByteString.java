// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable sequence of bytes that compares by content: the boxed form of a {@code Bytes} map's keys
 * (Go's {@code string}, which holds any bytes), for {@code asMap()}, cursors and {@code forEach}, where a
 * {@code byte[]} would compare by identity and a {@code ByteBuffer} could change under a key.
 *
 * <p>Every factory copies, so no caller can change a ByteString after the fact. The maps' hot operations
 * never need one: they also take a key as a {@code byte[]} range, a {@code ByteBuffer}, a
 * {@code MemorySegment} or a Chronicle {@code BytesStore} range, without allocating.
 *
 * <p>{@link #compareTo} orders as Go compares strings: byte by byte, unsigned, a prefix first.
 */
public final class ByteString implements Comparable<ByteString> {
    /** The empty byte string. */
    public static final ByteString EMPTY = new ByteString(new byte[0]);

    private final byte[] bytes;
    /** {@link Arrays#hashCode(byte[])} of the bytes, or 0 until computed (as String caches its hash). */
    private int hash;

    private ByteString(byte[] owned) {
        this.bytes = owned;
    }

    /**
     * A copy of all of {@code bytes}.
     *
     * @param bytes the bytes
     * @return a byte string holding a copy of them
     */
    public static ByteString copyOf(byte[] bytes) {
        return new ByteString(bytes.clone());
    }

    /**
     * A copy of {@code bytes[offset, offset + length)}.
     *
     * @param bytes  holds the bytes
     * @param offset where they start
     * @param length how many there are
     * @return a byte string holding a copy of them
     * @throws IndexOutOfBoundsException if the range lies outside {@code bytes}
     */
    public static ByteString copyOf(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        return new ByteString(Arrays.copyOfRange(bytes, offset, offset + length));
    }

    /**
     * A copy of a segment's bytes.
     *
     * @param segment the bytes
     * @return a byte string holding a copy of them
     * @throws IllegalArgumentException if the segment is larger than a Java array can be
     */
    public static ByteString copyOf(MemorySegment segment) {
        return new ByteString(segment.toArray(ValueLayout.JAVA_BYTE));
    }

    /**
     * A copy of a buffer's remaining bytes; the buffer's position does not move.
     *
     * @param buffer holds the bytes from its position to its limit
     * @return a byte string holding a copy of them
     */
    public static ByteString copyOf(ByteBuffer buffer) {
        byte[] b = new byte[buffer.remaining()];
        buffer.get(buffer.position(), b);
        return new ByteString(b);
    }

    /**
     * The UTF-8 encoding of {@code s} (an unpaired surrogate becomes {@code '?'}, as String.getBytes does).
     *
     * @param s the string
     * @return its UTF-8 bytes
     */
    public static ByteString ofUtf8(String s) {
        return new ByteString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A copy of {@code length} bytes at {@code offset} of map memory: a cursor's key. */
    static ByteString copyOf(MemorySegment memory, long offset, long length) {
        byte[] b = new byte[Math.toIntExact(length)];
        MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, offset, b, 0, b.length);
        return new ByteString(b);
    }

    /** The bytes themselves, for the maps' lookups (never handed out). */
    static byte[] bytesOf(ByteString key) {
        return Objects.requireNonNull(key, "key").bytes;
    }

    /**
     * The number of bytes.
     *
     * @return the length
     */
    public int length() {
        return bytes.length;
    }

    /**
     * Whether there are no bytes.
     *
     * @return true if the length is 0
     */
    public boolean isEmpty() {
        return bytes.length == 0;
    }

    /**
     * The byte at {@code index}.
     *
     * @param index from 0 to {@code length() - 1}
     * @return the byte
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}
     */
    public byte byteAt(int index) {
        return bytes[Objects.checkIndex(index, bytes.length)];
    }

    /**
     * A new array holding the bytes.
     *
     * @return a copy of the bytes
     */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /**
     * Copies the bytes into {@code dst} at {@code offset}.
     *
     * @param dst    where the bytes go
     * @param offset where in {@code dst} they start
     * @throws IndexOutOfBoundsException if they do not fit; nothing is written then
     */
    public void copyTo(byte[] dst, int offset) {
        Objects.checkFromIndexSize(offset, bytes.length, dst.length);
        System.arraycopy(bytes, 0, dst, offset, bytes.length);
    }

    /**
     * A read-only segment over the bytes (no copy).
     *
     * @return the view
     */
    public MemorySegment asSegment() {
        return MemorySegment.ofArray(bytes).asReadOnly();
    }

    /**
     * A read-only buffer over the bytes (no copy), position 0 and limit {@link #length()}.
     *
     * @return the view
     */
    public ByteBuffer asReadOnlyBuffer() {
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    /**
     * The bytes decoded as UTF-8; a malformed sequence becomes U+FFFD.
     *
     * @return the string
     */
    public String toUtf8String() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof ByteString other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) hash = h = Arrays.hashCode(bytes);
        return h;
    }

    /**
     * Go's string order: the first differing byte decides, compared unsigned; a prefix sorts first.
     *
     * @param o the other byte string
     * @return negative, zero or positive as this one sorts before, with or after {@code o}
     */
    @Override
    public int compareTo(ByteString o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    /**
     * The bytes as a quoted literal, printable ASCII as it is and other bytes as {@code \xNN}; after 64
     * bytes, the rest as a count.
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(Math.min(bytes.length, 64) + 2).append('"');
        int n = Math.min(bytes.length, 64);
        for (int i = 0; i < n; i++) {
            int c = bytes[i] & 0xFF;
            if (c == '"' || c == '\\') b.append('\\').append((char) c);
            else if (c >= 0x20 && c < 0x7F) b.append((char) c);
            else b.append(String.format("\\x%02x", c));
        }
        b.append('"');
        if (n < bytes.length) b.append("...(").append(bytes.length).append(" bytes)");
        return b.toString();
    }
}
