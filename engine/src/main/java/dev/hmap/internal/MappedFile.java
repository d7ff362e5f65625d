// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import dev.hmap.OffHeapOutOfMemoryError;

import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.hmap.internal.MapMemory.HUGE_PAGE;
import static dev.hmap.internal.MapMemory.PAGE;
import static dev.hmap.internal.MapMemory.alignUp;

/**
 * A map's file, mapped shared: its {@link FileHeader} page, then the map's memory. The descriptor, the
 * lock and the mappings; what lies in the bytes is the business of {@link Reservation} and the map.
 *
 * <pre>
 *  address space reserved at base (PROT_NONE until mapped)
 *  base       base + PAGE                         base + PAGE + mapLength      base + span
 *  +----------+-------------------------------------+----------------------------+
 *  | header   | the map's memory (offset 0 = hmap   | reserved, not mapped:      |
 *  | page     | header), file offsets PAGE..        | the file grows into it     |
 *  +----------+-------------------------------------+----------------------------+
 *  \___________ one MAP_SHARED mapping of the file __/
 * </pre>
 *
 * <ul>
 *   <li><b>Opened through libc</b> ({@code open}, {@code flock}, {@code posix_fallocate}, {@code mmap}):
 *       FileChannel offers no {@code flock} and hides its descriptor, and the JDK's locks ({@code fcntl})
 *       are dropped when any descriptor of the process for the same file closes.</li>
 *   <li><b>One writer, or readers.</b> A read-write open holds {@code flock(LOCK_EX)}, a read-only one
 *       {@code flock(LOCK_SH)}, for as long as it is open. The lock belongs to the open file description,
 *       so a second open that conflicts fails whether it comes from another process or from this JVM,
 *       and the kernel drops the lock when its holder dies.</li>
 *   <li><b>Space is reserved before it is used.</b> The file grows with {@code posix_fallocate}, so a
 *       full disk fails that call, as an {@link OffHeapOutOfMemoryError}, instead of a later write to the
 *       mapping with SIGBUS. Freed space stays in the file: nothing is punched out.</li>
 *   <li><b>Growth in place.</b> The file grows into address space reserved after its mapping, so
 *       offsets and addresses stay put; past that reservation the whole file is mapped again, larger, and
 *       the old mapping stays until close, for threads that still hold it (both map the same pages).</li>
 * </ul>
 *
 * <p>Not thread-safe: the owning map serializes all calls.
 */
final class MappedFile {
    final Path path;
    final boolean readOnly;
    /** Read-only beside a live writer: no lock held, the mapping follows the file's growth ({@link #follow}). */
    final boolean shared;
    private final boolean created;
    /** This open lays out a new map (see {@link #isNew}). */
    private boolean fresh;
    private int fd;
    private long base, span, mapLength;
    private long[] oldMappings = new long[0]; // (address, length) pairs unmapped at close
    private boolean closed;

    private MappedFile(Path path, boolean readOnly, boolean shared, boolean created, int fd) {
        this.path = path;
        this.readOnly = readOnly;
        this.shared = shared;
        this.created = created;
        this.fd = fd;
    }

    /**
     * Opens {@code path}, creating it (or filling an empty file) as a map of {@code mapBytes} bytes when
     * it is missing or empty and not read-only. Takes the writer's lock for read-write, and checks the
     * header against {@code id} before anything is written: a file that is not a valid map of this type
     * is refused unchanged.
     *
     * @throws IllegalArgumentException a file that is not a valid hmap file of this type (the message names file and problem)
     * @throws IllegalStateException another writer holds the file
     * @throws UncheckedIOException the file cannot be opened, read or grown
     */
    static MappedFile open(Path path, boolean readOnly, boolean shared, FileHeader.Identity id, long mapBytes) {
        path = path.toAbsolutePath();
        boolean existed = Files.exists(path);
        if (readOnly && !existed) throw io(path, "cannot be opened read-only: it does not exist", Native.ENOENT);
        Native.Result r = Native.open(path.toString(),
                (readOnly ? Native.O_RDONLY : Native.O_RDWR | Native.O_CREAT) | Native.O_CLOEXEC, 0644);
        if (r.value() < 0) throw io(path, "cannot be opened", r.errno());
        MappedFile f = new MappedFile(path, readOnly, shared, !existed, (int) r.value());
        try {
            f.lockAndMap(id, mapBytes);
            return f;
        } catch (RuntimeException | Error e) {
            f.abandon();
            throw e;
        }
    }

    private void lockAndMap(FileHeader.Identity id, long mapBytes) {
        Native.Result l = shared ? new Native.Result(0, 0)
                : Native.flock(fd, (readOnly ? Native.LOCK_SH : Native.LOCK_EX) | Native.LOCK_NB);
        if (l.errno() == Native.EAGAIN) {
            throw new IllegalStateException(readOnly
                    ? "cannot open " + path + " read-only: a writer has it open (in this or another process); "
                            + "shared(true) opens it beside its writer"
                    : "cannot open " + path + " read-write: it is already open (in this or another process); a map "
                            + "file has one writer, and no read-only (not shared) readers while the writer has it open");
        }
        if (l.value() != 0) throw io(path, "cannot be locked", l.errno());
        long size = fileSize();
        if (size == 0 && !readOnly) {
            create(id, mapBytes);
            return;
        }
        // Read the header through a read-only mapping of its page: nothing is written before it checks out.
        String problem;
        long mapLen;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = size < FileHeader.SIZE ? null : mapHeaderReadOnly(a);
            problem = h == null ? FileHeader.problem(MemorySegment.NULL, size, id) : FileHeader.problem(h, size, id);
            mapLen = h == null ? 0 : FileHeader.mapLength(h);
        }
        if (problem != null) throw new IllegalArgumentException("cannot open " + path + " as a " + id.mapType() + ": " + problem);
        // Address space to grow into, as for a new file (a read-only map never grows; a shared one follows).
        reserveAndMap(mapLen, readOnly && !shared ? mapLen : Math.max(MapMemory.MIN_RESERVATION, 4 * mapLen));
    }

    /** A new map's file: space reserved, header written (dirty). */
    private void create(FileHeader.Identity id, long mapBytes) {
        long len = alignUp(Math.max(mapBytes, MapMemory.SMALL_ZONE), HUGE_PAGE);
        fresh = true;
        allocate(0, FileHeader.SIZE + len);
        reserveAndMap(len, Math.max(MapMemory.MIN_RESERVATION, 4 * len));
        FileHeader.init(header(), id, len);
    }

    private MemorySegment mapHeaderReadOnly(Arena a) {
        Native.Result m = Native.mmap(0, FileHeader.SIZE, Native.PROT_READ, Native.MAP_SHARED, fd, 0);
        if (m.value() == -1L) throw io(path, "cannot be mapped", m.errno());
        long addr = m.value();
        return MemorySegment.ofAddress(addr).reinterpret(FileHeader.SIZE, a, s -> Native.munmap(addr, FileHeader.SIZE));
    }

    /** Reserves address space for {@code want} bytes of map and maps the file's first {@code mapLen} into it. */
    private void reserveAndMap(long mapLen, long want) {
        long spanWanted = alignUp(FileHeader.SIZE + Math.max(mapLen, want), HUGE_PAGE);
        long addr = Reservation.reserveAddressSpace(spanWanted, spanWanted);
        mapAt(addr, FileHeader.SIZE + mapLen);
        base = addr;
        span = spanWanted;
        mapLength = mapLen;
    }

    /** Maps the file's first {@code bytes} at {@code addr} (inside address space reserved there). */
    private void mapAt(long addr, long bytes) {
        int prot = readOnly ? Native.PROT_READ : Native.PROT_READ | Native.PROT_WRITE;
        Native.Result m = Native.mmap(addr, bytes, prot, Native.MAP_SHARED | Native.MAP_FIXED, fd, 0);
        if (m.value() == -1L) {
            Native.munmap(addr, span == 0 ? bytes : span);
            throw io(path, "cannot be mapped", m.errno());
        }
    }

    /** The file's header page. */
    MemorySegment header() {
        return MemorySegment.ofAddress(base).reinterpret(FileHeader.SIZE);
    }

    /** Whether this open made the map (a missing or empty file): its memory is all zero. */
    boolean isNew() {
        return fresh;
    }

    /** Address of the map's memory (offset 0, the hmap header). */
    long mapBase() {
        return base + FileHeader.SIZE;
    }

    /** Bytes of the map's memory mapped: the file's length after its header page. */
    long mapLength() {
        return mapLength;
    }

    /**
     * Makes at least {@code needed} bytes of map memory exist and be mapped, reserving their disk space
     * first. Grows by an eighth at least (1 GiB at most), so a growing map rarely waits on it.
     *
     * @throws OffHeapOutOfMemoryError when the disk or the address space cannot hold it; nothing changes then
     */
    void ensure(long needed) {
        if (needed <= mapLength) return;
        long len = alignUp(Math.max(needed, mapLength + Math.min(Math.max(mapLength / 8, HUGE_PAGE), 1L << 30)), HUGE_PAGE);
        try {
            allocate(FileHeader.SIZE + mapLength, len - mapLength);
        } catch (UncheckedIOException e) {
            throw (OffHeapOutOfMemoryError) new OffHeapOutOfMemoryError("cannot grow " + path + " to "
                    + (FileHeader.SIZE + len) + " bytes: " + e.getMessage(), len - mapLength).initCause(e);
        }
        mapTo(len, Native.PROT_READ | Native.PROT_WRITE, alignUp(FileHeader.SIZE + Math.max(len, 4 * mapLength), HUGE_PAGE),
                len - mapLength, (how, errno) -> new OffHeapOutOfMemoryError("cannot map " + path + " " + how + " (mmap "
                        + Native.errnoName(errno) + ")", len));
        FileHeader.setMapLength(header(), len);
    }

    /**
     * Maps the file up to {@code len} bytes of map with {@code prot}: into the reserved space right after
     * the mapping when they fit there (same file offsets, same addresses), else the whole file again at a
     * new reservation of {@code want} bytes ({@code beyond} of them past what the map needs now), the old
     * mapping kept until close. On failure nothing changes, and {@code fail} makes the exception from
     * "further" or "again" and the errno.
     */
    private <E extends Throwable> void mapTo(long len, int prot, long want, long beyond,
                                             java.util.function.BiFunction<String, Integer, E> fail) throws E {
        if (FileHeader.SIZE + len <= span) {
            Native.Result m = Native.mmap(base + FileHeader.SIZE + mapLength, len - mapLength, prot,
                    Native.MAP_SHARED | Native.MAP_FIXED, fd, FileHeader.SIZE + mapLength);
            if (m.value() == -1L) throw fail.apply("further", m.errno());
        } else {
            long addr = Reservation.reserveAddressSpace(want, beyond);
            Native.Result m = Native.mmap(addr, FileHeader.SIZE + len, prot, Native.MAP_SHARED | Native.MAP_FIXED, fd, 0);
            if (m.value() == -1L) {
                Native.munmap(addr, want);
                throw fail.apply("again", m.errno());
            }
            oldMappings = Reservation.withRange(oldMappings, base, span);
            base = addr;
            span = want;
        }
        mapLength = len;
    }

    /** Reserves disk space for [offset, offset + length) of the file, growing it. */
    private void allocate(long offset, long length) {
        Native.Result r = Native.fallocate(fd, offset, length);
        if (r.errno() == Native.EOPNOTSUPP || r.errno() == Native.EINVAL) {
            // A file system without fallocate: grow the file sparse (a full disk then shows as SIGBUS).
            r = Native.ftruncate(fd, offset + length);
        }
        if (r.errno() != 0) throw io(path, "cannot be grown to " + (offset + length) + " bytes", r.errno());
    }

    /** Whether the file is now shorter than what is mapped of it (another program truncated it). */
    boolean truncated() {
        try {
            return fileSize() < FileHeader.SIZE + mapLength;
        } catch (UncheckedIOException e) {
            return true; // gone
        }
    }

    String describeTruncation() {
        long size;
        try {
            size = fileSize();
        } catch (UncheckedIOException e) {
            return "it can no longer be read: " + e.getMessage();
        }
        return "it has " + size + " bytes, the map had mapped " + (FileHeader.SIZE + mapLength);
    }

    private long fileSize() {
        try {
            return Files.size(path);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a writer holds the file (shared readers: a probe of its lock, which dies with it). */
    boolean writerAlive() {
        Native.Result l = Native.flock(fd, Native.LOCK_SH | Native.LOCK_NB);
        if (l.value() != 0) return true; // EWOULDBLOCK: the writer's LOCK_EX
        Native.flock(fd, Native.LOCK_UN);
        return false;
    }

    /**
     * A shared reader: maps what the writer added to the file since, as its header says; false if the
     * file did not grow. Past the reserved address space the whole file is mapped again, and the old
     * mapping stays until close.
     */
    boolean follow() {
        long len = FileHeader.mapLength(header());
        if (len <= mapLength) return false;
        mapTo(len, Native.PROT_READ, alignUp(FileHeader.SIZE + 4 * len, HUGE_PAGE), len,
                (how, errno) -> io(path, "cannot be mapped " + how, errno));
        return true;
    }

    /** Forces [off, off + len) of the map's memory, and the header page, to storage; then the file's metadata. */
    void sync(long off, long len) {
        if (len > 0) msync(mapBase() + off, len);
        msync(base, FileHeader.SIZE);
        Native.Result r = Native.fsync(fd);
        if (r.errno() != 0) throw io(path, "cannot be synced", r.errno());
    }

    /** Forces the header page to storage. */
    void syncHeader() {
        msync(base, FileHeader.SIZE);
    }

    private void msync(long addr, long len) {
        long a = addr & -PAGE;
        Native.Result r = Native.msync(a, alignUp(addr + len, PAGE) - a, Native.MS_SYNC);
        if (r.errno() != 0) throw io(path, "cannot be synced (msync)", r.errno());
    }

    /** Unmaps everything and closes the descriptor, which drops the lock. Idempotent. */
    void close() {
        if (closed) return;
        for (int i = 0; i < oldMappings.length; i += 2) Native.munmap(oldMappings[i], oldMappings[i + 1]);
        oldMappings = new long[0];
        finish();
    }

    /** A new map whose making failed: {@link #close} leaves the file as this open found it (missing or empty). */
    void discardOnClose() {
        discard = fresh;
    }

    private boolean discard;

    /** A failed open: unmapped, closed, and a file this open made left as it found it. */
    private void abandon() {
        discard |= fresh;
        finish();
    }

    private void finish() {
        if (base != 0) Native.munmap(base, span);
        base = 0;
        if (discard && !created && fd >= 0) Native.ftruncate(fd, 0); // an empty file stays empty
        if (fd >= 0) Native.close(fd); // drops the lock
        fd = -1;
        closed = true;
        if (discard && created) {
            try {
                Files.deleteIfExists(path);
            } catch (java.io.IOException ignored) {
                // best effort: the caller gets the original failure
            }
        }
    }

    private static UncheckedIOException io(Path path, String what, int errno) {
        return new UncheckedIOException(new java.io.IOException(path + " " + what + " (" + Native.errnoName(errno) + ")"));
    }
}
