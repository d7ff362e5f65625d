// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * The forms a byte-string value can be written in: a whole byte[], a byte[] range, a ByteBuffer (heap,
 * read-only or direct), a heap or native MemorySegment, a Chronicle BytesStore range (the {@code ...At}
 * methods). As {@link KeyForm} does for keys, each names the {@link Val} methods that produce its
 * arguments, whose types find the API's overloads by reflection.
 *
 * <p>The suites' values travel as long; {@link #bytesOf} maps a long to the bytes a map stores for it and
 * {@link #valueOf} back, checking every byte, so a value read back wrong, cut short or overwritten is
 * an error, not a different value.
 */
enum ValueForm {
    ARRAY("", "array"),
    RANGE("", "padded", "offset", "length"),
    BUFFER("", "buffer"),
    SEGMENT("", "segment"),
    BYTES_STORE("At", "store", "storeOffset", "storeLength");

    static final List<ValueForm> ALL = List.of(values());

    final String suffix;
    final List<MethodHandle> arguments;

    ValueForm(String suffix, String... valMethods) {
        this.suffix = suffix;
        this.arguments = Arrays.stream(valMethods).map(ValueForm::valMethod).toList();
    }

    List<Class<?>> parameterTypes() {
        return arguments.stream().<Class<?>>map(h -> h.type().returnType()).toList();
    }

    private static MethodHandle valMethod(String name) {
        try {
            return MethodHandles.lookup().unreflect(Val.class.getDeclaredMethod(name));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // ------------------------------------------------------------------ long <-> bytes

    private static long mix(long v) {
        v = (v ^ (v >>> 33)) * 0xff51afd7ed558ccdL;
        v = (v ^ (v >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return v ^ (v >>> 33);
    }

    /** The padding after a value's 8 bytes: mostly 0 to 31 bytes, 1 in 128 values past 2 KiB (page blocks). */
    private static int padding(long v) {
        long h = mix(v);
        return (h & 127) == 0 ? 2049 + (int) (h >>> 8 & 511) : (int) (h >>> 8 & 31);
    }

    /** The bytes stored for value v: none for 0 (an empty value), else v little-endian and a padding of v's. */
    static byte[] bytesOf(long v) {
        if (v == 0) return new byte[0];
        int pad = padding(v);
        byte[] b = new byte[8 + pad];
        for (int i = 0; i < 8; i++) b[i] = (byte) (v >>> (i << 3));
        long h = mix(v ^ 0x5EED);
        for (int i = 0; i < pad; i++) b[8 + i] = (byte) (h >>> ((i & 7) << 3) ^ i);
        return b;
    }

    /** The value whose bytes are b[0, n); an AssertionError if no value has those bytes. */
    static long valueOf(byte[] b, int n) {
        if (n == 0) return 0;
        long v = 0;
        if (n >= 8) for (int i = 0; i < 8; i++) v |= (b[i] & 0xFFL) << (i << 3);
        if (n < 8 || v == 0 || !Arrays.equals(b, 0, n, bytesOf(v), 0, n) || n != bytesOf(v).length) {
            throw new AssertionError("the map returned value bytes no value encodes to: " + n + " bytes "
                    + ByteString.copyOf(b, 0, Math.min(n, 40)));
        }
        return v;
    }

    static long valueOf(ByteString s) {
        return valueOf(s.toByteArray(), s.length());
    }

    /** A value ready to be passed in every form; the salt varies the garbage around it and the memory kind. */
    static final class Val {
        private static final ThreadLocal<Bytes<Void>> STORE = ThreadLocal.withInitial(() -> Bytes.allocateElasticDirect(64));
        private static final ThreadLocal<MemorySegment[]> NATIVE = ThreadLocal.withInitial(() -> new MemorySegment[1]);
        private static final ThreadLocal<ByteBuffer[]> DIRECT = ThreadLocal.withInitial(() -> new ByteBuffer[1]);

        private final byte[] bytes;
        private final int salt;
        private byte[] padded;

        Val(long v, int salt) {
            this.bytes = bytesOf(v);
            this.salt = salt;
        }

        byte[] array() {
            return bytes.clone();
        }

        byte[] padded() {
            if (padded == null) {
                padded = new byte[bytes.length + 7];
                Arrays.fill(padded, (byte) (0x61 + (salt & 15)));
                System.arraycopy(bytes, 0, padded, offset(), bytes.length);
            }
            return padded;
        }

        int offset() {
            return 1 + (salt & 3);
        }

        int length() {
            return bytes.length;
        }

        ByteBuffer buffer() {
            return switch (Math.floorMod(salt, 3)) {
                case 0 -> ByteBuffer.wrap(padded(), offset(), length());
                case 1 -> ByteBuffer.wrap(padded(), offset(), length()).asReadOnlyBuffer();
                default -> {
                    ByteBuffer[] d = DIRECT.get();
                    if (d[0] == null || d[0].capacity() < length() + 8) d[0] = ByteBuffer.allocateDirect(Math.max(4096, 2 * length() + 8));
                    ByteBuffer b = d[0].clear().position(offset());
                    b.put(bytes).flip().position(offset());
                    yield b;
                }
            };
        }

        MemorySegment segment() {
            if ((salt & 1) == 0) return MemorySegment.ofArray(padded()).asSlice(offset(), length());
            MemorySegment[] s = NATIVE.get();
            if (s[0] == null || s[0].byteSize() < length() + 8L) s[0] = Arena.ofAuto().allocate(Math.max(4096, 2L * length() + 8));
            MemorySegment seg = s[0].asSlice(offset(), length());
            MemorySegment.copy(bytes, 0, seg, ValueLayout.JAVA_BYTE, 0, length());
            return seg;
        }

        BytesStore<?, ?> store() {
            Bytes<Void> b = STORE.get();
            b.clear();
            b.write(padded());
            return b.bytesStore();
        }

        long storeOffset() {
            return offset();
        }

        long storeLength() {
            return length();
        }
    }
}
