// SPDX-License-Identifier: Apache-2.0
package dev.hmap.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few Linux system calls hmap needs, bound once through the FFM {@link Linker}.
 *
 * <p>hmap maps its own memory instead of using {@code malloc} so that (1) memory fresh from the kernel
 * is already zero, which lets a new bucket array be used without a zeroing loop on the put path,
 * (2) freed ranges go back with {@code madvise(MADV_DONTNEED)} and read as zero afterwards, and
 * (3) large arrays can ask for transparent huge pages ({@code MADV_HUGEPAGE}), which removes most TLB
 * misses from lookups in maps of hundreds of megabytes.
 *
 * <p>Every call captures {@code errno}, so a failure becomes an exception that names the cause.
 */
final class Native {
    private Native() {}

    static final int PROT_READ = 1, PROT_WRITE = 2;
    static final int MAP_PRIVATE = 0x02, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20, MAP_NORESERVE = 0x4000;
    static final int MADV_DONTNEED = 4, MADV_HUGEPAGE = 14, MADV_POPULATE_WRITE = 23;
    static final int MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2, MREMAP_DONTUNMAP = 4;
    static final int EINVAL = 22;
    // Files (see MappedFile).
    static final int MAP_SHARED = 0x01, PROT_NONE = 0;
    static final int O_RDONLY = 0, O_RDWR = 2, O_CREAT = 0100, O_CLOEXEC = 02000000;
    static final int LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;
    static final int MS_SYNC = 4;
    static final int ENOENT = 2, EACCES = 13, EAGAIN = 11, ENOSPC = 28, EOPNOTSUPP = 95;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle MMAP = bind("mmap", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    private static final MethodHandle MUNMAP = bind("munmap", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
    private static final MethodHandle MADVISE = bind("madvise", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    // mremap is variadic after `flags`: the fifth argument (new_address) is the first variadic one.
    private static final MethodHandle MREMAP = bind("mremap", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_LONG), Linker.Option.firstVariadicArg(4));

    // open is variadic after `flags`: mode is the first variadic argument.
    private static final MethodHandle OPEN = bind("open", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT));
    private static final MethodHandle FTRUNCATE = bind("ftruncate", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    private static final MethodHandle POSIX_FALLOCATE = bind("posix_fallocate", FunctionDescriptor.of(
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
    private static final MethodHandle FSYNC = bind("fsync", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT));
    private static final MethodHandle MSYNC = bind("msync", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle FLOCK = bind("flock", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private static final MethodHandle SCHED_SETSCHEDULER = bind("sched_setscheduler", FunctionDescriptor.of(
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    static final int SCHED_IDLE = 5;

    private static final MethodHandle SYSCONF = bind("sysconf", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT));
    static final int SC_PAGESIZE = 30, SC_PHYS_PAGES = 85;

    /** Bytes of physical memory, or Long.MAX_VALUE if unknown. */
    static long physicalMemory() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CALL_STATE);
            long pages = (long) SYSCONF.invokeExact(state, SC_PHYS_PAGES);
            long size = (long) SYSCONF.invokeExact(state, SC_PAGESIZE);
            return pages > 0 && size > 0 ? pages * size : Long.MAX_VALUE;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static MethodHandle bind(String name, FunctionDescriptor fd, Linker.Option... extra) {
        MemorySegment symbol = LIBC.find(name).orElseThrow(
                () -> new UnsupportedOperationException("hmap needs libc's " + name + " (Linux)"));
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = CAPTURE_ERRNO;
        System.arraycopy(extra, 0, options, 1, extra.length);
        return LINKER.downcallHandle(symbol, fd, options);
    }

    /** The result of a call and the errno it left. */
    record Result(long value, int errno) {}

    static Result mmap(long addr, long length, int prot, int flags) {
        return mmap(addr, length, prot, flags, -1, 0L);
    }

    /** mmap of file descriptor {@code fd} from byte {@code offset} (-1 and 0 for anonymous memory). */
    static Result mmap(long addr, long length, int prot, int flags, int fd, long offset) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CALL_STATE);
            long r = (long) MMAP.invokeExact(state, addr, length, prot, flags, fd, offset);
            return new Result(r, r == -1L ? (int) ERRNO.get(state, 0L) : 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static Result munmap(long addr, long length) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CALL_STATE);
            int r = (int) MUNMAP.invokeExact(state, addr, length);
            return new Result(r, r != 0 ? (int) ERRNO.get(state, 0L) : 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static Result madvise(long addr, long length, int advice) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CALL_STATE);
            int r = (int) MADVISE.invokeExact(state, addr, length, advice);
            return new Result(r, r != 0 ? (int) ERRNO.get(state, 0L) : 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static Result mremap(long oldAddr, long oldSize, long newSize, int flags, long newAddr) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CALL_STATE);
            long r = (long) MREMAP.invokeExact(state, oldAddr, oldSize, newSize, flags, newAddr);
            return new Result(r, r == -1L ? (int) ERRNO.get(state, 0L) : 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** open(2); the result's value is the descriptor, or -1. */
    static Result open(String path, int flags, int mode) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CALL_STATE);
            int r = (int) OPEN.invokeExact(state, a.allocateFrom(path), flags, mode);
            return new Result(r, r < 0 ? (int) ERRNO.get(state, 0L) : 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static Result close(int fd) {
        return intCall(CLOSE, fd, 0, 0L);
    }

    static Result ftruncate(int fd, long length) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CALL_STATE);
            int r = (int) FTRUNCATE.invokeExact(state, fd, length);
            return new Result(r, r != 0 ? (int) ERRNO.get(state, 0L) : 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** posix_fallocate(3): the disk blocks of [offset, offset + length) are reserved; it returns the error number itself. */
    static Result fallocate(int fd, long offset, long length) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CALL_STATE);
            int r = (int) POSIX_FALLOCATE.invokeExact(state, fd, offset, length);
            return new Result(r, r);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static Result fsync(int fd) {
        return intCall(FSYNC, fd, 0, 0L);
    }

    static Result flock(int fd, int operation) {
        return intCall(FLOCK, fd, operation, 1L);
    }

    static Result msync(long addr, long length, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CALL_STATE);
            int r = (int) MSYNC.invokeExact(state, addr, length, flags);
            return new Result(r, r != 0 ? (int) ERRNO.get(state, 0L) : 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A call of (int) or (int, int) returning 0 or -1 with errno; {@code arity} 0 or 1 extra int. */
    private static Result intCall(MethodHandle h, int fd, int arg, long arity) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CALL_STATE);
            int r = arity == 0 ? (int) h.invokeExact(state, fd) : (int) h.invokeExact(state, fd, arg);
            return new Result(r, r != 0 ? (int) ERRNO.get(state, 0L) : 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A short name for an errno value in messages. */
    static String errnoName(int errno) {
        return switch (errno) {
            case ENOENT -> "ENOENT, no such file";
            case EACCES -> "EACCES, permission denied";
            case EAGAIN -> "EWOULDBLOCK, locked";
            case ENOSPC -> "ENOSPC, no space left on device";
            case EINVAL -> "EINVAL";
            case EOPNOTSUPP -> "EOPNOTSUPP";
            case 12 -> "ENOMEM";
            case 21 -> "EISDIR, a directory";
            case 27 -> "EFBIG, file too large";
            case 30 -> "EROFS, read-only file system";
            case 122 -> "EDQUOT, disk quota exceeded";
            default -> "errno " + errno;
        };
    }

    /**
     * Moves the calling thread to the SCHED_IDLE policy (pid 0 is the calling thread): it then runs only
     * on a CPU that nothing else wants, and never preempts a normal thread when it wakes up. Lowering a
     * thread's own priority needs no privilege.
     */
    static Result scheduleIdle() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CALL_STATE);
            MemorySegment param = a.allocate(ValueLayout.JAVA_INT); // struct sched_param { int sched_priority = 0; }
            int r = (int) SCHED_SETSCHEDULER.invokeExact(state, 0, SCHED_IDLE, param);
            return new Result(r, r != 0 ? (int) ERRNO.get(state, 0L) : 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException re) throw re;
        if (t instanceof Error e) throw e;
        throw new IllegalStateException(t);
    }
}
