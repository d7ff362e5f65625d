// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The README's "Use it" section must stay true. Its example is a complete program: the fenced block right
 * after the marker {@code <!-- readme-example: Example.java -->} is compiled against target/classes on the
 * class path (as a user compiles against the jar, without Chronicle Bytes), run in a child JVM with the
 * flag the README names, and must print what its {@code // prints} comment says and nothing else (no
 * native-access warning). Its dependency snippets must name this build's version.
 */
class ReadmeExampleTest {
    static final Path README = Path.of("../README.md");
    static final Path CLASSES = Path.of("target/classes");
    static final Pattern EXAMPLE = Pattern.compile("<!-- readme-example: (\\w+)\\.java -->\\s*```java\\n(.*?\\n)```",
            Pattern.DOTALL);
    static final Pattern PRINTS = Pattern.compile("// prints (.+)");

    @Test
    void theExampleCompilesRunsAndPrintsWhatItSays(@TempDir Path tmp) throws Exception {
        Matcher example = EXAMPLE.matcher(Files.readString(README));
        assertTrue(example.find(), "README.md has a ```java block right after <!-- readme-example: Name.java -->");
        String mainClass = example.group(1), code = example.group(2);
        Matcher prints = PRINTS.matcher(code);
        assertTrue(prints.find(), "the example says what it prints in a '// prints ...' comment");

        Path src = tmp.resolve(mainClass + ".java"), out = tmp.resolve("out");
        Files.writeString(src, code);
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = ToolProvider.getSystemJavaCompiler().run(null, diagnostics, diagnostics, "-Xlint:all", "-Werror",
                "-d", out.toString(), "-cp", CLASSES.toString(), src.toString());
        assertEquals(0, rc, "the README's example compiles without warnings:\n"
                + diagnostics.toString(StandardCharsets.UTF_8));

        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                CLASSES + File.pathSeparator + out, mainClass).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the example finished");
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), output);
        assertEquals(prints.group(1).strip(), output.strip(), "the example prints what the README says, and only that");
    }

    @Test
    void theDependencySnippetsNameThisVersion() throws Exception {
        String version = System.getProperty("hmap.version");
        assertNotNull(version, "the build passes -Dhmap.version (engine/pom.xml, surefire)");
        String readme = Files.readString(README);
        assertTrue(readme.contains("<artifactId>hmap</artifactId>\n  <version>" + version + "</version>"),
                "the README's Maven snippet names dev.hmap:hmap:" + version);
        assertTrue(readme.contains("\"dev.hmap:hmap:" + version + "\""),
                "the README's Gradle snippet names dev.hmap:hmap:" + version);
    }
}
