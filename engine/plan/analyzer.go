package plan

// Rule is one analyzer step: it resolves or checks nodes of one kind and
// returns every other node unchanged.
type Rule interface {
	// Name identifies the rule in errors and tests.
	Name() string
	// Apply rewrites n, whose children are already resolved.
	Apply(n Node) (Node, error)
}

// Rules are the analyzer's rules in the order they run on each node.
var Rules = []Rule{
	resolveJoinColumns{},
	resolveQualifiers{},
	expandStar{},
	extractGenerator{},
	resolveProject{},
	resolveFilter{},
	resolveUnion{},
	resolveWatermark{},
	resolveAggregate{},
	resolveSort{},
	resolveJoin{},
	resolveDedup{},
}

// Analyze resolves every unresolved node of n bottom-up, running each of
// Rules on it in turn. The error is the first rule's failure, typically an
// *expr.AnalysisError with Spark's error class and message.
func Analyze(n Node) (Node, error) {
	return Transform(n, func(n Node) (Node, error) {
		if n.Resolved() {
			return n, nil
		}
		for _, r := range Rules {
			var err error
			if n, err = r.Apply(n); err != nil {
				return nil, err
			}
		}
		return n, nil
	})
}
