// SPDX-License-Identifier: Apache-2.0
package dev.hmap.codegen;

import java.util.List;

/**
 * The ways a caller can give a key. Every kind takes its own type ({@link #KEY}); byte-string keys also
 * take bytes in a segment or an array range, and a Chronicle {@code BytesStore} range, so a program that
 * parsed a symbol out of a message never builds a String or a ByteString to look it up: String keys also
 * take characters, Bytes keys a whole array and a ByteBuffer. Each form says how
 * it reaches the hot operations: a lookup, an assign and a delete expression (for {@link #KEY}, the key
 * kind's own).
 */
public enum KeyForm {
    KEY("", "{{k}} key", "{@code key}", List.of("key the key"), "", null, null, null),
    CHARS("", "CharSequence key", "the key given as characters", List.of("key the key's characters"),
            "The characters are encoded on the fly: no String is built.",
            "findChars(m, key)", "assignChars(key)", "deleteChars(key)"),
    ARRAY("", "byte[] key", "the key whose bytes are all of {@code key}", List.of("key the key's bytes{{encoding}}"), "",
            "find(m, null, requireKey(key), 0, key.length)", "assignBytes(requireKey(key), 0, key.length)",
            "delete(null, requireKey(key), 0, key.length)"),
    SEGMENT("", "MemorySegment key", "the key whose bytes fill {@code key}",
            List.of("key the key's bytes{{encoding}}"), "",
            "find(m, requireAlive(key), null, 0, key.byteSize())", "assignSegment(key)",
            "delete(requireAlive(key), null, 0, key.byteSize())"),
    BYTES("", "byte[] key, int offset, int length", "the key whose bytes are {@code key[offset, offset + length)}",
            List.of("key holds the key's bytes{{encoding}}",
                    "offset where the key's bytes start", "length the number of the key's bytes"), "",
            "find(m, null, checkRange(key, offset, length), offset, length)", "assignBytes(key, offset, length)",
            "delete(null, checkRange(key, offset, length), offset, length)"),
    BUFFER("", "ByteBuffer key", "the key whose bytes are {@code key}'s remaining ones",
            List.of("key holds the key's bytes from its position to its limit{{encoding}}; its position does not move"),
            "", "findBuffer(m, key)", "assignBuffer(key)", "deleteBuffer(key)"),
    BYTES_STORE("At", "BytesStore<?, ?> key, long offset, long length",
            "the key whose bytes are {@code key[offset, offset + length)} of a Chronicle Bytes store",
            List.of("key holds the key's bytes{{encoding}}",
                    "offset where the key's bytes start", "length the number of the key's bytes"),
            "Needs net.openhft:chronicle-bytes on the class or module path; these methods have names of their own"
                    + " ({@code ...At}) so that code not using Chronicle compiles and runs without it.",
            "findStore(m, key, offset, length)", "assignStore(key, offset, length)", "deleteStore(key, offset, length)");

    /** Appended to the method name: Chronicle's forms are {@code getAt}, {@code putAt}, ... */
    public final String suffix;
    /** The parameters that carry the key ({@code {{k}}} is the kind's Java type). */
    public final String params;
    /** The key as a noun in the API's Javadoc. */
    public final String keyDoc;
    /** {@code @param} text for each of {@link #params}. */
    public final List<String> paramDocs;
    /** Said once more in each method's Javadoc; may be empty. */
    public final String note;
    private final String lookup, assign, delete;

    KeyForm(String suffix, String params, String keyDoc, List<String> paramDocs, String note, String lookup,
            String assign, String delete) {
        this.suffix = suffix;
        this.params = params;
        this.keyDoc = keyDoc;
        this.paramDocs = paramDocs;
        this.note = note;
        this.lookup = lookup;
        this.assign = assign;
        this.delete = delete;
    }

    /** The handle of the key in {@code m} (from {@code readable()}), or -1. */
    public String lookup(KeyKind k) {
        return this == KEY ? k.snippets().lookupKey() : lookup;
    }

    /** Inside a write: the handle of the key's slot, or ~handle if it was inserted. */
    public String assign(KeyKind k) {
        return this == KEY ? k.snippets().assignKey() : assign;
    }

    /** Inside a write: whether the key was there (and is gone now). */
    public String delete(KeyKind k) {
        return this == KEY ? k.snippets().deleteKey() : delete;
    }

    /**
     * Before a write stages a value's bytes (which may move the map's memory): a key given as a view of that
     * memory (a cursor's keyBytes) is copied out first. Empty for forms that cannot point into it.
     */
    public String detach() {
        return this == SEGMENT || this == BUFFER ? "key = detach(key); // may be a view of the memory that staging can move" : "";
    }

    /** {@code @throws} lines for a lookup by this form. */
    public List<String> lookupThrows(KeyKind k) {
        return switch (this) {
            case KEY -> k.isReference() ? List.of("NullPointerException if {@code key} is null") : List.of();
            case CHARS, ARRAY, BUFFER -> List.of("NullPointerException if {@code key} is null");
            case SEGMENT -> List.of("NullPointerException if {@code key} is null",
                    "IllegalStateException if {@code key}'s arena is closed");
            case BYTES, BYTES_STORE -> List.of("NullPointerException if {@code key} is null",
                    "IndexOutOfBoundsException if the range lies outside {@code key}");
        };
    }

    /** {@code @throws} lines a write by this form adds: the kind's, for the forms that carry bytes. */
    public List<String> writeThrows(KeyKind k) {
        return switch (this) {
            case KEY, CHARS -> List.of();
            case ARRAY, SEGMENT, BYTES, BUFFER, BYTES_STORE -> k.snippets().text().writeThrows();
        };
    }

    /** {@code @param} lines of this form for kind {@code k}. */
    public List<String> paramDocs(KeyKind k) {
        return paramDocs.stream().map(d -> d.replace("{{encoding}}", k.snippets().text().encoding())).toList();
    }
}
