// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * The forms a String or Bytes key can be passed in: the String itself, its characters (a StringBuilder, or
 * a CharBuffer), or its bytes (a ByteString, a whole byte[] or a range, a heap or native MemorySegment, a
 * heap, read-only or direct ByteBuffer, a Chronicle BytesStore range through the {@code ...At} methods).
 * A type is offered the forms it has overloads for.
 *
 * <p>Each form names the methods of {@link Key} that produce its arguments. Their declared types are the
 * parameter types of the API overload the form calls, and the suffix is that overload's name suffix, so
 * the adapter ({@link MapImpls}) finds every overload by reflection; a new overload family needs only a
 * new constant here.
 */
enum KeyForm {
    STRING("", "string"),
    STRING_BUILDER("", "stringBuilder"),
    CHAR_BUFFER("", "charBuffer"),
    BYTE_STRING("", "byteString"),
    WHOLE_ARRAY("", "wholeArray"),
    BYTE_RANGE("", "array", "offset", "length"),
    HEAP_SEGMENT("", "heapSegment"),
    NATIVE_SEGMENT("", "nativeSegment"),
    BUFFER("", "buffer"),
    BYTES_STORE("At", "store", "storeOffset", "storeLength");

    static final List<KeyForm> ALL = List.of(values());

    /** The suffix of the overloads' names: {@code getAt} for {@code get}. */
    final String suffix;
    /** The Key methods producing the arguments, in order. */
    final List<MethodHandle> arguments;

    KeyForm(String suffix, String... keyMethods) {
        this.suffix = suffix;
        this.arguments = Arrays.stream(keyMethods).map(KeyForm::keyMethod).toList();
    }

    /** The parameter types of this form's overloads, before the method's other parameters. */
    List<Class<?>> parameterTypes() {
        return arguments.stream().<Class<?>>map(h -> h.type().returnType()).toList();
    }

    /** Whether the form passes the key's bytes rather than its characters. */
    boolean passesBytes() {
        return !CharSequence.class.isAssignableFrom(parameterTypes().get(0));
    }

    private static MethodHandle keyMethod(String name) {
        try {
            Method m = Key.class.getDeclaredMethod(name);
            return MethodHandles.lookup().unreflect(m);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * A String key, ready to be passed in every form. The byte forms pass the reference WTF-8 of the string
     * ({@link StringKeyCodec#wtf8}, not the engine's encoder) or bytes given explicitly, with garbage around
     * them, or a segment given explicitly; the salt varies the garbage, the kind of CharSequence and heap or
     * direct memory.
     */
    static final class Key {
        /*
         * Native memory and Chronicle stores cost microseconds to make, so each thread reuses one of each:
         * the adapter makes a form's arguments right before the call, and a call ends before the next begins.
         */
        private static final ThreadLocal<CharBuffer> DIRECT_CHARS =
                ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(1 << 22).asCharBuffer());
        private static final ThreadLocal<MemorySegment[]> NATIVE = ThreadLocal.withInitial(() -> new MemorySegment[1]);
        private static final ThreadLocal<Bytes<byte[]>> HEAP_STORE = ThreadLocal.withInitial(() -> Bytes.allocateElasticOnHeap(64));
        private static final ThreadLocal<Bytes<Void>> DIRECT_STORE = ThreadLocal.withInitial(() -> Bytes.allocateElasticDirect(64));
        private static final ThreadLocal<ByteBuffer[]> DIRECT_BUFFER = ThreadLocal.withInitial(() -> new ByteBuffer[1]);

        final String s;
        private final int salt;
        private final MemorySegment segment;
        private byte[] bytes;
        private byte[] padded; // bytes at [off, off + length), garbage around
        private int off;

        Key(String s) {
            this(s, null, 0);
        }

        Key(String s, int salt) {
            this(s, null, salt);
        }

        /** A key given by raw bytes (e.g. getBytes(UTF_8) of an ill-formed string); s is for messages and the String forms. */
        Key(String s, byte[] bytes, int salt) {
            this.s = s;
            this.bytes = bytes;
            this.salt = salt;
            this.segment = null;
        }

        /** A key whose segment forms pass this very segment (e.g. a view of the map's own memory). */
        Key(String s, MemorySegment segment) {
            this.s = s;
            this.salt = 0;
            this.segment = segment;
        }

        /** The same key for a Bytes-keyed type: its bytes as StringKeyCodec.bytesKey makes them. */
        Key asBytesKey() {
            return new Key(s, StringKeyCodec.bytesKey(bytes()), salt);
        }

        byte[] bytes() {
            if (bytes == null) bytes = segment != null ? segment.toArray(ValueLayout.JAVA_BYTE) : StringKeyCodec.wtf8(s);
            return bytes;
        }

        private byte[] padded() {
            if (padded == null) {
                byte[] b = bytes();
                off = salt & 7;
                padded = new byte[off + b.length + (salt >>> 3 & 3)];
                Arrays.fill(padded, (byte) (0x41 + (salt & 15)));
                System.arraycopy(b, 0, padded, off, b.length);
            }
            return padded;
        }

        String string() {
            return s;
        }

        CharSequence stringBuilder() {
            return new StringBuilder(s);
        }

        /** A window into a larger array, a wrapped String, or a direct buffer's char view. */
        CharSequence charBuffer() {
            switch (Math.floorMod(salt, 3)) {
                case 0 -> {
                    char[] c = new char[s.length() + 4];
                    Arrays.fill(c, '\uD800');
                    s.getChars(0, s.length(), c, 2);
                    return CharBuffer.wrap(c, 2, s.length());
                }
                case 1 -> {
                    return CharBuffer.wrap(s);
                }
                default -> {
                    CharBuffer cb = DIRECT_CHARS.get().clear();
                    if (s.length() > cb.capacity()) return CharBuffer.wrap(s.toCharArray());
                    return cb.put(s).flip();
                }
            }
        }

        ByteString byteString() {
            return ByteString.copyOf(bytes());
        }

        byte[] wholeArray() {
            return bytes().clone();
        }

        byte[] array() {
            return padded();
        }

        /**
         * The bytes between a buffer's position and limit: a heap buffer at an offset, a slice (a non-zero
         * arrayOffset), a read-only heap buffer (no array to read), or a direct buffer.
         */
        ByteBuffer buffer() {
            switch (Math.floorMod(salt, 4)) {
                case 0 -> {
                    return ByteBuffer.wrap(array(), offset(), length());
                }
                case 1 -> {
                    return ByteBuffer.wrap(array()).position(offset()).slice().limit(length());
                }
                case 2 -> {
                    return ByteBuffer.wrap(array(), offset(), length()).asReadOnlyBuffer();
                }
                default -> {
                    ByteBuffer[] scratch = DIRECT_BUFFER.get();
                    if (scratch[0] == null || scratch[0].capacity() < length() + 8) {
                        scratch[0] = ByteBuffer.allocateDirect(Math.max(4096, 2 * length() + 8));
                    }
                    ByteBuffer b = scratch[0].clear().position(1 + (salt >>> 2 & 3));
                    b.put(bytes()).flip().position(1 + (salt >>> 2 & 3));
                    return b;
                }
            }
        }

        int offset() {
            padded();
            return off;
        }

        int length() {
            return bytes().length;
        }

        MemorySegment heapSegment() {
            return segment != null ? segment : MemorySegment.ofArray(array()).asSlice(offset(), length());
        }

        MemorySegment nativeSegment() {
            if (segment != null) return segment;
            MemorySegment[] scratch = NATIVE.get();
            if (scratch[0] == null || scratch[0].byteSize() < length() + 8L) {
                scratch[0] = Arena.ofAuto().allocate(Math.max(4096, 2L * length() + 8));
            }
            MemorySegment seg = scratch[0].asSlice(3 + (salt & 3), length());
            MemorySegment.copy(bytes(), 0, seg, ValueLayout.JAVA_BYTE, 0, length());
            return seg;
        }

        /** Heap or direct memory (both at offset()). */
        BytesStore<?, ?> store() {
            Bytes<?> b = (salt & 1) == 0 ? HEAP_STORE.get() : DIRECT_STORE.get();
            b.clear();
            b.write(array());
            return b.bytesStore();
        }

        long storeOffset() {
            return offset();
        }

        long storeLength() {
            return length();
        }

        @Override
        public String toString() {
            return StringKeyCodec.describe(s);
        }
    }
}
