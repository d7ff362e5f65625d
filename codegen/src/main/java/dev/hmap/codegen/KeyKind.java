// SPDX-License-Identifier: Apache-2.0
package dev.hmap.codegen;

import java.util.List;

/**
 * The key kinds hmap specializes, and the only place they differ: the Java and Go types, the probe the
 * hot operations compare against, and the snippets that store, release, hash and re-find a key held in
 * a slot. Mirrors Go's fast32 / fast64 / faststr paths. The templates hold each routine once and use these
 * snippets where the kinds differ; a kind's snippet never holds a loop.
 *
 * <p>A cursor holds the current key as two {@code long} registers {@code k0, k1}, loaded from the slot by
 * {@link Snippets#register0()} and {@link Snippets#register1()}: the key itself for word keys, a string
 * header's data offset and length for byte strings. Snippets that start from a cursor's key read the
 * registers.
 *
 * @param prefix     name prefix: {@code Long} in {@code LongLongMap}
 * @param javaType   the API's key type
 * @param boxed      its boxed type, for the java.util views
 * @param goType     the Go type of a key slot
 * @param goFile     the Go source file whose routines the generated class mirrors
 * @param goSuffix   Go's suffix for them ({@code mapaccess_fast64})
 * @param exampleKey a literal key for the API's example
 * @param snippets   what differs between key kinds
 */
public record KeyKind(String prefix, String javaType, String boxed, GoType goType, String goFile, String goSuffix,
                      String exampleKey, Snippets snippets) {
    public static final KeyKind INT = new KeyKind("Int", "int", "Integer", GoType.INT32, "map_fast32.go", "_fast32", "42",
            word("Layouts.INT", "hash32", "(int) k0"));
    public static final KeyKind LONG = new KeyKind("Long", "long", "Long", GoType.INT64, "map_fast64.go", "_fast64", "42",
            word("Layouts.LONG", "hash64", "k0"));
    /**
     * Go's faststr path: the slot is a 16-byte string header (offset and length of the key's bytes in the
     * map's memory, see StringHeader); the key arrives in several forms (String, chars, bytes, segment,
     * Chronicle store), each reduced to a probe over bytes, a short ASCII String also as words, and
     * a String by its hash code when the map hashes keys by {@code String.hashCode()}.
     */
    public static final KeyKind STRING = new KeyKind("String", "String", "String", GoType.STRING, "map_faststr.go",
            "_faststr", "\"EURUSD\"", byteString(
            List.of(new Probe("Words", " * This one for an ASCII key of at most 32 bytes, given as the words ByteKeys.hashWords reads.",
                    "int n, long w0, long w1, long wa, long wb", "n, w0, w1, wa, wb",
                    "ByteKeys.hashWords(n, w0, w1, wa, wb, seed0, seed1)", "",
                    "sameWords(m, ko, n, w0, w1, wa, wb)",
                    "", true, true,
                    "long data = storeKeyWords(n, w0, w1, wa, wb); // may throw: nothing has changed yet",
                    "StringHeader.set(m, ko, data, n);"),
                    new Probe("String", " * This one for a String key of a map that hashes keys by String.hashCode() (stringHashCode), and that hash.",
                    "String s, long kh", "s, kh", "kh", "",
                    "sameString(m, ko, s)",
                    "", true, true,
                    "long kl = Wtf8.encodedLength(s);\n        long data = storeString(s, kl); // may throw: nothing has changed yet",
                    "StringHeader.set(m, ko, data, kl);")),
            "Wtf8.decode(mem, k0, k1)", "'\"' + Wtf8.decode(m, k0, k1) + '\"'",
            "findChars(m, key)", "assignChars(key)", "deleteChars(key)",
            "checkWellFormed(p, pa, po, pl); // only a string's encoding: every key reads back as one String",
            List.of(KeyForm.CHARS, KeyForm.SEGMENT, KeyForm.BYTES, KeyForm.BYTES_STORE), "string-forms", "string-cursor",
            "stringHashCode", List.of("dev.hmap.internal.Wtf8"),
            new Text("""
                    Keys are stored as their WTF-8 bytes (UTF-8 for well-formed strings), and every method takes the key
                    as a String, as characters, or as those bytes in a byte[] range, a MemorySegment or a Chronicle
                    BytesStore range, without building a String.""",
                    ", WTF-8 as the map stores them (UTF-8 for well-formed strings)",
                    "Only a string's encoding may become a key, so that every key reads back as one String.",
                    List.of("IllegalArgumentException if the bytes are not a string's encoding (UTF-8, or WTF-8 for "
                            + "unpaired surrogates), before anything changes: every key reads back as one String"))));
    /**
     * Go's {@code string} as it is: any bytes, the empty sequence included, on the faststr path like
     * {@link #STRING} but with no encoding to check or decode. The API's own key type is the immutable
     * {@code dev.hmap.ByteString}, which compares by content.
     */
    public static final KeyKind BYTES = new KeyKind("Bytes", "ByteString", "ByteString", GoType.STRING, "map_faststr.go",
            "_faststr", "ByteString.ofUtf8(\"EURUSD\")", byteString(List.of(),
            "ByteString.copyOf(mem, k0, k1)", "ByteString.copyOf(m, k0, k1).toString()",
            "find(m, null, ByteString.bytesOf(key), 0, key.length())",
            "assign(null, ByteString.bytesOf(key), 0, key.length())",
            "delete(null, ByteString.bytesOf(key), 0, key.length())", "",
            List.of(KeyForm.ARRAY, KeyForm.BYTES, KeyForm.BUFFER, KeyForm.SEGMENT, KeyForm.BYTES_STORE), "bytes-forms",
            "byte-string-cursor", "",
            List.of("java.nio.ByteBuffer"),
            new Text("""
                    Keys are any bytes, the empty sequence included, stored as given. Every method takes the key as a
                    ByteString, or as its bytes in a byte[] (whole or a range), a ByteBuffer, a MemorySegment or a
                    Chronicle BytesStore range, without copying them to the heap.""", "", "", List.of())));

    public static List<KeyKind> values() {
        return List.of(INT, LONG, STRING, BYTES);
    }

    /** Whether the API's key is an object, which a caller may pass as null (a String, not a long). */
    public boolean isReference() {
        return !javaType.equals("int") && !javaType.equals("long");
    }

    /** Whether the API takes keys in this form too. */
    public boolean takes(KeyForm form) {
        return form == KeyForm.KEY || snippets.otherForms().contains(form);
    }

    /** The key forms the API takes: the kind's own type first, then the kind's other forms. */
    public List<KeyForm> forms() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(KeyForm.KEY), snippets.otherForms().stream()).toList();
    }

    /**
     * What differs between key kinds, each one snippet.
     *
     * @param base            the hand-written base class (MapCore, or StringMapCore for byte strings)
     * @param probe           the probe of every lookup, insert and delete
     * @param lookupProbes    further probes (for lookups; for writes too if they say so)
     * @param oneBucketPartial the one-bucket lookup for this comparison style (Go has one per fast path)
     * @param keepKey         delete, before the slot is emptied: read what the key holds into locals
     * @param releaseKey      delete, after the slot {@code e} is emptied: free and clear what it held (Go clears pointers)
     * @param hashAt          the hash of the key stored at {@code ko}
     * @param register0       the slot's key as a cursor's first register
     * @param register1       ... and its second
     * @param hashRegisters   the hash of the key in registers {@code k0, k1}
     * @param findRegisters   the handle of the key in registers {@code k0, k1}, or -1
     * @param keyOfRegisters  the key, as the API returns it, from a cursor's registers
     * @param keyText         the key in registers as text, for dumps
     * @param currentCheck    a cursor's check that its current key is still readable
     * @param registersDoc    what the registers hold
     * @param lookupKey       the handle of {@code key} (the kind's own type) in {@code m}
     * @param assignKey       assign of {@code key} (the kind's own type)
     * @param deleteKey       delete of {@code key} (the kind's own type)
     * @param checkKeyBytes   an insert by bytes, before anything changes: the kind's rule on which bytes
     *                        (the probe {@code p, pa, po, pl}) may become a key; empty if any may
     * @param otherForms      key forms besides the kind's own type
     * @param formsPartial    the methods that reduce those forms to probes
     * @param cursorPartial   the cursor's extra accessors, and their API
     * @param cursorApiPartial ... the API of them
     * @param batchPartial    batched lookups (getAll, containsAll), where the key kind has them
     * @param batchApiPartial ... their API
     * @param builderOption   a builder setting of this kind's own (empty: none): the name of a boolean the
     *                        builder passes to the constructor, which passes it to the base class, and of
     *                        the partial {@code builder-<name>} that declares it (String keys:
     *                        {@code stringHashCode}, keys hashed by {@code String.hashCode()})
     * @param imports         what the generated class imports for this kind
     * @param text            what the API's Javadoc says of this kind's keys
     */
    public record Snippets(String base, Probe probe, List<Probe> lookupProbes, String oneBucketPartial,
                           String keepKey, String releaseKey, String hashAt,
                           String register0, String register1, String hashRegisters, String findRegisters,
                           String keyOfRegisters, String keyText, String currentCheck, String registersDoc,
                           String lookupKey, String assignKey, String deleteKey, String checkKeyBytes,
                           List<KeyForm> otherForms,
                           String formsPartial, String cursorPartial, String cursorApiPartial,
                           String batchPartial, String batchApiPartial, String builderOption,
                           List<String> imports, Text text) {}

    /**
     * What the API's Javadoc says of a kind's keys; empty for word keys.
     *
     * @param apiNote     a paragraph of the interface's Javadoc, in lines as they are to be rendered
     * @param encoding    appended to the doc of a parameter that holds a key's bytes: how they are read
     * @param writeRule   said by an insert that takes bytes: which bytes may become a key
     * @param writeThrows {@code @throws} lines of such an insert
     */
    public record Text(String apiNote, String encoding, String writeRule, List<String> writeThrows) {
        static final Text NONE = new Text("", "", "", List.of());
    }

    /** The main probe, then the others. */
    public List<Probe> probes() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(snippets.probe()), snippets.lookupProbes().stream()).toList();
    }

    /**
     * A byte-string key (Go's faststr path, the slot a StringHeader over bytes in the map's memory): what
     * String and Bytes keys share, with the snippets where they differ.
     */
    private static Snippets byteString(List<Probe> lookupProbes, String keyOfRegisters, String keyText,
                                       String lookupKey, String assignKey, String deleteKey, String checkKeyBytes,
                                       List<KeyForm> otherForms, String formsPartial, String cursorPartial,
                                       String builderOption, List<String> imports, Text text) {
        List<String> all = new java.util.ArrayList<>(List.of("dev.hmap.internal.ByteKeys", "dev.hmap.internal.ChronicleKeys",
                "dev.hmap.internal.StringHeader", "dev.hmap.internal.StringMapCore", "net.openhft.chronicle.bytes.BytesStore"));
        all.addAll(imports);
        return new Snippets("StringMapCore",
                new Probe("", "", "MemorySegment p, byte[] pa, long po, long pl", "p, pa, po, pl",
                        "probeHash(p, pa, po, pl)",
                        "long id = identityOf(p, po); // a probe in this map's own memory: Go's pointer-identity shortcut",
                        "StringHeader.length(m, ko) == pl && sameBytes(m, ko, p, pa, po, pl, id)",
                        "if (B == 0) return findInOneBucket(m, p, pa, po, pl);", true, true,
                        "long data = storeBytes(p, pa, po, pl); // may throw: nothing has changed yet",
                        "StringHeader.set(m, ko, data, pl);"),
                lookupProbes, "find-one-bucket-bytes",
                "long kd = StringHeader.data(m, ko), kl = StringHeader.length(m, ko);",
                "releaseBytes(m, keyOfHandle(e), kd, kl); // frees the key's bytes (once no cursor can read them), clears the header",
                "hashAt(m, ko)",
                "StringHeader.data(m, ko)", "StringHeader.length(m, ko)",
                "hashBytes(m, k0, k1)",
                "find(m, m, null, k0, k1)",
                keyOfRegisters, keyText,
                "if (epoch != epoch0) throw new IllegalStateException(\"clear() removed the current entry; its key bytes are gone\");",
                "the string header's data offset and length",
                lookupKey, assignKey, deleteKey, checkKeyBytes, otherForms,
                formsPartial, cursorPartial, cursorPartial + "-api", "", "", builderOption, List.copyOf(all), text);
    }

    /** A word key (4 or 8 bytes, compared with ==) read and written through {@code layout}. */
    private static Snippets word(String layout, String hash, String keyOfRegisters) {
        String java = keyOfRegisters.startsWith("(int)") ? "int" : "long";
        return new Snippets("MapCore",
                new Probe("", "", java + " key", "key", "Hashing." + hash + "(key, seed0, seed1)", "",
                        "m.get(" + layout + ", ko) == key", "if (B == 0) return findInOneBucket(m, key);", false, true,
                        "", "m.set(" + layout + ", ko, key);"),
                List.of(), "find-one-bucket-word", "", "",
                "Hashing." + hash + "(m.get(" + layout + ", ko), seed0, seed1)",
                "m.get(" + layout + ", ko)", "0",
                "Hashing." + hash + "(" + keyOfRegisters + ", seed0, seed1)",
                "find(m, " + keyOfRegisters + ")",
                keyOfRegisters, "String.valueOf(k0)", "", "the key in k0",
                "find(m, key)", "assign(key)", "delete(key)", "", List.of(),
                "", "", "", "batch-lookups", "batch-lookups-api", "",
                List.of("dev.hmap.internal.Hashing", "dev.hmap.internal.MapCore"), Text.NONE);
    }
}
