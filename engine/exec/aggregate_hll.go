package exec

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/gostream/gostream/engine/expr"
)

// approx_count_distinct is HyperLogLog++ as Spark computes it: values are
// hashed with XXH64 (seed 42) the way Spark hashes each type, the top p
// bits pick a register, and each register keeps the largest run of
// leading zeros (plus one) of the remaining bits, with
// p = ceil(2*log2(1.106/rsd)). Small cardinalities are estimated by
// linear counting below the HLL++ thresholds, as in Spark, so they are
// exact or nearly so; above them, instead of HLL++'s empirical bias
// tables, the estimate uses Ertl's improved raw estimator ("New
// cardinality estimation algorithms for HyperLogLog sketches", 2017),
// which needs no tables and has the same error bound.

// hllThresholds are the linear-counting thresholds of the HLL++ paper for
// p = 4 ... 18.
var hllThresholds = [...]float64{10, 20, 40, 80, 220, 400, 900, 1800, 3100, 6500, 11500, 20000, 50000, 120000, 350000}

const xxhSeed = 42

const (
	prime64_1 = 0x9E3779B185EBCA87
	prime64_2 = 0xC2B2AE3D27D4EB4F
	prime64_3 = 0x165667B19E3779F9
	prime64_4 = 0x85EBCA77C2B2AE63
	prime64_5 = 0x27D4EB2F165667C5
)

func xxhFmix(h uint64) uint64 {
	h ^= h >> 33
	h *= prime64_2
	h ^= h >> 29
	h *= prime64_3
	h ^= h >> 32
	return h
}

// xxhInt is XXH64 of a 4-byte value (Spark's XXH64.hashInt).
func xxhInt(v uint32, seed uint64) uint64 {
	h := seed + prime64_5 + 4
	h ^= uint64(v) * prime64_1
	h = bits.RotateLeft64(h, 23)*prime64_2 + prime64_3
	return xxhFmix(h)
}

// xxhLong is XXH64 of an 8-byte value (Spark's XXH64.hashLong).
func xxhLong(v uint64, seed uint64) uint64 {
	h := seed + prime64_5 + 8
	h ^= bits.RotateLeft64(v*prime64_2, 31) * prime64_1
	h = bits.RotateLeft64(h, 27)*prime64_1 + prime64_4
	return xxhFmix(h)
}

func xxhRound(acc, v uint64) uint64 {
	acc += v * prime64_2
	acc = bits.RotateLeft64(acc, 31)
	return acc * prime64_1
}

func xxhMerge(acc, v uint64) uint64 {
	acc ^= xxhRound(0, v)
	return acc*prime64_1 + prime64_4
}

// xxhBytes is XXH64 of a byte string (Spark's XXH64.hashUnsafeBytes).
func xxhBytes(b []byte, seed uint64) uint64 {
	n := len(b)
	var h uint64
	if n >= 32 {
		v1 := seed + prime64_1 + prime64_2
		v2 := seed + prime64_2
		v3 := seed
		v4 := seed - prime64_1
		for len(b) >= 32 {
			v1 = xxhRound(v1, binary.LittleEndian.Uint64(b))
			v2 = xxhRound(v2, binary.LittleEndian.Uint64(b[8:]))
			v3 = xxhRound(v3, binary.LittleEndian.Uint64(b[16:]))
			v4 = xxhRound(v4, binary.LittleEndian.Uint64(b[24:]))
			b = b[32:]
		}
		h = bits.RotateLeft64(v1, 1) + bits.RotateLeft64(v2, 7) + bits.RotateLeft64(v3, 12) + bits.RotateLeft64(v4, 18)
		h = xxhMerge(h, v1)
		h = xxhMerge(h, v2)
		h = xxhMerge(h, v3)
		h = xxhMerge(h, v4)
	} else {
		h = seed + prime64_5
	}
	h += uint64(n)
	for len(b) >= 8 {
		h ^= xxhRound(0, binary.LittleEndian.Uint64(b))
		h = bits.RotateLeft64(h, 27)*prime64_1 + prime64_4
		b = b[8:]
	}
	if len(b) >= 4 {
		h ^= uint64(binary.LittleEndian.Uint32(b)) * prime64_1
		h = bits.RotateLeft64(h, 23)*prime64_2 + prime64_3
		b = b[4:]
	}
	for _, c := range b {
		h ^= uint64(c) * prime64_5
		h = bits.RotateLeft64(h, 11) * prime64_1
	}
	return xxhFmix(h)
}

// hllAcc keeps 2^p one-byte registers per group.
type hllAcc struct {
	p    uint
	m    int
	regs []uint8 // group g: regs[g*m : (g+1)*m]
	hbuf []uint64
}

func newHLLAcc(t arrow.DataType, rsd float64) (accumulator, error) {
	switch t.ID() {
	case arrow.BOOL, arrow.INT8, arrow.INT16, arrow.INT32, arrow.DATE32, arrow.INT64, arrow.TIMESTAMP,
		arrow.FLOAT32, arrow.FLOAT64, arrow.STRING, arrow.BINARY, arrow.NULL:
	default:
		return nil, fmt.Errorf("approx_count_distinct over %s is not supported", expr.SQLTypeName(t))
	}
	if rsd <= 0 {
		rsd = 0.05
	}
	p := uint(math.Ceil(2 * math.Log2(1.106/rsd)))
	if p < 4 {
		return nil, fmt.Errorf("approx_count_distinct: relativeSD %g is too large; it must be at most 0.39", rsd)
	}
	if p > 18 {
		p = 18
	}
	return &hllAcc{p: p, m: 1 << p}, nil
}

func (h *hllAcc) grow(n int) { h.regs = growSlice(h.regs, n*h.m) }
func (h *hllAcc) reset()     { h.regs = h.regs[:0] }

// hashes computes Spark's XXH64 hash of each row (nulls are skipped by
// the caller).
func (h *hllAcc) hashes(a arrow.Array) []uint64 {
	n := a.Len()
	if cap(h.hbuf) < n {
		h.hbuf = make([]uint64, n)
	}
	hs := h.hbuf[:n]
	switch a.DataType().ID() {
	case arrow.BOOL:
		for i, v := range unpackBools(a) {
			hs[i] = xxhInt(uint32(v), xxhSeed)
		}
	case arrow.INT8:
		for i, v := range values[int8](a) {
			hs[i] = xxhInt(uint32(int32(v)), xxhSeed)
		}
	case arrow.INT16:
		for i, v := range values[int16](a) {
			hs[i] = xxhInt(uint32(int32(v)), xxhSeed)
		}
	case arrow.INT32, arrow.DATE32:
		for i, v := range values[int32](a) {
			hs[i] = xxhInt(uint32(v), xxhSeed)
		}
	case arrow.INT64, arrow.TIMESTAMP:
		for i, v := range values[int64](a) {
			hs[i] = xxhLong(uint64(v), xxhSeed)
		}
	case arrow.FLOAT32:
		for i, v := range values[float32](a) {
			if v == 0 {
				v = 0
			}
			hs[i] = xxhInt(math.Float32bits(v), xxhSeed)
		}
	case arrow.FLOAT64:
		for i, v := range values[float64](a) {
			if v == 0 {
				v = 0
			}
			hs[i] = xxhLong(math.Float64bits(v), xxhSeed)
		}
	case arrow.STRING, arrow.BINARY:
		offs, data := binaryOffsets(a), binaryData(a)
		for i := range hs {
			hs[i] = xxhBytes(data[offs[i]:offs[i+1]], xxhSeed)
		}
	}
	return hs
}

func (h *hllAcc) update(gids, idx []int32, args []arrow.Array) {
	a := args[0]
	if a.DataType().ID() == arrow.NULL {
		return
	}
	nb := nullBits(a)
	hs := h.hashes(a)
	p, m, regs := h.p, h.m, h.regs
	wPadding := uint64(1) << (p - 1)
	for j, g := range gids {
		i := rowOf(idx, j)
		if nb.null(i) {
			continue
		}
		x := hs[i]
		r := int(g)*m + int(x>>(64-p))
		pw := uint8(bits.LeadingZeros64((x<<p)|wPadding) + 1)
		if pw > regs[r] {
			regs[r] = pw
		}
	}
}

func (h *hllAcc) appendState(b []byte, g int32) []byte {
	return append(b, h.regs[int(g)*h.m:int(g+1)*h.m]...)
}

func (h *hllAcc) mergeState(g int32, b []byte) ([]byte, error) {
	if len(b) < h.m {
		return nil, errShortState
	}
	regs := h.regs[int(g)*h.m : int(g+1)*h.m]
	for i, v := range b[:h.m] {
		if v > regs[i] {
			regs[i] = v
		}
	}
	return b[h.m:], nil
}

// estimate returns the cardinality estimate of one group's registers.
func (h *hllAcc) estimate(regs []uint8) int64 {
	m := float64(h.m)
	q := 64 - int(h.p)
	hist := make([]float64, q+2)
	for _, r := range regs {
		hist[r]++
	}
	if v := hist[0]; v > 0 {
		lc := m * math.Log(m/v)
		if lc <= hllThresholds[h.p-4] {
			return int64(math.Round(lc))
		}
	}
	z := m * hllTau(1-hist[q+1]/m)
	for k := q; k >= 1; k-- {
		z = 0.5 * (z + hist[k])
	}
	z += m * hllSigma(hist[0]/m)
	return int64(math.Round(m * m / (2 * math.Ln2) / z))
}

func hllSigma(x float64) float64 {
	if x == 1 {
		return math.Inf(1)
	}
	y, z := 1.0, x
	for {
		x *= x
		next := z + x*y
		y += y
		if next == z {
			return z
		}
		z = next
	}
}

func hllTau(x float64) float64 {
	if x == 0 || x == 1 {
		return 0
	}
	y, z := 1.0, 1-x
	for {
		x = math.Sqrt(x)
		prev := z
		y *= 0.5
		z -= (1 - x) * (1 - x) * y
		if prev == z {
			return z / 3
		}
	}
}

func (h *hllAcc) build(mem memory.Allocator, sel []int32, n int) arrow.Array {
	if sel != nil {
		n = len(sel)
	}
	out := make([]int64, n)
	for j := range out {
		g := j
		if sel != nil {
			g = int(sel[j])
		}
		out[j] = h.estimate(h.regs[g*h.m : (g+1)*h.m])
	}
	return fixedArray(mem, arrow.PrimitiveTypes.Int64, out, nil, nil, n)
}
