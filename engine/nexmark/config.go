package nexmark

import (
	"fmt"
	"time"
)

// The fixed rules of the Nexmark generator.
const (
	// FirstPersonID, FirstAuctionID and FirstCategoryID are the smallest
	// ids; starting above 0 lets small inputs still find matches.
	FirstPersonID   = 1000
	FirstAuctionID  = 1000
	FirstCategoryID = 10

	// Of every ProportionDenominator consecutive events, PersonProportion
	// are new persons, AuctionProportion new auctions and the rest bids
	// (1:3:46).
	PersonProportion      = 1
	AuctionProportion     = 3
	BidProportion         = 46
	ProportionDenominator = PersonProportion + AuctionProportion + BidProportion

	// NumCategories is the number of auction categories.
	NumCategories = 5

	// Hot auctions, bidders and sellers are the first (bidders: second) of
	// every hotBatch consecutive auction or person ids.
	hotBatch = 100
	// personIDLead and auctionIDLead are how many not-yet-created ids a
	// random pick may return, so that some bids and auctions name a person
	// or an auction that appears just after them.
	personIDLead  = 10
	auctionIDLead = 10
)

// Config is the generator's configuration, after NexmarkConfiguration of
// the Apache Beam and Flink Nexmark suites. DefaultConfig gives their
// defaults.
type Config struct {
	// EventsPerSecond spaces the events in event time: event n happens at
	// BaseTime + n/EventsPerSecond seconds (millisecond precision).
	EventsPerSecond float64
	// BaseTime is the event time of event 0.
	BaseTime time.Time
	// Seed varies the events: seed 0 draws every event from
	// java.util.Random seeded with the event's id, as the reference
	// generators do; another seed mixes into that id.
	Seed int64

	// HotAuctionRatio, HotSellersRatio, HotBiddersRatio: a bid goes to a
	// hot auction, an auction to a hot seller, a bid from a hot bidder
	// with probability 1 - 1/ratio.
	HotAuctionRatio int
	HotSellersRatio int
	HotBiddersRatio int
	// NumInFlightAuctions is the number of recent auctions random bids
	// choose from; it also sets the average auction length.
	NumInFlightAuctions int
	// NumActivePeople is the number of recent persons random bidders and
	// sellers are chosen from.
	NumActivePeople int
	// AvgPersonByteSize, AvgAuctionByteSize, AvgBidByteSize pad each event
	// with an extra string so that its idealised size averages this.
	AvgPersonByteSize  int
	AvgAuctionByteSize int
	AvgBidByteSize     int
}

// DefaultConfig returns the reference defaults: 10,000 events per second,
// hot ratios 2 (auctions), 4 (sellers) and 4 (bidders), 100 auctions in
// flight, 1,000 active people, event sizes 200, 500 and 100 bytes, and
// base time 2015-07-15 00:00:00 UTC.
func DefaultConfig() Config {
	return Config{
		EventsPerSecond:     10000,
		BaseTime:            time.Date(2015, 7, 15, 0, 0, 0, 0, time.UTC),
		HotAuctionRatio:     2,
		HotSellersRatio:     4,
		HotBiddersRatio:     4,
		NumInFlightAuctions: 100,
		NumActivePeople:     1000,
		AvgPersonByteSize:   200,
		AvgAuctionByteSize:  500,
		AvgBidByteSize:      100,
	}
}

// Validate reports the first setting out of range.
func (c Config) Validate() error {
	switch {
	case !(c.EventsPerSecond > 0) || c.EventsPerSecond > 1e12:
		return fmt.Errorf("nexmark: eventsPerSecond must be in (0, 1e12], got %v", c.EventsPerSecond)
	case c.HotAuctionRatio < 1 || c.HotSellersRatio < 1 || c.HotBiddersRatio < 1 ||
		c.HotAuctionRatio > 1<<30 || c.HotSellersRatio > 1<<30 || c.HotBiddersRatio > 1<<30:
		return fmt.Errorf("nexmark: hot ratios must be between 1 (no hot keys) and 2^30, got auctions %d, sellers %d, bidders %d",
			c.HotAuctionRatio, c.HotSellersRatio, c.HotBiddersRatio)
	case c.NumInFlightAuctions < 1:
		return fmt.Errorf("nexmark: numInFlightAuctions must be at least 1, got %d", c.NumInFlightAuctions)
	case c.NumActivePeople < 1:
		return fmt.Errorf("nexmark: numActivePeople must be at least 1, got %d", c.NumActivePeople)
	case c.AvgPersonByteSize < 0 || c.AvgAuctionByteSize < 0 || c.AvgBidByteSize < 0:
		return fmt.Errorf("nexmark: average event sizes must not be negative")
	}
	return nil
}

// EventKind is the kind of a Nexmark event.
type EventKind int8

// The event kinds, numbered as the event_type column of the reference
// suites numbers them.
const (
	PersonEvent  EventKind = 0
	AuctionEvent EventKind = 1
	BidEvent     EventKind = 2
)

func (k EventKind) String() string {
	switch k {
	case PersonEvent:
		return "person"
	case AuctionEvent:
		return "auction"
	case BidEvent:
		return "bid"
	}
	return fmt.Sprintf("EventKind(%d)", int8(k))
}

// KindOf returns the kind of event n: of every 50 events, the first is a
// person, the next three auctions and the other 46 bids.
func KindOf(n int64) EventKind {
	switch r := n % ProportionDenominator; {
	case r < PersonProportion:
		return PersonEvent
	case r < PersonProportion+AuctionProportion:
		return AuctionEvent
	}
	return BidEvent
}

// CountKind returns how many of the events [from, to) are of kind k.
func CountKind(k EventKind, from, to int64) int64 {
	return countBelow(k, to) - countBelow(k, from)
}

// countBelow is the number of events of kind k among [0, n).
func countBelow(k EventKind, n int64) int64 {
	lo, hi := int64(0), int64(PersonProportion)
	switch k {
	case AuctionEvent:
		lo, hi = PersonProportion, PersonProportion+AuctionProportion
	case BidEvent:
		lo, hi = PersonProportion+AuctionProportion, ProportionDenominator
	}
	epochs, r := n/ProportionDenominator, n%ProportionDenominator
	return epochs*(hi-lo) + min(max(r-lo, 0), hi-lo)
}

// lastBase0PersonID is the id (from 0) of the latest person at event n:
// the person event n creates, or the last one before it.
func lastBase0PersonID(n int64) int64 {
	epoch, off := n/ProportionDenominator, n%ProportionDenominator
	if off >= PersonProportion {
		off = PersonProportion - 1
	}
	return epoch*PersonProportion + off
}

// lastBase0AuctionID is the id (from 0) of the latest auction at event n:
// the auction event n creates, or the last one before it.
func lastBase0AuctionID(n int64) int64 {
	epoch, off := n/ProportionDenominator, n%ProportionDenominator
	switch {
	case off < PersonProportion:
		epoch--
		off = AuctionProportion - 1
	case off >= PersonProportion+AuctionProportion:
		off = AuctionProportion - 1
	default:
		off -= PersonProportion
	}
	return epoch*AuctionProportion + off
}
