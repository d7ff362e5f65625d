// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the Go 1.19 reference data in src/test/resources/go119, written by src/test/go/goref/main.go
 * (regenerate: {@code cd engine/src/test/go/goref && go run main.go ../../resources/go119}).
 */
final class GoReference {
    private GoReference() {}

    /** Data lines of a file, split on blanks, comments dropped. */
    static List<String[]> rows(String file) {
        try (InputStream in = GoReference.class.getResourceAsStream("/go119/" + file)) {
            if (in == null) throw new IllegalStateException("missing Go reference file " + file);
            return Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
                    .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .map(l -> l.split("\\s+")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Expands transition lines "n value..." into a per-n table for n = 0..max. */
    static int[][] expand(List<String[]> transitions, int max, int columns) {
        int[][] out = new int[max + 1][];
        int[] current = null;
        int next = 0;
        for (int n = 0; n <= max; n++) {
            while (next < transitions.size() && Long.parseLong(transitions.get(next)[0]) == n) {
                String[] t = transitions.get(next++);
                current = new int[columns];
                for (int c = 0; c < columns; c++) current[c] = Integer.parseInt(t[c + 1]);
            }
            out[n] = current;
        }
        return out;
    }
}
