package plan

import (
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
)

// Node is one operator of a logical plan. Nodes are immutable values:
// rewrite a tree with WithChildren or Transform, never by assignment.
type Node interface {
	// Schema is the node's output schema. It is nil until Resolved.
	Schema() *arrow.Schema
	// Resolved reports whether every name in the node has been found and
	// every type is known.
	Resolved() bool
	Children() []Node
	// WithChildren returns a copy of the node over new children; it panics
	// when given a different number of children than Children returns.
	WithChildren(children ...Node) Node
	// String is the node's one-line description in Explain output.
	String() string
}

// Source describes what a Relation reads: a file folder, a memory
// stream, an in-memory table. The plan only prints it; the runtime knows
// the concrete types.
type Source interface {
	String() string
}

// Transform rewrites n bottom-up: children first, then fn on the node
// rebuilt over the rewritten children. fn returns its argument unchanged
// when it has nothing to do.
func Transform(n Node, fn func(Node) (Node, error)) (Node, error) {
	children := n.Children()
	if len(children) > 0 {
		changed := false
		next := make([]Node, len(children))
		for i, c := range children {
			nc, err := Transform(c, fn)
			if err != nil {
				return nil, err
			}
			next[i] = nc
			changed = changed || nc != c
		}
		if changed {
			n = n.WithChildren(next...)
		}
	}
	return fn(n)
}

// Walk calls fn on n and then on its descendants, depth first, left to
// right, until fn returns false.
func Walk(n Node, fn func(Node) bool) bool {
	if !fn(n) {
		return false
	}
	for _, c := range n.Children() {
		if !Walk(c, fn) {
			return false
		}
	}
	return true
}

// IsStreaming reports whether n reads from at least one streaming source.
func IsStreaming(n Node) bool {
	streaming := false
	Walk(n, func(n Node) bool {
		if r, ok := n.(*Relation); ok && r.Streaming {
			streaming = true
		}
		return !streaming
	})
	return streaming
}

// StreamingRelations returns the streaming leaves of n in depth-first,
// left-to-right order, each once even when the plan uses it twice
// (df.union(df)): the order that numbers sources in a checkpoint
// (sources/0, sources/1, ...) and in progress reports.
func StreamingRelations(n Node) []*Relation {
	var out []*Relation
	seen := map[*Relation]bool{}
	Walk(n, func(n Node) bool {
		if r, ok := n.(*Relation); ok && r.Streaming && !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
		return true
	})
	return out
}

// Format renders the tree the way Spark prints plans:
//
//	Project [a, b]
//	+- Filter (a > 1)
//	   +- LocalRelation [a, b]
//
// Children other than the last are drawn with ":-" and ":  ".
func Format(n Node) string {
	var b strings.Builder
	format(&b, n, "", "")
	return b.String()
}

func format(b *strings.Builder, n Node, first, rest string) {
	b.WriteString(first)
	b.WriteString(n.String())
	b.WriteByte('\n')
	children := n.Children()
	for i, c := range children {
		if i == len(children)-1 {
			format(b, c, rest+"+- ", rest+"   ")
		} else {
			format(b, c, rest+":- ", rest+":  ")
		}
	}
}

// columnList renders a schema's names as Spark lists output columns:
// "[a, b, c]".
func columnList(s *arrow.Schema) string {
	if s == nil {
		return "[]"
	}
	names := make([]string, s.NumFields())
	for i, f := range s.Fields() {
		names[i] = f.Name
	}
	return "[" + strings.Join(names, ", ") + "]"
}
