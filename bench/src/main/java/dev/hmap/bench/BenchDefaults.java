// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The JMH settings every benchmark class inherits: average time in ns, one fork with {@link Jvm#FLAGS}
 * (the same for every peer), 3 warm-up and 5 measurement iterations of 2 s. Command-line flags
 * ({@code -f -wi -i -w -r}) and the report's profiles override the counts, never the JVM flags.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgs = {Jvm.XMS, Jvm.XMX, Jvm.GC, Jvm.NATIVE, Jvm.E1, Jvm.E2, Jvm.E3, Jvm.E4, Jvm.E5,
        Jvm.O1, Jvm.O2, Jvm.O3, Jvm.O4, Jvm.O5, Jvm.O6, Jvm.NO_ANALYTICS})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public abstract class BenchDefaults {
}
