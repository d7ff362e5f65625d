// SPDX-License-Identifier: Apache-2.0
package dev.hmap.codegen;

/**
 * How the hot operations see a key being looked up, inserted or deleted: the parameters that carry it,
 * how it hashes and how it matches a key slot. Go has one such style per fast path (a word compare for
 * fast32/fast64, length then bytes for faststr); hmap's String keys have two more: short ASCII Strings,
 * whose chars are packed straight into the words that hash and compare them, and, in a map that hashes
 * keys by {@code String.hashCode()}, a String with that hash, compared char by char with a key's bytes.
 *
 * <p>Snippets see the map's segment {@code m}, the bucket {@code b} and the key slot offset {@code ko},
 * and the map's seeds {@code seed0, seed1}.
 *
 * @param suffix    appended to the routine names ({@code find}, {@code findWords})
 * @param note      a Javadoc line added to the routine's (empty, or starting with " * ")
 * @param params    the parameter list that carries the probe
 * @param args      the same parameters as arguments
 * @param hash      the probe's hash, an expression
 * @param setup     statements run before a chain is walked (may be empty)
 * @param matches   whether the key at {@code ko} is the probe, once its tophash matched
 * @param oneBucket the lookup's shortcut for a one-bucket map (empty: callers never look up such a map
 *                  this way)
 * @param touchOnLookup whether a lookup touches the bucket's other cache lines (see the Impl's
 *                  {@code touch}): worth it only when a hit reads beyond the first line anyway
 * @param writes    whether inserts and deletes take this probe too (assign, insert and delete are emitted
 *                  for it)
 * @param prepareKey insert, before anything changes: what a new key needs (may allocate)
 * @param storeKey  insert: writes the key into the slot at {@code ko}
 */
public record Probe(String suffix, String note, String params, String args, String hash, String setup,
                    String matches, String oneBucket, boolean touchOnLookup, boolean writes, String prepareKey,
                    String storeKey) {}
