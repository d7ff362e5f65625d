// SPDX-License-Identifier: Apache-2.0
package dev.hmap.kafka;

import dev.hmap.BytesBytesCursor;
import dev.hmap.BytesBytesMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.internals.ChangelogRecordDeserializationHelper;
import org.apache.kafka.streams.processor.internals.RecordBatchingStateRestoreCallback;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.internals.StoreQueryUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.StampedLock;

/**
 * A {@code KeyValueStore<Bytes, byte[]>} on one off-heap {@link BytesBytesMap}: the shape of Kafka's
 * {@code InMemoryKeyValueStore}, with the map in place of its {@code TreeMap}.
 *
 * <h2>Semantics (those of Kafka's in-memory store)</h2>
 * <ul>
 *   <li>A null key is a {@link NullPointerException}; a null value is a delete ({@code put},
 *       {@code putIfAbsent} of an absent key, {@code putAll}, the changelog's tombstones on restore).</li>
 *   <li>{@code range(from, to)} holds the keys {@code from <= k <= to} in Kafka's order (unsigned bytes,
 *       a prefix first); a null bound is open; {@code from > to} logs a warning and yields nothing.
 *       {@code prefixScan} holds the keys that start with the serialized prefix, as RocksDB's store answers
 *       (Kafka's in-memory store scans {@code [prefix, increment(prefix))}: for a prefix ending in
 *       {@code 0xFF} that also holds keys without the prefix, and it throws for an empty or all-{@code 0xFF}
 *       prefix).</li>
 *   <li>Iterators hold the matching keys as of their creation and read each value when they reach it: a
 *       key deleted since is skipped, a value replaced since is read as it is now; no null value is
 *       returned and no {@code ConcurrentModificationException} thrown.</li>
 *   <li>Every write, deletes included, records its input record's offset in {@link #getPosition()}, as
 *       RocksDB's store does (Kafka's in-memory store records only puts).</li>
 *   <li>Not persistent: Kafka replays the changelog into it through the callback {@link #init} registers.
 *       Nothing is staged (no transaction buffer), so {@link #commit} has nothing to do and both isolation
 *       levels of {@link #readOnly} read the same data.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * An hmap map allows one writer and no reader during a write. Kafka writes a store from one thread at a time
 * (the stream thread, or the one restoring it) and interactive queries read it from any thread, so every
 * access goes through {@link #lock}: lookups share the read lock, writes take the write lock (after letting
 * queries already waiting in, see {@link #writeLock()}). Scans take the
 * write lock as well, because making and ending a cursor updates the map's bookkeeping (its iterator flags
 * and the arrays a cursor pins), and they let writes in every {@value #SCAN_CHUNK} entries: a cursor
 * survives writes between its steps (Go's iteration rules), so a large scan from a query never stops the
 * stream thread for longer than one chunk. Optimistic reads are not used: they would run a lookup during a
 * write, which the map does not allow.
 *
 * <h2>Cost</h2>
 * {@code get} is one probe ({@code getCopy}) and allocates only the returned array; {@code put} is one;
 * {@code delete} and {@code putIfAbsent} read the old value first. A range, prefix or full scan visits every entry of the partition, copies the matching keys to the
 * heap and sorts them: O(n + m log m) for n entries and m matches.
 */
final class HmapKeyValueStore implements KeyValueStore<Bytes, byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(HmapKeyValueStore.class);

    /** Entries a scan visits per hold of the write lock (about half a millisecond at 10M entries). */
    static final int SCAN_CHUNK = 4096;

    private final String name;
    private final long expectedEntries;
    /** Guards {@link #map} and everything done to it; see the class comment. */
    private final StampedLock lock = new StampedLock();
    /** The input offsets this store has seen (Position is thread-safe; written under the write lock). */
    private final Position position = Position.emptyPosition();

    /** Null before {@link #init} and after {@link #close}; read and replaced under {@link #lock}. */
    private BytesBytesMap map;
    /** Threads queued for {@link #lock} by {@link #readLock} and {@link #scanLock}; writes step aside for them. */
    private final AtomicInteger queued = new AtomicInteger();
    /** A scan's copy of the current key; used under the write lock only. */
    private byte[] keyScratch = new byte[64];
    private volatile boolean open;
    private volatile StateStoreContext context;

    HmapKeyValueStore(String name, long expectedEntries) {
        this.name = Objects.requireNonNull(name, "name cannot be null");
        this.expectedEntries = expectedEntries;
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext stateStoreContext, StateStore root) {
        Objects.requireNonNull(stateStoreContext, "stateStoreContext cannot be null");
        long stamp = writeLock();
        try {
            if (map == null) {
                map = expectedEntries > 0 ? BytesBytesMap.create(expectedEntries) : BytesBytesMap.create();
            }
        } finally {
            lock.unlockWrite(stamp);
        }
        context = stateStoreContext;
        Map<String, Object> configs = stateStoreContext.appConfigs();
        if (StreamsConfig.InternalConfig.getBoolean(configs, StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, false)) {
            LOG.warn("hmap store {} does not buffer writes: with {}=true it behaves as a non-transactional store, "
                    + "and READ_COMMITTED queries also see writes not yet committed",
                    name, StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG);
        }
        if (root != null) {
            boolean consistency = StreamsConfig.InternalConfig.getBoolean(
                    configs, StreamsConfig.InternalConfig.IQ_CONSISTENCY_OFFSET_VECTOR_ENABLED, false);
            stateStoreContext.register(root, (RecordBatchingStateRestoreCallback) records -> restore(records, consistency));
        }
        open = true;
    }

    /**
     * Kafka's restore path: a batch of changelog records, each a put or (null value) a delete, applied
     * under one hold of the write lock, with the position each record carries.
     */
    private void restore(Collection<ConsumerRecord<byte[], byte[]>> records, boolean consistency) {
        long stamp = writeLock();
        try {
            BytesBytesMap m = openMap();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                write(m, Objects.requireNonNull(record.key(), "changelog record with a null key"), record.value());
                ChangelogRecordDeserializationHelper.applyChecksAndUpdatePosition(record, consistency, position);
            }
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Frees the map's memory; iterators still open throw {@link InvalidStateStoreException} from then on. */
    @Override
    public void close() {
        long stamp = writeLock();
        try {
            open = false;
            if (map != null) {
                map.close();
                map = null;
            }
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    // flush() keeps StateStore's default (nothing to do; deprecated in 4.4 for commit): every write is in the map
    // when it returns, and the map is not a file.

    /** Nothing to do: no write is staged (see the class comment), and Kafka checkpoints no offset for a store that is not persistent. */
    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
    }

    /** Kafka keeps the offsets: this store does not manage them. */
    @SuppressWarnings("deprecation")
    @Override
    public boolean managesOffsets() {
        return false;
    }

    /** Null: the store keeps no offset of its own (see {@link #managesOffsets()}). */
    @Override
    public Long committedOffset(TopicPartition partition) {
        return null;
    }

    /** Zero: nothing is staged. */
    @Override
    public long approximateNumUncommittedBytes() {
        return 0;
    }

    // ------------------------------------------------------------------ interactive queries

    @Override
    public Position getPosition() {
        return position;
    }

    /** Kafka's own handling of key, range and ping queries, over this store's reads. */
    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return StoreQueryUtils.handleBasicQueries(query, positionBound, config, this, position, context);
    }

    @Override
    public ReadOnlyKeyValueStore<Bytes, byte[]> readOnly(IsolationLevel isolationLevel) {
        Objects.requireNonNull(isolationLevel, "isolationLevel cannot be null");
        return new ReadOnlyView(this);
    }

    // ------------------------------------------------------------------ point operations

    @Override
    public byte[] get(Bytes key) {
        byte[] k = keyBytes(key);
        long stamp = readLock();
        try {
            return openMap().getCopy(k);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Whether {@code key} is present, for iterators. */
    boolean contains(Bytes key) {
        long stamp = readLock();
        try {
            return openMap().containsKey(key.get());
        } finally {
            lock.unlockRead(stamp);
        }
    }

    @Override
    public void put(Bytes key, byte[] value) {
        byte[] k = keyBytes(key);
        long stamp = writeLock();
        try {
            write(openMap(), k, value);
            StoreQueryUtils.updatePosition(position, context);
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    @Override
    public byte[] putIfAbsent(Bytes key, byte[] value) {
        byte[] k = keyBytes(key);
        long stamp = writeLock();
        try {
            BytesBytesMap m = openMap();
            byte[] old = m.getCopy(k);
            if (old == null) {
                write(m, k, value);
                StoreQueryUtils.updatePosition(position, context);
            }
            return old;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** All or nothing as to keys: a null key anywhere fails the call before any entry is written. */
    @Override
    public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
        Objects.requireNonNull(entries, "entries cannot be null");
        for (KeyValue<Bytes, byte[]> entry : entries) {
            keyBytes(Objects.requireNonNull(entry, "entry cannot be null").key);
        }
        long stamp = writeLock();
        try {
            BytesBytesMap m = openMap();
            for (KeyValue<Bytes, byte[]> entry : entries) {
                write(m, entry.key.get(), entry.value);
                StoreQueryUtils.updatePosition(position, context);
            }
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    @Override
    public byte[] delete(Bytes key) {
        byte[] k = keyBytes(key);
        long stamp = writeLock();
        try {
            BytesBytesMap m = openMap();
            byte[] old = m.getCopy(k);
            if (old != null) m.remove(k);
            StoreQueryUtils.updatePosition(position, context);
            return old;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    @Override
    public long approximateNumEntries() {
        long stamp = readLock();
        try {
            return openMap().size();
        } finally {
            lock.unlockRead(stamp);
        }
    }

    // ------------------------------------------------------------------ ordered reads

    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        return range(from, to, true);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
        return range(from, to, false);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        return range(null, null, true);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseAll() {
        return range(null, null, false);
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, PS prefixKeySerializer) {
        Objects.requireNonNull(prefix, "prefix cannot be null");
        Objects.requireNonNull(prefixKeySerializer, "prefixKeySerializer cannot be null");
        byte[] p = Objects.requireNonNull(prefixKeySerializer.serialize(null, prefix),
                "prefixKeySerializer serialized the prefix to null");
        return new HmapKeyValueIterator(this, scan(null, null, p), true);
    }

    private KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to, boolean forward) {
        if (from != null && to != null && from.compareTo(to) > 0) {
            // Kafka's stores answer so, with this warning: the caller's serde may not preserve order.
            LOG.warn("Returning empty iterator for fetch with invalid key range: from > to. "
                    + "This may be due to range arguments set in the wrong order, "
                    + "or serdes that don't preserve ordering when lexicographically comparing the serialized bytes. "
                    + "Note that the built-in numerical serdes do not follow this for negative numbers");
            return new HmapKeyValueIterator(this, new Bytes[0], forward);
        }
        return new HmapKeyValueIterator(this, scan(from == null ? null : from.get(), to == null ? null : to.get(), null),
                forward);
    }

    /**
     * The keys in {@code [from, to]} (a null bound is open) that start with {@code prefix} (null: any), in
     * Kafka's order, without duplicates. One cursor visits every entry, {@value #SCAN_CHUNK} per hold of
     * the write lock; a key removed and put back between two holds can be visited twice, hence the
     * de-duplication after the sort.
     */
    Bytes[] scan(byte[] from, byte[] to, byte[] prefix) {
        ArrayList<Bytes> keys = new ArrayList<>();
        BytesBytesMap scanned = null;
        BytesBytesCursor cursor = null;
        boolean more = true;
        while (more) {
            long stamp = scanLock();
            try {
                BytesBytesMap m = openMap();
                if (cursor == null) {
                    scanned = m;
                    cursor = m.cursor();
                } else if (m != scanned) { // closed and opened again between two chunks
                    throw new InvalidStateStoreException("Store " + name + " was closed during a range scan");
                }
                byte[] k = keyScratch;
                for (int i = 0; i < SCAN_CHUNK && (more = cursor.next()); i++) {
                    int n = cursor.copyKey(k, 0);
                    if (n > k.length) {
                        k = keyScratch = new byte[Math.max(n, 2 * k.length)];
                        cursor.copyKey(k, 0);
                    }
                    if (matches(k, n, from, to, prefix)) keys.add(Bytes.wrap(Arrays.copyOf(k, n)));
                }
            } finally {
                lock.unlockWrite(stamp);
            }
        }
        Bytes[] sorted = keys.toArray(new Bytes[0]);
        // Arrays.compareUnsigned is Kafka's BYTES_LEXICO_COMPARATOR (unsigned bytes, then length), vectorized.
        Arrays.sort(sorted, (a, b) -> Arrays.compareUnsigned(a.get(), b.get()));
        int n = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (n == 0 || !Arrays.equals(sorted[n - 1].get(), sorted[i].get())) sorted[n++] = sorted[i];
        }
        return n == sorted.length ? sorted : Arrays.copyOf(sorted, n);
    }

    private static boolean matches(byte[] k, int n, byte[] from, byte[] to, byte[] prefix) {
        if (from != null && Arrays.compareUnsigned(k, 0, n, from, 0, from.length) < 0) return false;
        if (to != null && Arrays.compareUnsigned(k, 0, n, to, 0, to.length) > 0) return false;
        return prefix == null || n >= prefix.length && Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length);
    }

    // ------------------------------------------------------------------ the guard

    /** The read lock: at once if no write holds it, else queued (and counted, see {@link #writeLock}). */
    private long readLock() {
        long stamp = lock.tryReadLock();
        return stamp != 0 ? stamp : queue(false);
    }

    /** The write lock for a chunk of a scan, taken as {@link #readLock} takes the read lock. */
    private long scanLock() {
        long stamp = lock.tryWriteLock();
        return stamp != 0 ? stamp : queue(true);
    }

    private long queue(boolean exclusive) {
        queued.incrementAndGet();
        try {
            return exclusive ? lock.writeLock() : lock.readLock();
        } finally {
            queued.decrementAndGet();
        }
    }

    /**
     * The write lock for a write. StampedLock lets a thread that releases the write lock and asks again at
     * once take it back before the threads it woke get to run, so a stream thread writing back to back
     * would starve every query; so a write first lets queued queries in (for at most a millisecond). The
     * stream thread pays one read of an uncontended counter per write for it.
     */
    private long writeLock() {
        if (queued.get() != 0) stepAside();
        long stamp = lock.tryWriteLock();
        return stamp != 0 ? stamp : lock.writeLock();
    }

    private void stepAside() {
        long deadline = System.nanoTime() + 1_000_000;
        while (queued.get() != 0 && System.nanoTime() < deadline) Thread.yield();
    }

    // ------------------------------------------------------------------ helpers

    private static byte[] keyBytes(Bytes key) {
        return Objects.requireNonNull(key, "key cannot be null").get();
    }

    /** The map, or InvalidStateStoreException before init and after close. Under the lock. */
    private BytesBytesMap openMap() {
        BytesBytesMap m = map;
        if (m == null) {
            throw new InvalidStateStoreException("Store " + name + " is currently closed.");
        }
        return m;
    }

    /** Kafka's put: a null value deletes. Under the write lock. */
    private static void write(BytesBytesMap m, byte[] k, byte[] v) {
        if (v == null) {
            m.remove(k);
        } else {
            m.put(k, v);
        }
    }

    /** The store's reads, and no writes; with nothing staged, both isolation levels read the same. */
    private record ReadOnlyView(HmapKeyValueStore store) implements ReadOnlyKeyValueStore<Bytes, byte[]> {
        @Override
        public byte[] get(Bytes key) {
            return store.get(key);
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
            return store.range(from, to);
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
            return store.reverseRange(from, to);
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> all() {
            return store.all();
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> reverseAll() {
            return store.reverseAll();
        }

        @Override
        public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, PS prefixKeySerializer) {
            return store.prefixScan(prefix, prefixKeySerializer);
        }

        @Override
        public long approximateNumEntries() {
            return store.approximateNumEntries();
        }
    }
}
