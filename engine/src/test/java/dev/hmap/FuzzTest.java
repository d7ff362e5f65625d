// SPDX-License-Identifier: Apache-2.0
package dev.hmap;

import dev.hmap.MapImpls.Impl;
import dev.hmap.MapUnderTest.Cur;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 5, long fuzzing: seeded command streams (put, putIfAbsent, get, remove, clear, full iteration,
 * cursor under mutation with setValue/remove/puts/removes/clear, and addTo/merge on maps) against
 * java.util.HashMap over every type, with MapCore.checkInvariants after every command. Small hints,
 * key ranges and bursts of inserts right before cursors make growth and evacuation happen mid-iteration.
 *
 * <p>Budget: {@value #DEFAULT_SECONDS} s over all types by default; {@code -Dhmap.fuzz.minutes=N} for a long
 * run. A failure is shrunk (delta debugging over commands) and printed with its seed and minimal stream;
 * replay the latter with {@code -Dhmap.fuzz.replay='<stream>'} (the test replayFromProperty runs it).
 * Stream format: {@code Impl/h<hint>/s<builder seed>/cmd,cmd,...}; see {@link Cmd#parse}.
 */
class FuzzTest {
    static final double DEFAULT_SECONDS = 24;
    static final double SECONDS = Double.parseDouble(System.getProperty("hmap.fuzz.minutes", "0")) * 60;
    static final long SEED = ConformanceSuite.RUN_SEED;
    static final AtomicLong OPS = new AtomicLong(), STREAMS = new AtomicLong();

    /**
     * One command. op: P put, I putIfAbsent, G get, R remove, A addTo, M merge (b = merger), C clear,
     * T iterate all, U cursor under mutation (a = steps, b = sub-seed, v = key range). Keys are raw
     * longs folded by the implementation.
     */
    record Cmd(char op, long a, long v, long b) {
        @Override
        public String toString() {
            return switch (op) {
                case 'C', 'T' -> String.valueOf(op);
                case 'G', 'R' -> op + Long.toString(a);
                case 'P', 'I', 'A' -> op + Long.toString(a) + "=" + v;
                default -> op + Long.toString(a) + "=" + v + "." + b;
            };
        }

        static Cmd parse(String s) {
            char op = s.charAt(0);
            String[] p = s.substring(1).split("[=.]");
            long a = p[0].isEmpty() ? 0 : Long.parseLong(p[0]);
            return new Cmd(op, a, p.length > 1 ? Long.parseLong(p[1]) : 0, p.length > 2 ? Long.parseLong(p[2]) : 0);
        }
    }

    /** A stream: the implementation, its hint and builder seed, and the commands. */
    record Stream(Impl impl, long hint, int mapSeed, List<Cmd> cmds) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(impl.name() + "/h" + hint + "/s" + mapSeed + "/");
            for (int i = 0; i < cmds.size(); i++) sb.append(i == 0 ? "" : ",").append(cmds.get(i));
            return sb.toString();
        }

        static Stream parse(String s) {
            String[] p = s.split("/", 4);
            Impl impl = MapImpls.named(p[0]);
            List<Cmd> cmds = new ArrayList<>();
            if (p.length > 3 && !p[3].isEmpty()) for (String c : p[3].split(",")) cmds.add(Cmd.parse(c));
            return new Stream(impl, Long.parseLong(p[1].substring(1)), Integer.parseInt(p[2].substring(1)), cmds);
        }

        Stream with(List<Cmd> c) {
            return new Stream(impl, hint, mapSeed, c);
        }
    }

    /** A random stream of n commands: phases of a key range, insert bursts before cursors. */
    static Stream generate(Impl impl, long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        long hint = r.nextInt(4) == 0 ? r.nextInt(0, 2000) : r.nextInt(0, 17);
        List<Cmd> cmds = new ArrayList<>();
        long range = 16;
        boolean map = impl.wordValues(); // addTo and merge
        while (cmds.size() < n) {
            if (r.nextInt(200) == 0) range = new long[] {8, 16, 200, 3000, 20_000}[r.nextInt(5)];
            long k = r.nextLong(-range, range), v = r.nextInt(-1000, 1000);
            int op = r.nextInt(100);
            if (op < 30) cmds.add(new Cmd('P', k, v, 0));
            else if (op < 35) cmds.add(new Cmd('I', k, v, 0));
            else if (op < 50) cmds.add(new Cmd('G', k, 0, 0));
            else if (op < 68) cmds.add(new Cmd('R', k, 0, 0));
            else if (op < 74 && map) cmds.add(new Cmd('A', k, v, 0));
            else if (op < 78 && map) cmds.add(new Cmd('M', k, v, r.nextInt(DifferentialTest.MERGERS.length)));
            else if (op < 79 && r.nextInt(4) == 0) cmds.add(new Cmd('C', 0, 0, 0));
            else if (op < 82) cmds.add(new Cmd('T', 0, 0, 0));
            else if (op < 86) {
                // A burst of fresh inserts first, so the cursor opens on a map that is about to grow.
                for (int i = r.nextInt(40); i > 0; i--) cmds.add(new Cmd('P', r.nextLong(-4 * range, 4 * range), i, 0));
                cmds.add(new Cmd('U', r.nextInt(1, 200), 4 * range, r.nextInt(1 << 20)));
            } else {
                cmds.add(new Cmd('P', r.nextLong(-4 * range, 4 * range), v, 0));
            }
        }
        return new Stream(impl, hint, r.nextInt(), cmds.subList(0, n));
    }

    /** Runs a stream against HashMap; throws (AssertionError or the engine's exception) on a mismatch. */
    static long run(Stream s) {
        Impl impl = s.impl;
        long ops = 0;
        try (MapUnderTest m = impl.build(s.hint, 0, s.mapSeed)) {
            Map<Long, Long> ref = new HashMap<>();
            for (int i = 0; i < s.cmds.size(); i++) {
                Cmd c = s.cmds.get(i);
                long k = impl.key(c.a), v = impl.value(c.v);
                String at = "command " + i + " (" + c + ")";
                switch (c.op) {
                    case 'P' -> expect(absent(ref.put(k, v)), m.put(k, v), at);
                    case 'I' -> expect(absent(ref.putIfAbsent(k, v)), m.putIfAbsent(k, v), at);
                    case 'G' -> expect(absent(ref.get(k)), m.get(k), at);
                    case 'R' -> expect(absent(ref.remove(k)), m.remove(k), at);
                    case 'A' -> {
                        long prev = absent(ref.get(k));
                        ref.put(k, impl.sum(prev, v));
                        expect(prev, m.addTo(k, v), at);
                    }
                    case 'M' -> {
                        Long prev = ref.get(k);
                        long want = prev == null ? v : impl.sum(DifferentialTest.MERGERS[(int) c.b].applyAsLong(prev, v), 0);
                        ref.put(k, want);
                        expect(want, m.merge(k, v, DifferentialTest.MERGERS[(int) c.b]), at);
                    }
                    case 'C' -> {
                        ref.clear();
                        m.clear();
                    }
                    case 'T' -> ops += iterate(m, ref, at);
                    case 'U' -> ops += cursorUnderMutation(m, ref, c, at);
                    default -> throw new IllegalArgumentException("unknown command " + c);
                }
                ops++;
                m.core().checkInvariants();
                expect(ref.size(), m.size(), at + ": size");
            }
            Map<Long, Long> contents = new HashMap<>();
            m.forEach(contents::put);
            if (!contents.equals(ref)) throw new AssertionError("final contents differ from HashMap");
        }
        return ops;
    }

    static long absent(Long v) {
        return v == null ? 0 : v;
    }

    static void expect(long want, long got, String at) {
        if (want != got) throw new AssertionError(at + ": got " + got + ", HashMap says " + want);
    }

    static long iterate(MapUnderTest m, Map<Long, Long> ref, String at) {
        Set<Long> seen = new HashSet<>();
        Cur c = m.cursor();
        while (c.next()) {
            long k = c.key();
            if (!seen.add(k)) throw new AssertionError(at + ": key " + k + " visited twice");
            if (!ref.containsKey(k)) throw new AssertionError(at + ": visited absent key " + k);
            expect(ref.get(k), c.value(), at + ": value of " + k);
        }
        expect(ref.size(), seen.size(), at + ": keys visited");
        return seen.size();
    }

    /**
     * Go's iteration guarantees while the map changes under the cursor: a key present for the cursor's
     * whole life is visited exactly once; a visited key is present with its current value; a key is
     * visited twice only if it was removed after its first visit and inserted again; after clear() the
     * cursor ends.
     */
    static long cursorUnderMutation(MapUnderTest m, Map<Long, Long> ref, Cmd cmd, String at) {
        Impl impl = m.impl();
        SplittableRandom r = new SplittableRandom(cmd.b);
        Set<Long> stable = new HashSet<>(ref.keySet()), seen = new HashSet<>(), revisitable = new HashSet<>();
        Cur c = m.cursor();
        long ops = 0;
        for (int step = 0; step < cmd.a; step++) {
            if (!c.next()) break;
            long k = c.key();
            if (!seen.add(k) && !revisitable.remove(k)) throw new AssertionError(at + ": step " + step + " visited " + k + " twice");
            if (!ref.containsKey(k)) throw new AssertionError(at + ": step " + step + " visited absent key " + k);
            expect(ref.get(k), c.value(), at + ": step " + step + " value of " + k);
            int op = r.nextInt(100);
            long x = impl.key(r.nextLong(-cmd.v, cmd.v));
            if (op < 40) {
                long v = impl.value(r.nextInt(1000));
                if (!ref.containsKey(x)) {
                    stable.remove(x);
                    if (seen.contains(x)) revisitable.add(x);
                }
                expect(absent(ref.put(x, v)), m.put(x, v), at + ": step " + step + " put " + x);
            } else if (op < 60) {
                stable.remove(x);
                expect(absent(ref.remove(x)), m.remove(x), at + ": step " + step + " remove " + x);
            } else if (op < 70 && !impl.isSet()) { // setValue
                long v = impl.value(r.nextInt(1000));
                c.setValue(v);
                ref.put(k, v);
            } else if (op < 80) {
                c.remove();
                ref.remove(k);
                stable.remove(k);
            } else if (op == 80 && r.nextInt(8) == 0) {
                m.clear();
                ref.clear();
                if (c.next()) throw new AssertionError(at + ": the cursor went on after clear()");
                return ops + 1;
            }
            ops += 2;
        }
        while (c.next()) { // the rest without changes
            long k = c.key();
            if (!seen.add(k) && !revisitable.remove(k)) throw new AssertionError(at + ": visited " + k + " twice");
            if (!ref.containsKey(k)) throw new AssertionError(at + ": visited absent key " + k);
            ops++;
        }
        for (long k : stable) if (!seen.contains(k)) throw new AssertionError(at + ": key " + k + " present throughout was never visited");
        return ops;
    }

    // ------------------------------------------------------------------ shrinking

    static boolean fails(Stream s) {
        try {
            run(s);
            return false;
        } catch (Throwable t) {
            return true;
        }
    }

    /** Delta debugging over commands (ddmin), bounded in time: the smallest failing stream it finds. */
    static Stream shrink(Stream s) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        List<Cmd> cur = s.cmds;
        int chunks = 2;
        while (cur.size() >= 2 && System.nanoTime() < deadline) {
            int size = (cur.size() + chunks - 1) / chunks;
            boolean reduced = false;
            for (int start = 0; start < cur.size() && System.nanoTime() < deadline; start += size) {
                List<Cmd> without = new ArrayList<>(cur.subList(0, start));
                without.addAll(cur.subList(Math.min(cur.size(), start + size), cur.size()));
                if (fails(s.with(without))) {
                    cur = without;
                    chunks = Math.max(chunks - 1, 2);
                    reduced = true;
                    break;
                }
            }
            if (!reduced) {
                if (size == 1) break;
                chunks = Math.min(cur.size(), chunks * 2);
            }
        }
        return s.with(cur);
    }

    static void runOrReport(Stream s, String origin) {
        try {
            OPS.addAndGet(run(s));
            STREAMS.incrementAndGet();
        } catch (Throwable t) {
            Stream min = shrink(s);
            String minimal = min.toString();
            String why;
            try {
                run(min);
                why = "(the minimal stream passes alone?)";
            } catch (Throwable t2) {
                why = t2.toString();
            }
            AssertionError e = new AssertionError(s.impl + " " + origin + " failed: " + t + "\nminimal stream ("
                    + min.cmds.size() + " of " + s.cmds.size() + " commands) fails with: " + why
                    + "\nreplay: -Dhmap.fuzz.replay='" + minimal + "' -Dtest=FuzzTest#replayFromProperty", t);
            throw e;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.hmap.ConformanceSuite#all")
    void fuzz(Impl impl) {
        double seconds = (SECONDS > 0 ? SECONDS : DEFAULT_SECONDS) / MapImpls.ALL.size();
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        SplittableRandom seeds = new SplittableRandom(SEED ^ impl.name().hashCode());
        long before = OPS.get();
        int streams = 0;
        do {
            long seed = seeds.nextLong();
            int len = streams % 4 == 3 ? 3000 : 400;
            runOrReport(generate(impl, seed, len), "stream seed=" + seed + " len=" + len + " (run seed " + SEED + ")");
            streams++;
        } while (System.nanoTime() < deadline);
        System.out.printf("[fuzz] %s: %d streams, %d operations (run seed %d)%n", impl, streams, OPS.get() - before, SEED);
    }

    /** A stream printed by a failure: {@code -Dhmap.fuzz.replay='LongLongMap/h0/s5/P1=2,U3=64.77'}. */
    @Test
    void replayFromProperty() {
        String s = System.getProperty("hmap.fuzz.replay");
        Assumptions.assumeTrue(s != null, "-Dhmap.fuzz.replay=<stream> not given");
        run(Stream.parse(s));
    }

    /** The replay format round-trips, and the fuzzer catches a wrong reference (so it can fail). */
    @Test
    void streamsRoundTripAndShrink() {
        Stream s = generate(MapImpls.named("StringLongMap"), 99, 300);
        org.junit.jupiter.api.Assertions.assertEquals(s.toString(), Stream.parse(s.toString()).toString());
        // A stream whose U command carries an unknown op fails; shrinking keeps exactly that command.
        List<Cmd> bad = new ArrayList<>(s.cmds);
        bad.add(150, new Cmd('X', 0, 0, 0));
        Stream min = shrink(s.with(bad));
        org.junit.jupiter.api.Assertions.assertEquals("StringLongMap/h" + s.hint + "/s" + s.mapSeed + "/X0=0.0", min.toString());
    }

    @AfterAll
    static void report() {
        System.out.println("[fuzz] total: " + STREAMS.get() + " streams, " + OPS.get() + " operations (run seed " + SEED + ")");
    }
}
