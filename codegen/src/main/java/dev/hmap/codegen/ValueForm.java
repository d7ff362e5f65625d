// SPDX-License-Identifier: Apache-2.0
package dev.hmap.codegen;

import java.util.List;

/**
 * The ways a caller can give a byte-string value to a write: a whole array, an array range, a ByteBuffer,
 * a segment or a Chronicle {@code BytesStore} range, each read in place (a BytesStore through the scratch
 * array) and copied once, into the map's memory. Each form says how it stages the value's bytes (see
 * MapCore's byte blocks) before the write looks the key up.
 */
public enum ValueForm {
    ARRAY("", "byte[] value", List.of("value the value's bytes, all of them"),
            List.of("NullPointerException if {@code value} is null"),
            "stageValue(null, Objects.requireNonNull(value, \"value\"), 0, value.length);"),
    RANGE("", "byte[] value, int valueOffset, int valueLength",
            List.of("value holds the value's bytes", "valueOffset where they start", "valueLength how many there are"),
            List.of("NullPointerException if {@code value} is null",
                    "IndexOutOfBoundsException if the value's range lies outside {@code value}"),
            "stageValue(null, checkRange(value, valueOffset, valueLength), valueOffset, valueLength);"),
    BUFFER("", "ByteBuffer value",
            List.of("value holds the value's bytes from its position to its limit; its position does not move"),
            List.of("NullPointerException if {@code value} is null"), "stageValue(value);"),
    SEGMENT("", "MemorySegment value", List.of("value the value's bytes, all of them"),
            List.of("NullPointerException if {@code value} is null",
                    "IllegalStateException if {@code value}'s arena is closed"),
            "stageValue(requireAlive(value, \"value\"), null, 0, value.byteSize());"),
    BYTES_STORE("At", "BytesStore<?, ?> value, long valueOffset, long valueLength",
            List.of("value holds the value's bytes", "valueOffset where they start", "valueLength how many there are"),
            List.of("NullPointerException if {@code value} is null",
                    "IndexOutOfBoundsException if the value's range lies outside {@code value}"),
            "stageStore(value, valueOffset, valueLength);");

    /** Appended to the method name, as KeyForm's: a method that takes a BytesStore is an {@code ...At} one. */
    public final String suffix;
    public final String params;
    /** {@code @param} text for each of {@link #params}. */
    public final List<String> paramDocs;
    /** {@code @throws} lines. */
    public final List<String> throwsDocs;
    /** The statement that stages the value's bytes. */
    public final String stage;

    ValueForm(String suffix, String params, List<String> paramDocs, List<String> throwsDocs, String stage) {
        this.suffix = suffix;
        this.params = params;
        this.paramDocs = paramDocs;
        this.throwsDocs = throwsDocs;
        this.stage = stage;
    }
}
