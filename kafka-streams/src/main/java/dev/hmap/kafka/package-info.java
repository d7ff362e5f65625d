// SPDX-License-Identifier: Apache-2.0
/**
 * hmap as a Kafka Streams state store: {@link dev.hmap.kafka.HmapStores#keyValueStore(String)} supplies a
 * {@code KeyValueStore<Bytes, byte[]>} on an off-heap {@link dev.hmap.BytesBytesMap}, for
 * {@code Stores.keyValueStoreBuilder(..)} and {@code Materialized.as(..)}.
 *
 * <p>Kafka Streams partitions the store with its input topic, backs it up to a changelog topic and restores
 * it on another instance; hmap keeps each partition's entries off the Java heap, so the state costs the
 * garbage collector nothing. The store is in-memory ({@code persistent() == false}): Kafka rebuilds it from
 * its changelog after a restart, as it does its own in-memory store.
 *
 * <p>What each operation costs: {@code get}, {@code put}, {@code putIfAbsent}, {@code delete} are hash
 * lookups (one to three probes), and {@code get} allocates only the {@code byte[]} it returns. The ordered
 * reads ({@code range}, {@code reverseRange}, {@code all}, {@code reverseAll}, {@code prefixScan}) scan the
 * whole partition and sort the keys that match: O(n + m log m) for n entries and m matches, with a copy
 * of each matching key on the heap; values are read as the iterator reaches them.
 *
 * <p>Threads: Kafka's stream thread writes a store while interactive queries read it from other threads,
 * and an hmap map takes no reader during a write. The store guards its map with a
 * {@link java.util.concurrent.locks.StampedLock}: lookups share it, writes and scans take it alone, and a
 * scan lets writes in every few thousand entries.
 */
package dev.hmap.kafka;
