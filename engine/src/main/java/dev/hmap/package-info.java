// SPDX-License-Identifier: Apache-2.0
/**
 * hmap's public API: off-heap hash maps and sets laid out as Go 1.19's runtime map, as sealed interfaces
 * over generated, specialized final classes.
 *
 * <p>Start with a map type's {@code create()} or {@code builder()}, e.g. {@link dev.hmap.LongLongMap#create()}
 * or {@link dev.hmap.StringLongMap#create()}, and close every map (try-with-resources): its memory is not the
 * garbage collector's. {@link dev.hmap.OffHeapMap} states what every map guarantees. hmap needs Linux, a JDK
 * 22 or newer and {@code --enable-native-access=ALL-UNNAMED} on the class path
 * ({@code --enable-native-access=dev.hmap} on the module path).
 *
 * <h2>Naming</h2>
 * <ul>
 *   <li>{@code <Key><Value>Map} (e.g. {@code LongLongMap}) is Go's {@code map[K]V}; {@code <Key>Set} is
 *       {@code map[K]struct{}}. {@code <Key><Value>Cursor} walks one; {@code <Key><Value>Consumer}
 *       receives its entries in {@code forEach}.</li>
 *   <li>The implementations ({@code ...Impl}) are package-private and generated; structures in memory are
 *       described by {@code ...Header}/{@code ...Descriptor} classes in the non-exported
 *       {@code dev.hmap.internal}, with {@code *_OFFSET} constants and offsets as {@code long ...Off}.</li>
 * </ul>
 */
package dev.hmap;
