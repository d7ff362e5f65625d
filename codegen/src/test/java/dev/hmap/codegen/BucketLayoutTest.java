// SPDX-License-Identifier: Apache-2.0
package dev.hmap.codegen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The layout math against Go 1.19's own numbers: every row of bucket_sizes.txt was read from the
 * runtime's maptype by engine/src/test/go/goref/main.go.
 */
class BucketLayoutTest {
    /** The Go reference data lives with the engine's tests (module basedir is codegen/). */
    static final Path GO_SIZES = Path.of("../engine/src/test/resources/go119/bucket_sizes.txt");

    record Row(String goType, long keySize, long valueSize, long bucketSize, boolean indirectKey, boolean indirectValue) {}

    static List<Row> goRows() throws IOException {
        return Files.readAllLines(GO_SIZES).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> {
            String[] f = l.trim().split("\\s+");
            return new Row(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                    f[4].equals("1"), f[5].equals("1"));
        }).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goRows")
    void matchesGo(Row row) {
        Matcher m = Pattern.compile("map\\[(.+?)](.+)").matcher(row.goType());
        assertTrue(m.matches(), row.goType());
        // map[[3]uint16]int8: the key is up to the first ']' that closes the map's bracket.
        String spec = row.goType().substring(4);
        int depth = 1, i = 0;
        for (; i < spec.length() && depth > 0; i++) {
            if (spec.charAt(i) == '[') depth++;
            if (spec.charAt(i) == ']') depth--;
        }
        GoType key = parse(spec.substring(0, i - 1));
        GoType value = parse(spec.substring(i));
        BucketLayout l = BucketLayout.of(key, value);
        assertEquals(row.bucketSize(), l.bucketSize(), row.goType() + " bucket size");
        assertEquals(row.keySize(), l.keySize(), row.goType() + " key slot");
        assertEquals(row.valueSize(), l.valueSize(), row.goType() + " value slot");
        assertEquals(row.indirectKey(), l.indirectKey(), row.goType() + " indirect key");
        assertEquals(row.indirectValue(), l.indirectValue(), row.goType() + " indirect value");
        assertEquals(l.bucketSize() - 8, l.overflowOffset(), "overflow pointer is the last field");
    }

    @Test
    void theIssuesNumbers() {
        assertEquals(144, BucketLayout.of(GoType.INT64, GoType.INT64).bucketSize());
        assertEquals(208, BucketLayout.of(GoType.STRING, GoType.INT64).bucketSize());
        assertEquals(80, BucketLayout.of(GoType.INT32, GoType.INT32).bucketSize());
        // Byte-string values (Go's string): map[string]string buckets are 272 bytes.
        assertEquals(272, BucketLayout.of(GoType.STRING, GoType.STRING).bucketSize());
    }

    @Test
    void everyShippedSpecHasGosLayout() throws IOException {
        List<Row> rows = goRows();
        for (MapSpec s : MapSpec.ALL) {
            Row row = rows.stream().filter(r -> r.goType().equals(s.layout().goType())).findFirst()
                    .orElseThrow(() -> new AssertionError("no Go row for " + s.layout().goType()));
            assertEquals(row.bucketSize(), s.layout().bucketSize(), s.name());
        }
    }

    @Test
    void slotsAreAlignedAndDisjoint() {
        BucketLayout l = BucketLayout.of(GoType.INT32, GoType.INT64);
        assertEquals(8, l.keysOffset());
        assertEquals(40, l.valuesOffset(), "int64 values align to 8 after 8 int32 keys");
        assertEquals(104, l.overflowOffset());
        assertEquals(112, l.bucketSize());
    }

    @Test
    void largeKeysAndValuesAreStoredIndirectly() {
        BucketLayout l = BucketLayout.of(GoType.array(GoType.INT8, 129), GoType.array(GoType.INT8, 128));
        assertTrue(l.indirectKey());
        assertFalse(l.indirectValue(), "128 bytes is still inline");
        assertEquals(8, l.keySize());
        assertEquals(128, l.valueSize());
    }

    static GoType parse(String t) {
        return switch (t) {
            case "int8", "uint8", "byte" -> GoType.INT8;
            case "int16", "uint16" -> GoType.INT16;
            case "int32", "uint32" -> GoType.INT32;
            case "int64", "uint64" -> GoType.INT64;
            case "float64" -> GoType.FLOAT64;
            case "string" -> GoType.STRING;
            case "struct{}" -> GoType.EMPTY_STRUCT;
            default -> {
                Matcher m = Pattern.compile("\\[(\\d+)](.+)").matcher(t);
                if (!m.matches()) throw new IllegalArgumentException("unknown Go type " + t);
                yield GoType.array(parse(m.group(2)), Long.parseLong(m.group(1)));
            }
        };
    }
}
