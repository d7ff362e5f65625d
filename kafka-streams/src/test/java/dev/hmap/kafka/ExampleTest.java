// SPDX-License-Identifier: Apache-2.0
package dev.hmap.kafka;

import dev.hmap.kafka.example.WordCountExample;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's Kafka Streams example is {@link WordCountExample} (which {@code kafka-streams/run-example}
 * runs): the README shows the file as it is, and the program prints the counts the README says.
 */
class ExampleTest {
    private static final Path README = Path.of("../README.md");
    private static final Path SOURCE = Path.of("src/test/java/dev/hmap/kafka/example/WordCountExample.java");
    private static final Pattern BLOCK = Pattern.compile("<!-- kafka-example: WordCountExample\\.java -->\\s*```java\\n(.*?\\n)```",
            Pattern.DOTALL);
    private static final Pattern PRINTS = Pattern.compile("<!-- kafka-example-prints -->\\s*```\\n(.*?\\n)```", Pattern.DOTALL);

    @Test
    void theReadmeShowsTheExampleAndWhatItPrints() throws Exception {
        String readme = Files.readString(README);
        Matcher block = BLOCK.matcher(readme);
        assertTrue(block.find(), "README.md has a ```java block right after <!-- kafka-example: WordCountExample.java -->");
        String source = Files.readString(SOURCE);
        String shown = source.substring(source.indexOf("import "));
        assertEquals(shown, block.group(1), "the README shows " + SOURCE + " from its imports on");

        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            WordCountExample.main(new String[0]);
        } finally {
            System.setOut(out);
        }
        Matcher prints = PRINTS.matcher(readme);
        assertTrue(prints.find(), "README.md has a ``` block of the output right after <!-- kafka-example-prints -->");
        assertEquals(prints.group(1), captured.toString(StandardCharsets.UTF_8));
    }
}
