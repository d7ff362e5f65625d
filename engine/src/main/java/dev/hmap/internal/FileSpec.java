// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A builder's request for a file-backed map: the file, the open mode (read-only; shared: read-only beside a
 * live writer in another process), and the missing value's bits, which a file records so that it is read
 * back as it was written.
 */
public record FileSpec(Path path, boolean readOnly, boolean shared, long missingBits) {
    public FileSpec {
        Objects.requireNonNull(path, "path");
    }
}
