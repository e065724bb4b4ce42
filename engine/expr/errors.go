package expr

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// AnalysisError is a resolution or type error found by Bind. Class is
// Spark's error class ("UNRESOLVED_COLUMN.WITH_SUGGESTION",
// "DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES", ...); Error() is Spark's message.
type AnalysisError struct {
	Class   string
	Message string
	// Err is the underlying cause, if any (for Invalid nodes).
	Err error
}

func (e *AnalysisError) Error() string {
	if e.Class == "" {
		return e.Message
	}
	return "[" + e.Class + "] " + e.Message
}

func (e *AnalysisError) Unwrap() error { return e.Err }

// ErrNotScalar is wrapped by Bind's error when an aggregate, generator or
// sliding window appears where a value per row is expected.
var ErrNotScalar = errors.New("not a scalar expression")

func analysisErr(class, format string, args ...any) *AnalysisError {
	return &AnalysisError{Class: class, Message: fmt.Sprintf(format, args...)}
}

// quoteID renders a name as Spark's toSQLId: `a`.`b`.
func quoteID(parts ...string) string {
	q := make([]string, len(parts))
	for i, p := range parts {
		q[i] = "`" + strings.ReplaceAll(p, "`", "``") + "`"
	}
	return strings.Join(q, ".")
}

func unresolvedColumn(parts []string, candidates []string) error {
	name := quoteID(parts...)
	if len(candidates) == 0 {
		return analysisErr("UNRESOLVED_COLUMN.WITHOUT_SUGGESTION",
			"A column or function parameter with name %s cannot be resolved.", name)
	}
	ordered := orderBySimilarity(strings.Join(parts, "."), candidates)
	if len(ordered) > 5 {
		ordered = ordered[:5]
	}
	q := make([]string, len(ordered))
	for i, c := range ordered {
		q[i] = quoteID(c)
	}
	return analysisErr("UNRESOLVED_COLUMN.WITH_SUGGESTION",
		"A column or function parameter with name %s cannot be resolved. Did you mean one of the following? [%s].",
		name, strings.Join(q, ", "))
}

// dataTypeMismatch builds Spark's DATATYPE_MISMATCH error for expression e.
func dataTypeMismatch(sub string, e Expr, format string, args ...any) error {
	return analysisErr("DATATYPE_MISMATCH."+sub, "Cannot resolve %q due to data type mismatch: %s",
		e.String(), fmt.Sprintf(format, args...))
}

// orderBySimilarity sorts candidates by Levenshtein distance to name, as
// Spark orders its suggestions; ties keep schema order.
func orderBySimilarity(name string, candidates []string) []string {
	type scored struct {
		s string
		d int
		i int
	}
	sc := make([]scored, len(candidates))
	lname := strings.ToLower(name)
	for i, c := range candidates {
		sc[i] = scored{c, levenshtein(lname, strings.ToLower(c)), i}
	}
	sort.SliceStable(sc, func(a, b int) bool { return sc[a].d < sc[b].d })
	out := make([]string, len(sc))
	for i, s := range sc {
		out[i] = s.s
	}
	return out
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// ordinal names a parameter position as Spark's messages do.
func ordinal(i int) string {
	names := []string{"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"}
	if i < len(names) {
		return names[i]
	}
	return fmt.Sprintf("%dth", i+1)
}
