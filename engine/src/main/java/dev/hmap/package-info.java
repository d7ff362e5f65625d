// SPDX-License-Identifier: Apache-2.0
/**
 * hmap's public API: sealed interfaces over generated, specialized final classes.
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
