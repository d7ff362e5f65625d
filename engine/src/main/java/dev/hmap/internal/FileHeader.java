// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * The first page of a map's file: what the file holds and in which state it was left. The map's own
 * memory (its {@link Reservation}, hmap header at offset 0) follows from file offset {@link #SIZE} on, so
 * every offset the map stores is its file offset minus one page.
 *
 * <pre>
 *  file offset 0        8         12          16       20       24                  72                 120
 *  +-------------------+---------+-----------+--------+--------+-------------------+------------------+
 *  | magic "HMAPFILE"  | version | page size | state  | flags  | map type, UTF-8   | Go type, UTF-8   |
 *  |                   | u32 = 1 | u32 4096  | u32    | u32    | 48 B, 0-padded    | 48 B, 0-padded   |
 *  +-------------------+---------+-----------+--------+--------+-------------------+------------------+
 *  120       124        128         132          136           140            144           152
 *  +---------+----------+-----------+------------+-------------+--------------+-------------+
 *  | keySize | valueSize| bucketSize| keysOffset | valuesOffset| overflowOff  | missing     |
 *  | u32     | u32      | u32       | u32        | u32         | u32          | value bits  |
 *  +---------+----------+-----------+------------+-------------+--------------+-------------+
 *  152            160             168              176            184           200      248             256   4096
 *  +--------------+---------------+----------------+--------------+-------------+--...--+---------------+-...-+
 *  | map length   | state offset  | state length   | state CRC32C | boot id of  | zero  | header CRC32C | 0   |
 *  | bytes after  | allocator and | bytes          | (low 32 bits)| the machine |       | of [0, 248)   |     |
 *  | this page    | map snapshot  |                |              | that dirtied|       |               |     |
 *  +--------------+---------------+----------------+--------------+-------------+--...--+---------------+-...-+
 * </pre>
 *
 * <ul>
 *   <li><b>State.</b> {@link #DIRTY} from the moment a read-write open starts, or the first write after a
 *       {@code sync()}, until {@code close()} or {@code sync()} writes the snapshot and sets {@link #CLEAN}.
 *       The dirty mark reaches storage before the first write after a clean state does, so after an OS
 *       crash a file whose pages were written back in any order never reads as clean.</li>
 *   <li><b>Flags.</b> How the map hashes its keys: {@link #STRING_HASH_CODE}, or 0 for Go's seeded hash of
 *       the key's bytes. Part of the file's identity, like the map type.</li>
 *   <li><b>Snapshot.</b> The allocator's state and the map state kept outside its header (free lists,
 *       size-class heads, the next array prepared ahead), written as longs at {@code state offset} of the
 *       map's memory, past every allocated block; valid only in the clean state (see
 *       {@link Reservation#saveState}).</li>
 *   <li><b>Boot id.</b> The kernel's boot id ({@code /proc/sys/kernel/random/boot_id}) when the file was
 *       marked dirty. A dirty file from this boot was left by a process that died: the page cache kept
 *       every write it made, and a repair can trust them. From another boot, the machine went down with
 *       the file dirty, and pages written since the last sync may be lost or torn.</li>
 *   <li><b>Checksums.</b> CRC32C of the header's first 248 bytes, and of the snapshot: a file damaged at
 *       rest is refused, never read as a map.</li>
 * </ul>
 */
public final class FileHeader {
    private FileHeader() {}

    static final int TEXT = 48;

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            Layouts.LONG.withName("magic"),
            Layouts.INT.withName("version"),
            Layouts.INT.withName("pageSize"),
            Layouts.INT.withName("state"),
            Layouts.INT.withName("flags"),
            MemoryLayout.sequenceLayout(TEXT, Layouts.BYTE).withName("mapType"),
            MemoryLayout.sequenceLayout(TEXT, Layouts.BYTE).withName("goType"),
            Layouts.INT.withName("keySize"),
            Layouts.INT.withName("valueSize"),
            Layouts.INT.withName("bucketSize"),
            Layouts.INT.withName("keysOffset"),
            Layouts.INT.withName("valuesOffset"),
            Layouts.INT.withName("overflowOffset"),
            Layouts.LONG.withName("missing"),
            Layouts.LONG.withName("mapLength"),
            Layouts.LONG.withName("stateOffset"),
            Layouts.LONG.withName("stateLength"),
            Layouts.LONG.withName("stateChecksum"),
            MemoryLayout.sequenceLayout(16, Layouts.BYTE).withName("bootId"),
            MemoryLayout.paddingLayout(48),
            Layouts.LONG.withName("checksum"));

    /** The header takes a whole page: the map's memory starts page-aligned in the file. */
    public static final long SIZE = MapMemory.PAGE;
    /** "HMAPFILE" read as a little-endian long. */
    public static final long MAGIC = 0x454C4946_50414D48L;
    public static final int VERSION = 1;
    /** States. */
    public static final int CLEAN = 1, DIRTY = 2;
    /** Flag: keys hash by {@code String.hashCode()} (the builder's {@code stringHashCode(true)}). */
    public static final int STRING_HASH_CODE = 1;

    static final long MAGIC_OFFSET = offset("magic"), VERSION_OFFSET = offset("version"),
            PAGE_SIZE_OFFSET = offset("pageSize"), STATE_OFFSET = offset("state"), FLAGS_OFFSET = offset("flags"),
            MAP_TYPE_OFFSET = offset("mapType"), GO_TYPE_OFFSET = offset("goType"),
            KEY_SIZE_OFFSET = offset("keySize"), VALUE_SIZE_OFFSET = offset("valueSize"),
            BUCKET_SIZE_OFFSET = offset("bucketSize"), KEYS_OFFSET_OFFSET = offset("keysOffset"),
            VALUES_OFFSET_OFFSET = offset("valuesOffset"), OVERFLOW_OFFSET_OFFSET = offset("overflowOffset"),
            MISSING_OFFSET = offset("missing"), MAP_LENGTH_OFFSET = offset("mapLength"),
            SNAPSHOT_OFFSET = offset("stateOffset"), SNAPSHOT_LENGTH_OFFSET = offset("stateLength"),
            SNAPSHOT_CHECKSUM_OFFSET = offset("stateChecksum"), BOOT_ID_OFFSET = offset("bootId"),
            CHECKSUM_OFFSET = offset("checksum");

    private static long offset(String field) {
        return LAYOUT.byteOffset(groupElement(field));
    }

    /** What a file must hold to be opened as a given map type. */
    public record Identity(String mapType, BucketDescriptor layout, long missingBits, int flags) {}

    /** Writes a new header: identity, state, no snapshot; then its checksum. */
    static void init(MemorySegment h, Identity id, long mapLength) {
        Layouts.zero(h, 0, SIZE);
        h.set(Layouts.LONG, MAGIC_OFFSET, MAGIC);
        h.set(Layouts.INT, VERSION_OFFSET, VERSION);
        h.set(Layouts.INT, PAGE_SIZE_OFFSET, (int) SIZE);
        h.set(Layouts.INT, STATE_OFFSET, DIRTY);
        h.set(Layouts.INT, FLAGS_OFFSET, id.flags());
        MemorySegment.copy(BOOT_ID, 0, h, Layouts.BYTE, BOOT_ID_OFFSET, BOOT_ID.length);
        putText(h, MAP_TYPE_OFFSET, id.mapType());
        BucketDescriptor d = id.layout();
        putText(h, GO_TYPE_OFFSET, d.goType());
        h.set(Layouts.INT, KEY_SIZE_OFFSET, d.keySize());
        h.set(Layouts.INT, VALUE_SIZE_OFFSET, d.valueSize());
        h.set(Layouts.INT, BUCKET_SIZE_OFFSET, d.bucketSize());
        h.set(Layouts.INT, KEYS_OFFSET_OFFSET, (int) d.keysOffset());
        h.set(Layouts.INT, VALUES_OFFSET_OFFSET, (int) d.valuesOffset());
        h.set(Layouts.INT, OVERFLOW_OFFSET_OFFSET, (int) d.overflowOffset());
        h.set(Layouts.LONG, MISSING_OFFSET, id.missingBits());
        h.set(Layouts.LONG, MAP_LENGTH_OFFSET, mapLength);
        seal(h);
    }

    /**
     * Why header {@code h} of a file of {@code fileSize} bytes cannot be opened as {@code id}, or null if
     * it can. Checked in the order that names the first real problem: not an hmap file at all, another
     * format version, damage, another map type.
     */
    static String problem(MemorySegment h, long fileSize, Identity id) {
        if (fileSize < SIZE) return "it is " + fileSize + " bytes long, shorter than the " + SIZE + "-byte header of an hmap file";
        if (h.get(Layouts.LONG, MAGIC_OFFSET) != MAGIC) return "it is not an hmap file (no HMAPFILE magic number at its start)";
        int v = h.get(Layouts.INT, VERSION_OFFSET);
        if (v != VERSION) return "it has format version " + Integer.toUnsignedString(v) + "; this hmap reads version " + VERSION;
        if (h.get(Layouts.LONG, CHECKSUM_OFFSET) != checksum(h)) return "its header checksum does not match: the header is damaged";
        if (h.get(Layouts.INT, PAGE_SIZE_OFFSET) != SIZE) return "its header declares a page size other than " + SIZE;
        String type = text(h, MAP_TYPE_OFFSET), go = text(h, GO_TYPE_OFFSET);
        BucketDescriptor d = id.layout();
        if (!type.equals(id.mapType()) || !go.equals(d.goType())) {
            return "it holds a " + type + " (" + go + "), not a " + id.mapType() + " (" + d.goType() + ")";
        }
        if (h.get(Layouts.INT, KEY_SIZE_OFFSET) != d.keySize() || h.get(Layouts.INT, VALUE_SIZE_OFFSET) != d.valueSize()
                || h.get(Layouts.INT, BUCKET_SIZE_OFFSET) != d.bucketSize()
                || h.get(Layouts.INT, KEYS_OFFSET_OFFSET) != d.keysOffset()
                || h.get(Layouts.INT, VALUES_OFFSET_OFFSET) != d.valuesOffset()
                || h.get(Layouts.INT, OVERFLOW_OFFSET_OFFSET) != d.overflowOffset()) {
            return "its bucket layout differs from " + d;
        }
        long mapLength = h.get(Layouts.LONG, MAP_LENGTH_OFFSET);
        if (mapLength < MapMemory.PAGE || mapLength > fileSize - SIZE) {
            return "its header declares " + mapLength + " bytes of map after the header, but the file holds "
                    + (fileSize - SIZE) + ": it was truncated";
        }
        int state = h.get(Layouts.INT, STATE_OFFSET);
        if (state != CLEAN && state != DIRTY) return "its header holds an unknown state " + state;
        if (h.get(Layouts.LONG, MISSING_OFFSET) != id.missingBits()) {
            return "it was made with missing value bits 0x" + Long.toHexString(h.get(Layouts.LONG, MISSING_OFFSET))
                    + ", this builder asks for 0x" + Long.toHexString(id.missingBits());
        }
        int flags = h.get(Layouts.INT, FLAGS_OFFSET);
        if ((flags & ~STRING_HASH_CODE) != 0) return "its header holds unknown flags 0x" + Integer.toHexString(flags);
        if (flags != id.flags()) {
            return "its keys are hashed " + hashing(flags) + ", this builder asks for them hashed " + hashing(id.flags());
        }
        return null;
    }

    private static String hashing(int flags) {
        return (flags & STRING_HASH_CODE) != 0 ? "by String.hashCode() (stringHashCode(true))" : "by their bytes (the default)";
    }

    /** Whether the file was marked dirty during this boot of the machine (see the class comment). */
    static boolean dirtiedThisBoot(MemorySegment h) {
        return java.util.Arrays.equals(h.asSlice(BOOT_ID_OFFSET, BOOT_ID.length).toArray(Layouts.BYTE), BOOT_ID);
    }

    /** This boot's id, 16 bytes (zeros where the kernel does not tell). */
    private static final byte[] BOOT_ID = bootId();

    private static byte[] bootId() {
        byte[] id = new byte[16];
        try {
            String s = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/random/boot_id")).strip();
            java.util.UUID u = java.util.UUID.fromString(s);
            java.nio.ByteBuffer.wrap(id).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        } catch (java.io.IOException | RuntimeException e) {
            // No boot id: every dirty file counts as this boot's.
        }
        return id;
    }

    static int state(MemorySegment h) {
        return h.get(Layouts.INT, STATE_OFFSET);
    }

    static long mapLength(MemorySegment h) {
        return h.get(Layouts.LONG, MAP_LENGTH_OFFSET);
    }

    static long snapshotOffset(MemorySegment h) {
        return h.get(Layouts.LONG, SNAPSHOT_OFFSET);
    }

    static long snapshotLength(MemorySegment h) {
        return h.get(Layouts.LONG, SNAPSHOT_LENGTH_OFFSET);
    }

    static long snapshotChecksum(MemorySegment h) {
        return h.get(Layouts.LONG, SNAPSHOT_CHECKSUM_OFFSET);
    }

    /** Marks the file dirty: the snapshot no longer describes the map; records this boot. */
    static void markDirty(MemorySegment h) {
        h.set(Layouts.INT, STATE_OFFSET, DIRTY);
        MemorySegment.copy(BOOT_ID, 0, h, Layouts.BYTE, BOOT_ID_OFFSET, BOOT_ID.length);
        h.set(Layouts.LONG, SNAPSHOT_OFFSET, 0L);
        h.set(Layouts.LONG, SNAPSHOT_LENGTH_OFFSET, 0L);
        h.set(Layouts.LONG, SNAPSHOT_CHECKSUM_OFFSET, 0L);
        seal(h);
    }

    /** Marks the file clean, with the snapshot at {@code off} of the map's memory. */
    static void markClean(MemorySegment h, long mapLength, long off, long length, long checksum) {
        h.set(Layouts.LONG, MAP_LENGTH_OFFSET, mapLength);
        h.set(Layouts.LONG, SNAPSHOT_OFFSET, off);
        h.set(Layouts.LONG, SNAPSHOT_LENGTH_OFFSET, length);
        h.set(Layouts.LONG, SNAPSHOT_CHECKSUM_OFFSET, checksum);
        h.set(Layouts.INT, STATE_OFFSET, CLEAN);
        seal(h);
    }

    /** Records a new map length (the file grew). */
    static void setMapLength(MemorySegment h, long mapLength) {
        h.set(Layouts.LONG, MAP_LENGTH_OFFSET, mapLength);
        seal(h);
    }

    private static void seal(MemorySegment h) {
        h.set(Layouts.LONG, CHECKSUM_OFFSET, checksum(h));
    }

    static long checksum(MemorySegment h) {
        return crc(h.asSlice(0, CHECKSUM_OFFSET));
    }

    /** CRC32C of a segment's bytes. */
    static long crc(MemorySegment s) {
        CRC32C c = new CRC32C();
        c.update(s.asByteBuffer());
        return c.getValue();
    }

    private static void putText(MemorySegment h, long off, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > TEXT) throw new IllegalArgumentException("type name too long for the file header: " + s);
        MemorySegment.copy(b, 0, h, Layouts.BYTE, off, b.length);
    }

    private static String text(MemorySegment h, long off) {
        byte[] b = h.asSlice(off, TEXT).toArray(Layouts.BYTE);
        int n = 0;
        while (n < b.length && b[n] != 0) n++;
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }
}
