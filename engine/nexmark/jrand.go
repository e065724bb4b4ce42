package nexmark

// jrand is java.util.Random: the 48-bit linear congruential generator of
// Knuth's TAOCP 3.2.1 with the JDK's constants and derivation rules, so
// that an event seeded with its id gets the same draws as in the
// reference (Java) Nexmark generators. Every method is documented by the
// JDK; the integer arithmetic below keeps Java's 32- and 64-bit wrapping.
type jrand struct {
	seed int64
}

const (
	jrandMult   = 0x5DEECE66D
	jrandAddend = 0xB
	jrandMask   = 1<<48 - 1
)

// newJRand is new Random(seed).
func newJRand(seed int64) jrand { return jrand{seed: (seed ^ jrandMult) & jrandMask} }

// next is Random.next(bits): the top bits of the next 48-bit state.
func (r *jrand) next(bits uint) int32 {
	r.seed = (r.seed*jrandMult + jrandAddend) & jrandMask
	return int32(uint32(uint64(r.seed) >> (48 - bits)))
}

// nextInt is Random.nextInt(): 32 uniformly distributed bits.
func (r *jrand) nextInt() int32 { return r.next(32) }

// nextIntn is Random.nextInt(bound) for bound > 0: uniform in [0, bound),
// rejecting the draws that would bias the remainder.
func (r *jrand) nextIntn(bound int32) int32 {
	v := r.next(31)
	m := bound - 1
	if bound&m == 0 {
		return int32((int64(bound) * int64(v)) >> 31)
	}
	for u := v; ; u = r.next(31) {
		v = u % bound
		if u-v+m >= 0 { // int32 overflow marks the biased tail
			return v
		}
	}
}

// nextLong is Random.nextLong().
func (r *jrand) nextLong() int64 {
	hi := int64(r.next(32))
	return hi<<32 + int64(r.next(32))
}

// nextDouble is Random.nextDouble(): 53 random bits scaled into [0, 1).
func (r *jrand) nextDouble() float64 {
	hi := int64(r.next(26))
	return float64(hi<<27+int64(r.next(27))) * (1.0 / (1 << 53))
}

// nextLongn is the Nexmark generators' LongGenerator.nextLong(random, n):
// nextInt(n) when n fits an int, else |nextLong() % n| (skewed, as there).
func (r *jrand) nextLongn(n int64) int64 {
	if n < 1<<31-1 {
		return int64(r.nextIntn(int32(n)))
	}
	v := r.nextLong() % n
	if v < 0 {
		v = -v
	}
	return v
}
