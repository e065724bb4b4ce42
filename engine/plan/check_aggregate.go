package plan

// checkAggregatesAndSorts makes Spark's start-time checks on streaming
// aggregations and sorts: one aggregation at most, no DISTINCT
// aggregates, no session window in Update mode, and sorting only over an
// aggregation in Complete mode.
func checkAggregatesAndSorts(n Node, mode OutputMode) error {
	var aggs []*Aggregate
	Walk(n, func(n Node) bool {
		if a, ok := n.(*Aggregate); ok && IsStreaming(a) {
			aggs = append(aggs, a)
		}
		return true
	})
	if len(aggs) > 1 {
		if mode == Append {
			return unsupported("Multiple streaming aggregations are not supported with streaming DataFrames/Datasets (chaining aggregations in Append mode is not supported either: write the first aggregation to a sink and read it back as a stream)")
		}
		return unsupported("Multiple streaming aggregations are not supported with streaming DataFrames/Datasets")
	}
	for _, a := range aggs {
		if a.HasDistinct() {
			return unsupported("Distinct aggregations are not supported on streaming DataFrames/Datasets. Consider using approx_count_distinct() instead.")
		}
		if c, _ := a.TimeWindowKey(); c != nil && c.Name == "session_window" && mode == Update {
			return unsupported("%s output mode not supported for session window on streaming DataFrames/DataSets", mode)
		}
	}
	var err error
	Walk(n, func(n Node) bool {
		s, ok := n.(*Sort)
		if !ok || !IsStreaming(s) {
			return true
		}
		complete := false
		Walk(s.Child, func(c Node) bool {
			if _, ok := c.(*Aggregate); ok && IsStreaming(c) {
				complete = mode == Complete
			}
			return !complete
		})
		if !complete {
			err = unsupported("Sorting is not supported on streaming DataFrames/Datasets, unless it is on aggregated DataFrame/Dataset in Complete output mode")
		}
		return err == nil
	})
	return err
}
