// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench;

import java.util.List;

/**
 * The JVM flags of every benchmark fork, every {@link GrowthLatency} / {@link StringMemory} child JVM and
 * the report: the same for all peers, so no peer gets a heap, collector or module setting of its own.
 *
 * <ul>
 *   <li>{@code -Xms2g -Xmx12g}: 10M-entry HashMaps (about 0.9 GB live plus garbage while building) stay far
 *       from GC pressure.</li>
 *   <li>{@code -XX:+UseParallelGC}: the throughput collector; GC costs show up in the heap maps' scores
 *       only where they are real.</li>
 *   <li>{@code --enable-native-access=ALL-UNNAMED}: hmap maps its own memory through the FFM linker.</li>
 *   <li>The {@code --add-exports}/{@code --add-opens}: Chronicle's documented list for JDK 17+ (the engine
 *       tests' list plus the two {@code jdk.compiler} ones Chronicle Map's generated code needs).</li>
 *   <li>{@code -Dchronicle.analytics.disable=true}: Chronicle's libraries otherwise try to send usage
 *       analytics over the network from inside the measurement.</li>
 * </ul>
 * The constants are separate so that the {@code @Fork(jvmArgs = ...)} annotations can name them.
 */
public final class Jvm {
    private Jvm() {}

    public static final String XMS = "-Xms2g", XMX = "-Xmx12g", GC = "-XX:+UseParallelGC",
            NATIVE = "--enable-native-access=ALL-UNNAMED",
            E1 = "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
            E2 = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            E3 = "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
            E4 = "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            E5 = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
            O1 = "--add-opens=java.base/java.lang=ALL-UNNAMED",
            O2 = "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            O3 = "--add-opens=java.base/java.io=ALL-UNNAMED",
            O4 = "--add-opens=java.base/java.util=ALL-UNNAMED",
            O5 = "--add-opens=java.base/java.nio=ALL-UNNAMED",
            O6 = "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
            NO_ANALYTICS = "-Dchronicle.analytics.disable=true";

    /** All of them, in the order of the annotations. */
    public static final List<String> FLAGS = List.of(XMS, XMX, GC, NATIVE, E1, E2, E3, E4, E5, O1, O2, O3, O4, O5, O6,
            NO_ANALYTICS);
}
