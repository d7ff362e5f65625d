// Command goref writes Go 1.19 runtime map reference data for the hmap Java
// tests: how B evolves under inserts and make() hints, bucket layout sizes for
// a set of map types, and a few header snapshots after simple operations.
// It reads the runtime's private structures (hmap header, *maptype) with
// unsafe, so it only works with Go 1.19 on a 64-bit platform (linux/amd64).
// Nothing written depends on the random per-map hash seed: every observation
// is repeated on many fresh maps; the program panics if they disagree, except in
// header_after_ops.txt, where a seed-dependent field is written as "?".
//
// Regenerate (writes the four files into the given directory):
//
//	cd engine/src/test/go/goref
//	GO111MODULE=off /usr/lib/go-1.19/bin/go run main.go ../../resources/go119
package main

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"unsafe"
)

// ---- mirrors of Go 1.19 runtime structures (runtime/map.go, runtime/type.go) ----

// hmap mirrors runtime.hmap.
type hmap struct {
	count      int
	flags      uint8
	B          uint8
	noverflow  uint16
	hash0      uint32
	buckets    unsafe.Pointer
	oldbuckets unsafe.Pointer
	nevacuate  uintptr
	extra      unsafe.Pointer
}

// _type mirrors runtime._type.
type _type struct {
	size       uintptr
	ptrdata    uintptr
	hash       uint32
	tflag      uint8
	align      uint8
	fieldAlign uint8
	kind       uint8
	equal      unsafe.Pointer
	gcdata     unsafe.Pointer
	str        int32
	ptrToThis  int32
}

// maptype mirrors runtime.maptype.
type maptype struct {
	typ        _type
	key        *_type
	elem       *_type
	bucket     *_type
	hasher     unsafe.Pointer
	keysize    uint8
	elemsize   uint8
	bucketsize uint16
	flags      uint32 // 1 indirectkey, 2 indirectelem, 4 reflexivekey, 8 needkeyupdate, 16 hashMightPanic
}

// bmapOf mirrors the compiler-generated bucket type (reflectdata.MapBucketType)
// for inline keys/elems. The overflow field is uintptr or a pointer; both are 8 bytes.
type bmapOf[K, V any] struct {
	tophash  [8]uint8
	keys     [8]K
	elems    [8]V
	overflow unsafe.Pointer
}

const (
	bucketCnt     = 8
	loadFactorNum = 13
	loadFactorDen = 2
	maxAlloc      = 1 << 48 // runtime.maxAlloc on linux/amd64 (heapAddrBits = 48)
	kindMap       = 21
	kindMask      = 31
)

// header returns the runtime header of m (a map value is a *hmap).
func header[K comparable, V any](m map[K]V) *hmap {
	return *(**hmap)(unsafe.Pointer(&m))
}

// typeOf returns the runtime *maptype of the map stored in the interface.
func typeOf(m any) *maptype {
	t := (*maptype)((*[2]unsafe.Pointer)(unsafe.Pointer(&m))[0])
	if t.typ.kind&kindMask != kindMap {
		panic("not a map type")
	}
	return t
}

// overLoadFactor is runtime.overLoadFactor.
func overLoadFactor(count int, B uint8) bool {
	return count > bucketCnt && uintptr(count) > loadFactorNum*((uintptr(1)<<(B&63))/loadFactorDen)
}

// bForHint is the B-selection part of runtime.makemap, including the reset of
// hints whose bucket memory (hint * bucket size) would overflow or exceed maxAlloc.
func bForHint(hint int, bucketSize uintptr) uint8 {
	hi, mem := bits.Mul64(uint64(uintptr(hint)), uint64(bucketSize))
	if hi != 0 || mem > maxAlloc {
		hint = 0
	}
	B := uint8(0)
	for overLoadFactor(hint, B) {
		B++
	}
	return B
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// ---- output helpers ----

var outDir string

func writeFile(name string, lines []string) {
	data := strings.Join(lines, "\n") + "\n"
	if len(data) > 100_000 {
		panic(name + " too large")
	}
	if err := os.WriteFile(filepath.Join(outDir, name), []byte(data), 0o644); err != nil {
		panic(err)
	}
}

func check(cond bool, format string, args ...any) {
	if !cond {
		panic(fmt.Sprintf(format, args...))
	}
}

const trials = 20 // fresh maps (= fresh random hash seeds) per observation

// headerTrials is larger because some header fields differ only rarely between
// seeds (e.g. all 9 keys of make,insert9 land in one of the 2 buckets with p = 1/256);
// 5000 maps make such a field show up as ? on every run.
const headerTrials = 5000

// ---- a. B after n inserts ----

func bAfterInserts() []string {
	const maxN = 5000
	// ref[n] = B after n inserts; grow[n] = oldbuckets != nil after n inserts.
	var ref []uint8
	var grow []bool
	rng := rand.New(rand.NewSource(1))
	for trial := 0; trial < trials; trial++ {
		keys := make([]int64, maxN)
		for i := range keys {
			keys[i] = int64(i) // sequential keys for even trials
		}
		if trial%2 == 1 {
			for i, k := range rng.Perm(maxN) { // distinct pseudo-random keys for odd trials
				keys[i] = int64(k)*7919 - 1<<40
			}
		}
		m := make(map[int64]int64)
		bs := []uint8{header(m).B}
		gs := []bool{false}
		for _, k := range keys {
			m[k] = k
			h := header(m)
			bs = append(bs, h.B)
			gs = append(gs, h.oldbuckets != nil)
		}
		check(len(m) == maxN, "count")
		if ref == nil {
			ref, grow = bs, gs
			continue
		}
		for n := range bs {
			check(bs[n] == ref[n], "B after %d inserts varies with seed", n)
			if n == 0 || bs[n] != bs[n-1] {
				check(gs[n] == grow[n], "growing at transition %d varies with seed", n)
			}
		}
	}
	lines := []string{
		"# Go 1.19: m := make(map[int64]int64) (no hint), then n distinct keys inserted by m[k] = v, n = 0..5000.",
		"# Header B after the n-th insert (h.B is already the new B while incremental growth is in progress).",
		"# Only n = 0 and the n where B changes are listed; B is constant until the next line.",
		"# growing = 1 if h.oldbuckets != nil right after that insert (growth not finished yet).",
		"# Identical for sequential and random keys over " + fmt.Sprint(trials) + " fresh maps (hash seeds).",
		"# columns: n B growing",
	}
	for n := range ref {
		if n == 0 || ref[n] != ref[n-1] {
			lines = append(lines, fmt.Sprintf("%d %d %d", n, ref[n], b2i(grow[n])))
		}
	}
	return lines
}

// ---- b. B for make(map, hint) ----

// observeHint64 makes the map with a run-time (non-constant) hint and returns its
// header B, checking it against bForHint and across fresh maps.
func observeHint64(hint int) uint8 {
	want := bForHint(hint, uintptr(typeOf(map[int64]int64(nil)).bucketsize))
	n := trials
	if hint > 100_000 {
		n = 1 // large allocations: once is enough (B does not depend on the seed)
	}
	for i := 0; i < n; i++ {
		m := make(map[int64]int64, hint)
		B := header(m).B
		check(B == want, "hint %d: observed B=%d computed %d", hint, B, want)
	}
	return want
}

func observeHint32(hint int) uint8 {
	want := bForHint(hint, uintptr(typeOf(map[int32]int32(nil)).bucketsize))
	for i := 0; i < trials; i++ {
		m := make(map[int32]int32, hint)
		B := header(m).B
		check(B == want, "int32 hint %d: observed B=%d computed %d", hint, B, want)
	}
	return want
}

func bForHintFile() []string {
	bs64 := uintptr(typeOf(map[int64]int64(nil)).bucketsize)
	bs32 := uintptr(typeOf(map[int32]int32(nil)).bucketsize)
	lines := []string{
		"# Go 1.19: header B right after make(map[K]V, hint) with a run-time hint, before any insert.",
		"# Three kinds of data lines:",
		"#   <hint> <B>                   transitions for map[int64]int64, hint = 0..5000 (B constant until the next such line); all observed",
		"#   big <hint> <B> <source>      single hints for map[int64]int64; source = observed (real make, header read)",
		"#                                or computed (makemap's B loop re-implemented here, allocation would be too large)",
		"#   int32 <hint> <B> observed    spot checks for map[int32]int32: B does not depend on the key/elem type",
		"#                                (except where the maxAlloc cutoff below applies: it depends on bucketsize)",
		"# makemap resets hint to 0 when hint*bucketsize overflows or exceeds maxAlloc (1<<48 on linux/amd64);",
		"# negative hints are therefore treated as 0 (no panic). Every observed value also equals the computed one.",
		fmt.Sprintf("# bucketsize: map[int64]int64 = %d, map[int32]int32 = %d", bs64, bs32),
	}
	var prev uint8
	for hint := 0; hint <= 5000; hint++ {
		B := observeHint64(hint)
		if hint == 0 || B != prev {
			lines = append(lines, fmt.Sprintf("%d %d", hint, B))
		}
		prev = B
	}

	overLimit := func(bs uintptr) int { return int(maxAlloc/bs) + 1 } // smallest hint reset to 0
	big := []int{
		1 << 20, 1 << 24, 1 << 30, 13 << 27, 13<<27 + 1,
		overLimit(bs64), 1 << 50, math.MaxInt64,
		-1, -8, -9, -1000, math.MinInt64,
	}
	for _, hint := range big {
		B := bForHint(hint, bs64)
		mem := (uint64(1)<<B + uint64(1)<<B/16) * uint64(bs64) // buckets + preallocated overflow
		source := "computed"
		if mem < 2<<30 {
			B = observeHint64(hint)
			source = "observed"
			runtime.GC()
			debug.FreeOSMemory()
		}
		lines = append(lines, fmt.Sprintf("big %d %d %s", hint, B, source))
	}
	// the last hint not reset to 0 would need ~maxAlloc bytes: computed only
	lines = append(lines, fmt.Sprintf("big %d %d computed", overLimit(bs64)-1, bForHint(overLimit(bs64)-1, bs64)))

	for _, hint := range []int{0, 8, 9, 13, 14, 26, 27, 52, 53, 104, 105, 1000, 5000, 1 << 20, overLimit(bs32), -1} {
		lines = append(lines, fmt.Sprintf("int32 %d %d observed", hint, observeHint32(hint)))
	}
	return lines
}

// ---- c. bucket sizes ----

type typeCase struct {
	name   string
	m      any
	mirror uintptr // unsafe.Sizeof of a hand-written bucket mirror, 0 if none
}

func bucketSizes() []string {
	type indirect struct {
		tophash  [8]uint8
		keys     [8]*[129]byte
		elems    [8]int64
		overflow unsafe.Pointer
	}
	// hand-written bmap for map[int64]int64, exactly as the compiler builds it
	type bmapInt64Int64 struct {
		tophash  [8]uint8
		keys     [8]int64
		elems    [8]int64
		overflow uintptr
	}
	cases := []typeCase{
		{"map[int64]int64", map[int64]int64{}, unsafe.Sizeof(bmapInt64Int64{})},
		{"map[int32]int32", map[int32]int32{}, unsafe.Sizeof(bmapOf[int32, int32]{})},
		{"map[int32]int64", map[int32]int64{}, unsafe.Sizeof(bmapOf[int32, int64]{})},
		{"map[int64]int32", map[int64]int32{}, unsafe.Sizeof(bmapOf[int64, int32]{})},
		{"map[int32]float64", map[int32]float64{}, unsafe.Sizeof(bmapOf[int32, float64]{})},
		{"map[int64]float64", map[int64]float64{}, unsafe.Sizeof(bmapOf[int64, float64]{})},
		{"map[int32]struct{}", map[int32]struct{}{}, unsafe.Sizeof(bmapOf[int32, struct{}]{})},
		{"map[int64]struct{}", map[int64]struct{}{}, unsafe.Sizeof(bmapOf[int64, struct{}]{})},
		{"map[string]int64", map[string]int64{}, unsafe.Sizeof(bmapOf[string, int64]{})},
		{"map[string]int32", map[string]int32{}, unsafe.Sizeof(bmapOf[string, int32]{})},
		{"map[string]float64", map[string]float64{}, unsafe.Sizeof(bmapOf[string, float64]{})},
		{"map[string]struct{}", map[string]struct{}{}, unsafe.Sizeof(bmapOf[string, struct{}]{})},
		{"map[string]string", map[string]string{}, unsafe.Sizeof(bmapOf[string, string]{})},
		{"map[int64]string", map[int64]string{}, unsafe.Sizeof(bmapOf[int64, string]{})},
		{"map[int32]string", map[int32]string{}, unsafe.Sizeof(bmapOf[int32, string]{})},
		{"map[int8]int8", map[int8]int8{}, unsafe.Sizeof(bmapOf[int8, int8]{})},
		{"map[[129]byte]int64", map[[129]byte]int64{}, unsafe.Sizeof(indirect{})},
		{"map[int64][129]byte", map[int64][129]byte{}, unsafe.Sizeof(bmapOf[int64, *[129]byte]{})},
		{"map[[128]byte][128]byte", map[[128]byte][128]byte{}, unsafe.Sizeof(bmapOf[[128]byte, [128]byte]{})},
		{"map[int16][3]byte", map[int16][3]byte{}, unsafe.Sizeof(bmapOf[int16, [3]byte]{})},
		{"map[[3]uint16]int8", map[[3]uint16]int8{}, unsafe.Sizeof(bmapOf[[3]uint16, int8]{})},
		{"map[int64][0]byte", map[int64][0]byte{}, unsafe.Sizeof(bmapOf[int64, [0]byte]{})},
	}
	lines := []string{
		"# Go 1.19 linux/amd64: bucket layout read from the runtime *maptype of each map type.",
		"# keysize/elemsize = size of the key/elem slot in a bucket (8 = pointer when indirect, i.e. key or elem > 128 bytes).",
		"# bucketsize = 8 tophash bytes + 8 key slots + 8 elem slots + 8-byte overflow pointer (+ alignment padding).",
		"# Each bucketsize was cross-checked against maptype.bucket.size and unsafe.Sizeof of a Go struct mirroring the bucket.",
		"# columns: gotype keysize elemsize bucketsize indirectkey indirectelem",
	}
	for _, c := range cases {
		t := typeOf(c.m)
		check(uintptr(t.bucketsize) == t.bucket.size, "%s: bucketsize %d != bucket.size %d", c.name, t.bucketsize, t.bucket.size)
		check(c.mirror == uintptr(t.bucketsize), "%s: mirror %d != bucketsize %d", c.name, c.mirror, t.bucketsize)
		ik, ie := t.flags&1 != 0, t.flags&2 != 0
		check(ik == (t.key.size > 128) && ie == (t.elem.size > 128), "%s: indirect flags", c.name)
		lines = append(lines, fmt.Sprintf("%s %d %d %d %d %d", c.name, t.keysize, t.elemsize, t.bucketsize, b2i(ik), b2i(ie)))
	}
	return lines
}

// ---- d. header snapshots after simple operations (seed-independent fields only) ----

type snapshot struct{ count, flags, B, growing, extra int }

func snap(h *hmap) snapshot {
	return snapshot{h.count, int(h.flags), int(h.B), b2i(h.oldbuckets != nil), b2i(h.extra != nil)}
}

// preallocBuckets returns the total number of buckets allocated with the bucket
// array (2^B plus preallocated overflow buckets, rounded up to the malloc size
// class): the last preallocated bucket's overflow pointer points back to h.buckets.
func preallocBuckets(h *hmap, bucketsize uintptr) int {
	base := 1 << h.B
	if h.B < 4 {
		return base
	}
	for i := base; i < 4*base; i++ {
		ovf := *(*unsafe.Pointer)(unsafe.Add(h.buckets, uintptr(i+1)*bucketsize-8))
		if ovf == h.buckets {
			return i + 1
		}
	}
	panic("sentinel not found")
}

func headerAfterOps() []string {
	fill := func(m map[int64]int64, from, to int) {
		for k := from; k < to; k++ {
			m[int64(k)] = int64(k)
		}
	}
	scenarios := []struct {
		name string
		run  func() *hmap
	}{
		{"make", func() *hmap { return header(make(map[int64]int64)) }},
		{"make,insert8", func() *hmap { m := make(map[int64]int64); fill(m, 0, 8); return header(m) }},
		{"make,insert9", func() *hmap { m := make(map[int64]int64); fill(m, 0, 9); return header(m) }},
		{"make,insert9,overwrite9", func() *hmap { m := make(map[int64]int64); fill(m, 0, 9); fill(m, 0, 9); return header(m) }},
		{"make,insert13", func() *hmap { m := make(map[int64]int64); fill(m, 0, 13); return header(m) }},
		{"make,insert14", func() *hmap { m := make(map[int64]int64); fill(m, 0, 14); return header(m) }},
		{"make,insert100,delete100", func() *hmap {
			m := make(map[int64]int64)
			fill(m, 0, 100)
			for k := int64(0); k < 100; k++ {
				delete(m, k)
			}
			return header(m)
		}},
		{"make,insert100,deleteMissing", func() *hmap {
			m := make(map[int64]int64)
			fill(m, 0, 100)
			delete(m, -1)
			return header(m)
		}},
		{"make,insert8,range", func() *hmap {
			m := make(map[int64]int64)
			fill(m, 0, 8)
			for range m {
			}
			return header(m)
		}},
		{"make,insert8,range,insert1", func() *hmap { // grows 0->1 while iterator flag is set
			m := make(map[int64]int64)
			fill(m, 0, 8)
			for range m {
			}
			fill(m, 8, 9)
			return header(m)
		}},
		{"make,insert1000,clear", func() *hmap { // range-delete loop is compiled to runtime.mapclear
			m := make(map[int64]int64)
			fill(m, 0, 1000)
			for k := range m {
				delete(m, k)
			}
			return header(m)
		}},
		{"make(hint=100)", func() *hmap { h := 100; return header(make(map[int64]int64, h)) }},
		{"make(hint=1000)", func() *hmap { h := 1000; return header(make(map[int64]int64, h)) }},
		{"make(hint=1000),insert1000", func() *hmap { h := 1000; m := make(map[int64]int64, h); fill(m, 0, 1000); return header(m) }},
	}
	lines := []string{
		"# Go 1.19 map[int64]int64 header after simple operation sequences (keys 0,1,2,... unless noted).",
		"# A field that differed between " + fmt.Sprint(headerTrials) + " fresh maps (hash seeds) is written as ? (seed-dependent).",
		"# flags bits: 1 iterator, 2 oldIterator, 4 hashWriting, 8 sameSizeGrow. growing = oldbuckets != nil. extra = extra != nil.",
		"# columns: scenario count flags B growing extra",
	}
	for _, s := range scenarios {
		f := snap(s.run())
		vals := []int{f.count, f.flags, f.B, f.growing, f.extra}
		same := []bool{true, true, true, true, true}
		for i := 1; i < headerTrials; i++ {
			g := snap(s.run())
			for j, v := range []int{g.count, g.flags, g.B, g.growing, g.extra} {
				same[j] = same[j] && v == vals[j]
			}
		}
		line := s.name
		for j, v := range vals {
			if same[j] {
				line += fmt.Sprintf(" %d", v)
			} else {
				line += " ?" // depends on the hash seed
			}
		}
		lines = append(lines, line)
	}

	// Buckets allocated by makemap for a hint: 2^B + 2^(B-4) preallocated overflow
	// buckets (B >= 4), rounded up to the malloc size class / page size.
	bs := uintptr(typeOf(map[int64]int64(nil)).bucketsize)
	lines = append(lines,
		"# make(map[int64]int64, hint): total buckets in the initial allocation (2^B + 2^(B-4) overflow for B>=4,",
		"# rounded up to the Go malloc size class, so it is allocator-specific).",
		"# columns: alloc <hint> <B> <nbuckets>")
	for _, hint := range []int{8, 9, 53, 104, 105, 1000, 5000, 100_000} {
		var n, B int
		for i := 0; i < trials; i++ {
			h := header(make(map[int64]int64, hint))
			n, B = preallocBuckets(h, bs), int(h.B)
		}
		lines = append(lines, fmt.Sprintf("alloc %d %d %d", hint, B, n))
	}
	return lines
}

func main() {
	check(runtime.Version() == "go1.19" || strings.HasPrefix(runtime.Version(), "go1.19."), "needs Go 1.19, have %s", runtime.Version())
	check(unsafe.Sizeof(uintptr(0)) == 8, "needs a 64-bit platform")
	var h hmap
	check(unsafe.Offsetof(h.flags) == 8 && unsafe.Offsetof(h.B) == 9 && unsafe.Offsetof(h.noverflow) == 10 &&
		unsafe.Offsetof(h.hash0) == 12 && unsafe.Offsetof(h.buckets) == 16 && unsafe.Offsetof(h.oldbuckets) == 24 &&
		unsafe.Offsetof(h.nevacuate) == 32 && unsafe.Offsetof(h.extra) == 40, "hmap mirror layout")

	outDir = "."
	if len(os.Args) > 1 {
		outDir = os.Args[1]
	}
	check(os.MkdirAll(outDir, 0o755) == nil, "mkdir %s", outDir)

	writeFile("bucket_sizes.txt", bucketSizes())
	writeFile("b_after_inserts.txt", bAfterInserts())
	writeFile("b_for_hint.txt", bForHintFile())
	writeFile("header_after_ops.txt", headerAfterOps())
	fmt.Fprintln(os.Stderr, "wrote 4 files to", outDir)
}
