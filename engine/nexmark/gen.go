package nexmark

import (
	"math"
	"slices"
	"time"
)

// Generator computes Nexmark events. Event n is a pure function of the
// configuration and n: it draws from java.util.Random seeded with n (mixed
// with Config.Seed), so any range of events can be generated on its own,
// in any order, and again after a restart. A Generator is safe for
// concurrent use.
type Generator struct {
	cfg     Config
	baseMs  int64
	delayUs float64 // event-time microseconds between events
	seedMix int64
	// auctionHorizon is how many events it takes to create
	// NumInFlightAuctions auctions; auctions last twice that on average.
	auctionHorizon int64
}

// NewGenerator returns a generator for cfg.
func NewGenerator(cfg Config) (*Generator, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Generator{
		cfg:            cfg,
		baseMs:         cfg.BaseTime.UnixMilli(),
		delayUs:        1e6 / cfg.EventsPerSecond,
		seedMix:        cfg.Seed * -7046029254386353131, // 0x9E3779B97F4A7C15
		auctionHorizon: int64(cfg.NumInFlightAuctions) * ProportionDenominator / AuctionProportion,
	}, nil
}

// Config returns the generator's configuration.
func (g *Generator) Config() Config { return g.cfg }

// TimestampMs is the event time of event n, in milliseconds since the
// epoch.
func (g *Generator) TimestampMs(n int64) int64 {
	return g.baseMs + int64(float64(n)*g.delayUs)/1000
}

// Timestamp is the event time of event n.
func (g *Generator) Timestamp(n int64) time.Time { return time.UnixMilli(g.TimestampMs(n)).UTC() }

// EventsBefore returns how many events happen strictly before t in event
// time: the first event number whose timestamp is at or after t.
func (g *Generator) EventsBefore(t time.Time) int64 {
	ms := t.UnixMilli()
	if ms <= g.baseMs {
		return 0
	}
	// Estimate, then step to the exact boundary.
	n := int64(float64(ms-g.baseMs) * 1000 / g.delayUs)
	for n > 0 && g.TimestampMs(n-1) >= ms {
		n--
	}
	for g.TimestampMs(n) < ms {
		n++
	}
	return n
}

func (g *Generator) rand(n int64) jrand { return newJRand(n ^ g.seedMix) }

// nextBase0PersonID picks a recent person (base 0) for event n: one of the
// NumActivePeople latest, or up to personIDLead ids ahead.
func (g *Generator) nextBase0PersonID(n int64, r *jrand) int64 {
	numPeople := lastBase0PersonID(n) + 1
	active := min(numPeople, int64(g.cfg.NumActivePeople))
	return numPeople - active + r.nextLongn(active+personIDLead)
}

// nextBase0AuctionID picks an auction (base 0) likely still open at event
// n, or up to auctionIDLead ids ahead.
func (g *Generator) nextBase0AuctionID(n int64, r *jrand) int64 {
	maxA := lastBase0AuctionID(n)
	minA := max(maxA-int64(g.cfg.NumInFlightAuctions), 0)
	return minA + r.nextLongn(maxA-minA+1+auctionIDLead)
}

// nextPrice is a price in cents, log-uniform between 1 and 1,000,000
// dollars: round(10^(6u) * 100) for u = nextDouble().
func nextPrice(r *jrand) int64 {
	return int64(math.Floor(pow10x6(r.nextDouble())*100 + 0.5))
}

// pow10Table[i] is 10^(6i/pow10Steps).
const pow10Steps = 1 << 12

var pow10Table = func() (t [pow10Steps + 1]float64) {
	for i := range t {
		t[i] = math.Pow(10, 6*float64(i)/pow10Steps)
	}
	return t
}()

// pow10x6 is 10^(6u) for u in [0, 1): a table step times a Taylor series
// of exp over the small remainder (|x| < 0.0034, so five terms suffice).
// It stays within 1e-14 of math.Pow, far below a cent's worth, and costs
// a fraction of it; math.Pow cost more than the rest of a bid together.
func pow10x6(u float64) float64 {
	v := u * pow10Steps
	i := int(v)
	x := (v - float64(i)) * (6 * math.Ln10 / pow10Steps)
	e := 1 + x*(1+x*(1.0/2+x*(1.0/6+x*(1.0/24+x*(1.0/120)))))
	return pow10Table[i] * e
}

// appendString appends a random string of 3 to maxLen-1 lower-case
// letters and spaces (one in 13), trimmed.
func appendString(dst []byte, r *jrand, maxLen int32) []byte {
	n := 3 + r.nextIntn(maxLen-3)
	start := len(dst)
	for ; n > 0; n-- {
		if r.nextIntn(13) == 0 {
			dst = append(dst, ' ')
		} else {
			dst = append(dst, byte('a'+r.nextIntn(26)))
		}
	}
	// String.trim: drop the spaces at both ends.
	end := len(dst)
	for end > start && dst[end-1] == ' ' {
		end--
	}
	lead := start
	for lead < end && dst[lead] == ' ' {
		lead++
	}
	if lead > start {
		copy(dst[start:], dst[lead:end])
		end -= lead - start
	}
	return dst[:end]
}

// appendExactString appends n characters, six from each 32-bit draw, with
// Java's signed remainder (so some are upper-case letters or punctuation
// below 'a', as in the reference): character k of draw q is
// 'a' + (q / 26^k) % 26, truncating.
func appendExactString(dst []byte, r *jrand, n int) []byte {
	l := len(dst)
	dst = slices.Grow(dst, n)[:l+n]
	b := dst[l:]
	for len(b) >= 6 {
		// Split |q| into three base-676 digits, two characters each: the
		// same characters as six signed base-26 steps, with a third of
		// the divisions.
		q := r.nextInt()
		sign := q >> 31 // 0 or -1, without a branch: the sign is random
		u := uint32((q ^ sign) - sign)
		pairs := &charPairs[sign&1]
		u1 := u / 676
		u2 := u1 / 676
		p0, p1, p2 := &pairs[u-u1*676], &pairs[u1-u2*676], &pairs[u2%676]
		b[0], b[1], b[2], b[3], b[4], b[5] = p0[0], p0[1], p1[0], p1[1], p2[0], p2[1]
		b = b[6:]
	}
	if len(b) > 0 {
		q := r.nextInt()
		for i := range b {
			b[i] = byte('a' + q%26)
			q /= 26
		}
	}
	return dst
}

// charPairs[0][p] and charPairs[1][p] are the two characters
// appendExactString makes of the base-676 digit p of a positive or a
// negative draw.
var charPairs = func() (t [2][676][2]byte) {
	for p := range t[0] {
		t[0][p] = [2]byte{byte('a' + p%26), byte('a' + p/26)}
		t[1][p] = [2]byte{byte('a' - p%26), byte('a' - p/26)}
	}
	return t
}()

// appendExtra appends padding so that size+len(padding) averages avg.
func appendExtra(dst []byte, r *jrand, size, avg int) []byte {
	if size > avg {
		return dst
	}
	avg -= size
	delta := int(math.Floor(float64(avg)*0.2 + 0.5))
	n := avg - delta
	if delta != 0 {
		n += int(r.nextIntn(int32(2 * delta)))
	}
	return appendExactString(dst, r, n)
}

// The small vocabularies persons are drawn from.
var (
	usStates   = []string{"AZ", "CA", "ID", "OR", "WA", "WY"}
	usCities   = []string{"Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland", "Bend", "Redmond", "Seattle", "Kent", "Cheyenne"}
	firstNames = []string{"Peter", "Paul", "Luke", "John", "Saul", "Vicky", "Kate", "Julie", "Sarah", "Deiter", "Walter"}
	lastNames  = []string{"Shultz", "Abrams", "Spencer", "White", "Bartels", "Walton", "Smith", "Jones", "Noris"}
)

// strCol is a string column under construction: Arrow offsets and bytes.
type strCol struct {
	offs []int32
	data []byte
}

func newStrCol(rows, avgLen int) strCol {
	s := strCol{offs: make([]int32, 1, rows+1), data: make([]byte, 0, rows*avgLen)}
	return s
}

// end closes the current value, whose bytes were appended to data.
func (s *strCol) end() { s.offs = append(s.offs, int32(len(s.data))) }

func (s *strCol) add(v string) {
	s.data = append(s.data, v...)
	s.end()
}

// bidCols are the columns of bids under construction.
type bidCols struct {
	auction, bidder, price, dateTime []int64
	extra                            strCol
}

func newBidCols(rows int) *bidCols {
	return &bidCols{
		auction: make([]int64, 0, rows), bidder: make([]int64, 0, rows),
		price: make([]int64, 0, rows), dateTime: make([]int64, 0, rows),
		extra: newStrCol(rows, 72),
	}
}

// appendBid generates bid event n.
func (g *Generator) appendBid(c *bidCols, n int64) {
	r := g.rand(n)
	var auction int64
	if r.nextIntn(int32(g.cfg.HotAuctionRatio)) > 0 {
		auction = lastBase0AuctionID(n) / hotBatch * hotBatch
	} else {
		auction = g.nextBase0AuctionID(n, &r)
	}
	var bidder int64
	if r.nextIntn(int32(g.cfg.HotBiddersRatio)) > 0 {
		// The second person of the batch, so that hot bidders are not
		// also the hot sellers.
		bidder = lastBase0PersonID(n)/hotBatch*hotBatch + 1
	} else {
		bidder = g.nextBase0PersonID(n, &r)
	}
	c.auction = append(c.auction, auction+FirstAuctionID)
	c.bidder = append(c.bidder, bidder+FirstPersonID)
	c.price = append(c.price, nextPrice(&r))
	c.dateTime = append(c.dateTime, g.TimestampMs(n)*1000)
	c.extra.data = appendExtra(c.extra.data, &r, 8+8+8+8, g.cfg.AvgBidByteSize)
	c.extra.end()
}

// auctionCols are the columns of auctions under construction.
type auctionCols struct {
	id, initialBid, reserve, dateTime, expires, seller, category []int64
	itemName, description, extra                                 strCol
}

func newAuctionCols(rows int) *auctionCols {
	return &auctionCols{
		id: make([]int64, 0, rows), initialBid: make([]int64, 0, rows), reserve: make([]int64, 0, rows),
		dateTime: make([]int64, 0, rows), expires: make([]int64, 0, rows), seller: make([]int64, 0, rows),
		category: make([]int64, 0, rows),
		itemName: newStrCol(rows, 11), description: newStrCol(rows, 51), extra: newStrCol(rows, 400),
	}
}

// appendAuction generates auction event n.
func (g *Generator) appendAuction(c *auctionCols, n int64) {
	r := g.rand(n)
	ts := g.TimestampMs(n)
	var seller int64
	if r.nextIntn(int32(g.cfg.HotSellersRatio)) > 0 {
		seller = lastBase0PersonID(n) / hotBatch * hotBatch
	} else {
		seller = g.nextBase0PersonID(n, &r)
	}
	category := FirstCategoryID + int64(r.nextIntn(NumCategories))
	initialBid := nextPrice(&r)
	// Auctions last 1 ms to twice the time it takes to create
	// NumInFlightAuctions more of them.
	horizon := g.TimestampMs(n+g.auctionHorizon) - ts
	expires := ts + 1 + r.nextLongn(max(horizon*2, 1))
	c.itemName.data = appendString(c.itemName.data, &r, 20)
	c.itemName.end()
	c.description.data = appendString(c.description.data, &r, 100)
	c.description.end()
	reserve := initialBid + nextPrice(&r)
	size := 8 + lastLen(&c.itemName) + lastLen(&c.description) + 8 + 8 + 8 + 8 + 8
	c.extra.data = appendExtra(c.extra.data, &r, size, g.cfg.AvgAuctionByteSize)
	c.extra.end()
	c.id = append(c.id, lastBase0AuctionID(n)+FirstAuctionID)
	c.initialBid = append(c.initialBid, initialBid)
	c.reserve = append(c.reserve, reserve)
	c.dateTime = append(c.dateTime, ts*1000)
	c.expires = append(c.expires, expires*1000)
	c.seller = append(c.seller, seller+FirstPersonID)
	c.category = append(c.category, category)
}

// personCols are the columns of persons under construction.
type personCols struct {
	id, dateTime                                       []int64
	name, emailAddress, creditCard, city, state, extra strCol
}

func newPersonCols(rows int) *personCols {
	return &personCols{
		id: make([]int64, 0, rows), dateTime: make([]int64, 0, rows),
		name: newStrCol(rows, 11), emailAddress: newStrCol(rows, 16), creditCard: newStrCol(rows, 19),
		city: newStrCol(rows, 8), state: newStrCol(rows, 2), extra: newStrCol(rows, 140),
	}
}

// appendPerson generates person event n.
func (g *Generator) appendPerson(c *personCols, n int64) {
	r := g.rand(n)
	first := firstNames[r.nextIntn(int32(len(firstNames)))]
	last := lastNames[r.nextIntn(int32(len(lastNames)))]
	c.name.data = append(append(append(c.name.data, first...), ' '), last...)
	c.name.end()
	e := &c.emailAddress
	e.data = appendString(e.data, &r, 7)
	e.data = append(e.data, '@')
	e.data = appendString(e.data, &r, 5)
	e.data = append(e.data, ".com"...)
	e.end()
	cc := &c.creditCard
	for i := 0; i < 4; i++ {
		if i > 0 {
			cc.data = append(cc.data, ' ')
		}
		v := r.nextIntn(10000)
		for d := int32(1000); d > 0; d /= 10 {
			cc.data = append(cc.data, byte('0'+v/d%10))
		}
	}
	cc.end()
	city := usCities[r.nextIntn(int32(len(usCities)))]
	state := usStates[r.nextIntn(int32(len(usStates)))]
	c.city.add(city)
	c.state.add(state)
	size := 8 + len(first) + 1 + len(last) + lastLen(e) + lastLen(cc) + len(city) + len(state)
	c.extra.data = appendExtra(c.extra.data, &r, size, g.cfg.AvgPersonByteSize)
	c.extra.end()
	c.id = append(c.id, lastBase0PersonID(n)+FirstPersonID)
	c.dateTime = append(c.dateTime, g.TimestampMs(n)*1000)
}

func lastLen(s *strCol) int { return int(s.offs[len(s.offs)-1] - s.offs[len(s.offs)-2]) }
