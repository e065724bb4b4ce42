// Package nexmark generates the events of the Nexmark benchmark, an online
// auction of persons, auctions and bids, and serves them to the engine as
// the streaming source format("nexmark").
//
// The generator follows the published rules of the reference generators
// (the Apache Beam Nexmark suite and its Flink port): of every 50 events 1
// is a new person, 3 are new auctions and 46 are bids; ids start at 1000
// and categories at 10; bids go to hot auctions and come from hot bidders,
// and auctions from hot sellers, at the configured ratios; random bidders
// and sellers are drawn from the recently active people, random auctions
// from those in flight; prices are log-uniform; every event is padded to
// an average size; and event n happens n/EventsPerSecond seconds after the
// base time. Event n draws from java.util.Random seeded with n, so that a
// range of events can be generated alone, in parallel, or again after a
// restart, and the events equal the reference generators' (with seed 0).
//
// Records are generated straight into Arrow buffers (Generator.Record,
// Generator.Records), without a Go value per event; Events and the Persons,
// Auctions and Bids readers give Go values for tests and reference
// computations. WriteJSON writes the sequence as JSON lines in the
// reference suites' single-stream layout (EventDDL), for file workloads.
//
// The package knows nothing of plans or queries: package engine opens a
// Source for format("nexmark"), and package nexmark/queries expresses the
// benchmark queries with the DataFrame API.
package nexmark
