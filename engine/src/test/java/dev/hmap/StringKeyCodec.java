// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

/**
 * The long -> String key mappings of the suites ({@link Codec}; the adapter, {@link MapImpls}, maps the
 * suites' long keys through one), the default one, and a reference WTF-8 encoder written independently of
 * the engine's.
 *
 * <p>{@link #encode} is deterministic, cheap, and injective because {@link #decode} inverts it (the first
 * char names the form). The form of a key is chosen by a hash of it, so any key range mixes them all:
 * <pre>
 *  ""                          key 0: the empty string
 *  "+123" / "-5"               signed decimal (never a bare "5": the view suites probe "5" as absent)
 *  "z-1y2p0ij32e8e8"           signed base 36
 *  "#000000x" / "#00..0q3"     zig-zag base 36 padded to exactly 7, 8, 9, 16, 31, 32 or 33 bytes
 *  "<<<<....0000000000001edb>>>>"  32..124 bytes: all share the first and last 4 bytes, differ in the middle
 *  "é..ß", "€..", "😀..😀"       2-, 3- and 4-byte UTF-8
 *  "\uDC00..\uD800"            unpaired low surrogate first, unpaired high surrogate last
 *  "s..\uDBFF.."               unpaired high surrogate in the middle
 *  "r\uDC00\uD800.."           a reversed surrogate pair (two unpaired surrogates)
 *  "\0..\0", "n..\0.."         NUL bytes at both ends / in the middle
 *  "H~~~...~x"                 rarely (1/2048): 2.1 KB .. 5 KB, beyond the key heap's size classes
 *  "x.."                       plain zig-zag base 36
 * </pre>
 */
final class StringKeyCodec {
    private StringKeyCodec() {}

    private static final int[] EXACT_LENGTHS = {7, 8, 9, 16, 31, 32, 33};
    private static final int[] AFFIX_PADS = {8, 9, 10, 16, 40, 100}; // total length 24 + pad
    private static final String EMOJI = "\uD83D\uDE00";

    static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }

    private static long zigzag(long k) {
        return (k << 1) ^ (k >> 63);
    }

    private static long unzigzag(long z) {
        return (z >>> 1) ^ -(z & 1);
    }

    /** Unsigned base 36 of zigzag(k) (Long.toUnsignedString goes through BigInteger for radix 36). */
    private static String zz36(long k) {
        long z = zigzag(k);
        if (z >= 0) return Long.toString(z, 36);
        long q = Long.divideUnsigned(z, 36);
        return Long.toString(q, 36) + Character.forDigit((int) Long.remainderUnsigned(z, 36), 36);
    }

    private static long parseZz36(CharSequence s, int from, int to) {
        return unzigzag(Long.parseUnsignedLong(s, from, to, 36));
    }

    /** An injective mapping of long keys to String keys, with its inverse. */
    interface Codec {
        String encode(long k);

        /** The long key of s; an AssertionError if no key maps to s (the map returned a key never put). */
        long decode(String s);

        /** Key k, ready to be passed in any form (salt: see Key). */
        default KeyForm.Key key(long k, int salt) {
            return new KeyForm.Key(encode(k), salt);
        }
    }

    /**
     * The default codec: {@link #encode}, through a small direct-mapped cache of the keys and their bytes
     * (the suites revisit keys a lot).
     */
    static final Codec DEFAULT = new Codec() {
        private record Entry(long k, String s, byte[] wtf8) {
        }

        private final Entry[] cache = new Entry[1 << 13];

        private Entry entry(long k) {
            int i = (int) (k ^ k >>> 17 ^ k >>> 41) & (cache.length - 1);
            Entry e = cache[i];
            if (e == null || e.k != k) {
                String s = StringKeyCodec.encode(k);
                cache[i] = e = new Entry(k, s, wtf8(s));
            }
            return e;
        }

        @Override
        public String encode(long k) {
            return entry(k).s;
        }

        @Override
        public KeyForm.Key key(long k, int salt) {
            Entry e = entry(k);
            return new KeyForm.Key(e.s, e.wtf8, salt);
        }

        @Override
        public long decode(String s) {
            return StringKeyCodec.decode(s);
        }

        @Override
        public String toString() {
            return "the default codec";
        }
    };

    /** A codec from a function and its inverse (e.g. keys of a given shape for a memory test). */
    static Codec of(java.util.function.LongFunction<String> encode, java.util.function.ToLongFunction<String> decode) {
        return new Codec() {
            @Override
            public String encode(long k) {
                return encode.apply(k);
            }

            @Override
            public long decode(String s) {
                return decode.applyAsLong(s);
            }
        };
    }

    /** Strings by index: key i is the i-th string; {@link #add} appends one (or finds it). */
    static final class Pool implements Codec {
        private final java.util.List<String> strings = new java.util.ArrayList<>();
        private final java.util.Map<String, Long> index = new java.util.HashMap<>();

        Pool(java.util.Collection<String> strings) {
            strings.forEach(this::add);
        }

        /** The key of s, appending s if it is new. */
        long add(String s) {
            return index.computeIfAbsent(s, x -> {
                this.strings.add(x);
                return (long) this.strings.size() - 1;
            });
        }

        int size() {
            return strings.size();
        }

        @Override
        public String encode(long k) {
            return strings.get(Math.toIntExact(k));
        }

        @Override
        public long decode(String s) {
            Long k = index.get(s);
            if (k == null) throw new AssertionError("the map returned " + describe(s) + ", which was never put");
            return k;
        }
    }

    static String encode(long k) {
        if (k == 0) return "";
        long h = mix(k ^ 0x5DEECE66DL);
        int sel = (int) (h >>> 58); // 0..63
        int aux = (int) (h & 0xFFFF);
        if (sel < 12) return k > 0 ? "+" + k : Long.toString(k);
        if (sel < 18) return "z" + Long.toString(k, 36);
        if (sel < 26) {
            String body = zz36(k);
            int target = EXACT_LENGTHS[aux % EXACT_LENGTHS.length];
            for (int i = 0; target < body.length() + 1; i++) target = EXACT_LENGTHS[i];
            return "#" + "0".repeat(target - 1 - body.length()) + body;
        }
        if (sel < 34) {
            String hex = Long.toHexString(k);
            int pad = AFFIX_PADS[aux % AFFIX_PADS.length];
            return "<<<<" + ".".repeat(pad) + "0".repeat(16 - hex.length()) + hex + ">>>>";
        }
        if (sel < 38) return "\u00E9" + zz36(k) + "\u00DF";
        if (sel < 42) return "\u20AC" + zz36(k);
        if (sel < 46) return EMOJI + zz36(k) + EMOJI;
        if (sel < 50) return "\uDC00" + zz36(k) + "\uD800";
        if (sel < 53) {
            String b = zz36(k);
            int mid = b.length() / 2;
            return "s" + b.substring(0, mid) + "\uDBFF" + b.substring(mid);
        }
        if (sel < 56) return "r\uDC00\uD800" + zz36(k);
        if (sel < 59) return "\0" + zz36(k) + "\0";
        if (sel < 62) {
            String b = zz36(k);
            int mid = (b.length() + 1) / 2;
            return "n" + b.substring(0, mid) + "\0" + b.substring(mid);
        }
        if (sel == 63 && (aux & 31) == 0) return "H" + "~".repeat(2100 + (aux >>> 5) % 2900) + zz36(k);
        return "x" + zz36(k);
    }

    static long decode(String s) {
        int n = s.length();
        if (n == 0) return 0;
        try {
            return switch (s.charAt(0)) {
                case '+', '-' -> Long.parseLong(s);
                case 'z' -> Long.parseLong(s, 1, n, 36);
                case '#', '\u20AC', 'x' -> parseZz36(s, 1, n);
                case '<' -> Long.parseUnsignedLong(s, n - 20, n - 4, 16);
                case '\u00E9', '\uDC00', '\0' -> parseZz36(s, 1, n - 1);
                case '\uD83D' -> parseZz36(s, 2, n - 2);
                case 's' -> {
                    int i = s.indexOf('\uDBFF');
                    yield parseZz36(s.substring(1, i) + s.substring(i + 1), 0, n - 2);
                }
                case 'r' -> parseZz36(s, 3, n);
                case 'n' -> {
                    int i = s.indexOf('\0');
                    yield parseZz36(s.substring(1, i) + s.substring(i + 1), 0, n - 2);
                }
                case 'H' -> parseZz36(s, s.lastIndexOf('~') + 1, n);
                default -> throw new IllegalArgumentException("not a conformance key");
            };
        } catch (RuntimeException e) {
            throw new AssertionError("the map returned a key that no conformance key encodes to: " + describe(s), e);
        }
    }

    /** A printable form of any string: non-ASCII and control chars as \\uXXXX, long strings shortened. */
    static String describe(CharSequence s) {
        StringBuilder sb = new StringBuilder("\"");
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (n > 80 && i == 40) {
                sb.append("...(").append(n).append(" chars)...");
                i = n - 20;
            }
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') sb.append(c);
            else sb.append(String.format("\\u%04X", (int) c));
        }
        return sb.append('"').toString();
    }

    // ------------------------------------------------------------------ reference WTF-8

    /**
     * The key a Bytes-keyed type gets for key string s: its WTF-8 with every byte's top bit flipped, so that
     * ASCII becomes bytes no UTF-8 holds and the suites' keys reach those types as arbitrary bytes, with the
     * same lengths and shared prefixes. {@link #ofBytesKey} inverts it.
     */
    static byte[] bytesKey(byte[] wtf8) {
        byte[] b = wtf8.clone();
        for (int i = 0; i < b.length; i++) b[i] ^= (byte) 0x80;
        return b;
    }

    /** The key string whose {@link #bytesKey} is b. */
    static String ofBytesKey(byte[] b) {
        byte[] u = bytesKey(b);
        return dev.hmap.internal.Wtf8.decode(java.lang.foreign.MemorySegment.ofArray(u), 0, u.length);
    }

    /** WTF-8, written from the spec: UTF-8, but an unpaired surrogate is encoded as a 3-byte sequence. */
    static byte[] wtf8(CharSequence s) {
        int n = s.length(), len = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                len++;
            } else if (c < 0x800) {
                len += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                len += 4;
                i++;
            } else {
                len += 3;
            }
        }
        byte[] out = new byte[len];
        int p = 0;
        for (int i = 0; i < n; i++) {
            int cp = s.charAt(i);
            if (cp < 0x80) {
                out[p++] = (byte) cp;
                continue;
            }
            if (Character.isHighSurrogate((char) cp) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                cp = Character.toCodePoint((char) cp, s.charAt(++i));
            }
            if (cp < 0x800) {
                out[p++] = (byte) (0xC0 | cp >> 6);
            } else if (cp < 0x10000) {
                out[p++] = (byte) (0xE0 | cp >> 12);
                out[p++] = (byte) (0x80 | cp >> 6 & 0x3F);
            } else {
                out[p++] = (byte) (0xF0 | cp >> 18);
                out[p++] = (byte) (0x80 | cp >> 12 & 0x3F);
                out[p++] = (byte) (0x80 | cp >> 6 & 0x3F);
            }
            out[p++] = (byte) (0x80 | cp & 0x3F);
        }
        return out;
    }

    /** Decodes {@link #wtf8} output (for keyBytes() checks of ill-formed strings). */
    static String fromWtf8(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length);
        for (int i = 0; i < b.length; ) {
            int b0 = b[i] & 0xFF;
            if (b0 < 0x80) {
                sb.append((char) b0);
                i++;
            } else if (b0 < 0xE0) {
                sb.append((char) ((b0 & 0x1F) << 6 | b[i + 1] & 0x3F));
                i += 2;
            } else if (b0 < 0xF0) {
                sb.append((char) ((b0 & 0x0F) << 12 | (b[i + 1] & 0x3F) << 6 | b[i + 2] & 0x3F));
                i += 3;
            } else {
                sb.appendCodePoint((b0 & 0x07) << 18 | (b[i + 1] & 0x3F) << 12 | (b[i + 2] & 0x3F) << 6 | b[i + 3] & 0x3F);
                i += 4;
            }
        }
        return sb.toString();
    }
}
