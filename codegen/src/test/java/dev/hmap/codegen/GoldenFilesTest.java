// SPDX-License-Identifier: Apache-2.0
package dev.hmap.codegen;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A few generated files, checked in as review aids: a template change shows up in review as a Java diff of
 * these. They are not the build's input (the engine build generates every file afresh); this test only
 * keeps them equal to what the generator emits. After a deliberate change, refresh them with
 * {@code ./mvnw -pl codegen test -Dtest=GoldenFilesTest -Dhmap.golden.update=true} and review the diff.
 */
class GoldenFilesTest {
    static final Path DIR = Path.of("src/test/resources/golden");
    /** A word-key map, a String-key map, a Bytes-key map, a map of byte-string values and a set, with their public interfaces. */
    static final List<String> FILES = List.of("LongLongMap.java", "LongLongMapImpl.java", "StringLongMap.java",
            "StringLongMapImpl.java", "LongSet.java", "LongSetImpl.java", "BytesLongMap.java", "BytesLongMapImpl.java",
            "BytesBytesMap.java", "BytesBytesMapImpl.java");

    @Test
    void generatedFilesMatchTheGoldenCopies() throws IOException {
        Map<String, String> files = Generator.generate(MapSpec.ALL);
        boolean update = Boolean.getBoolean("hmap.golden.update");
        List<String> differ = new ArrayList<>();
        for (String f : FILES) {
            Path golden = DIR.resolve(f);
            String want = files.get(f);
            if (update) {
                Files.createDirectories(DIR);
                Files.writeString(golden, want);
            } else if (!Files.exists(golden) || !Files.readString(golden).equals(want)) {
                differ.add(f);
            }
        }
        if (!differ.isEmpty()) {
            fail("the generator's output differs from the golden copies " + differ + " in codegen/" + DIR + ". If the "
                    + "change is intended, refresh them with\n  ./mvnw -pl codegen test -Dtest=GoldenFilesTest "
                    + "-Dhmap.golden.update=true\nand review the diff.");
        }
        assertEquals(FILES.size(), FILES.stream().filter(files::containsKey).count(), "every golden file is generated");
    }
}
