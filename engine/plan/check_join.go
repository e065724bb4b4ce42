package plan

// checkJoinsAndDedup makes the checks Spark's UnsupportedOperationChecker
// and StreamingJoinStrategy make on the joins and deduplications of a
// streaming query: which join types a stream may take on which side, what a
// stream-stream join needs (an equality, Append mode, and for outer and
// semi joins a watermark that bounds the state), and that
// dropDuplicatesWithinWatermark has a watermark.
func checkJoinsAndDedup(n Node, mode OutputMode) error {
	var err error
	Walk(n, func(n Node) bool {
		switch x := n.(type) {
		case *Join:
			err = checkStreamingJoin(x, mode)
		case *Deduplicate:
			if x.WithinWatermark && IsStreaming(x) && EventTimeColumn(x.Child.Schema()) < 0 {
				err = unsupported("dropDuplicatesWithinWatermark is not supported on streaming DataFrames/DataSets without watermark")
			}
		}
		return err == nil
	})
	return err
}

func checkStreamingJoin(j *Join, mode OutputMode) error {
	ls, rs := IsStreaming(j.Left), IsStreaming(j.Right)
	if !ls && !rs {
		return nil
	}
	if ls && rs && mode != Append {
		return unsupported("Join between two streaming DataFrames/Datasets is not supported in %s output mode, only in Append output mode", mode)
	}
	switch j.Type {
	case Inner, Cross:
	case FullOuter:
		switch {
		case ls && !rs:
			return unsupported("FullOuter joins with streaming DataFrames/Datasets on the left and a static DataFrame/Dataset on the right is not supported")
		case !ls && rs:
			return unsupported("FullOuter joins with streaming DataFrames/Datasets on the right and a static DataFrame/Dataset on the left is not supported")
		}
		if err := checkStreamStreamWatermark(j); err != nil {
			return err
		}
	case LeftAnti:
		if rs {
			return unsupported("LeftAnti joins with a streaming DataFrame/Dataset on the right are not supported")
		}
	case LeftOuter, LeftSemi:
		if !ls && rs {
			return unsupported("%s join with a streaming DataFrame/Dataset on the right and a static DataFrame/Dataset on the left is not supported", j.Type)
		}
		if err := checkStreamStreamWatermark(j); err != nil {
			return err
		}
	case RightOuter:
		if ls && !rs {
			return unsupported("RightOuter join with a streaming DataFrame/Dataset on the left and a static DataFrame/DataSet on the right not supported")
		}
		if err := checkStreamStreamWatermark(j); err != nil {
			return err
		}
	}
	if ls && rs && len(j.Spec.LeftKeys) == 0 {
		return unsupported("Stream-stream join without equality predicate is not supported")
	}
	return nil
}

// checkStreamStreamWatermark checks that an outer or semi stream-stream
// join can tell when a row will never match: a watermark in the join keys,
// or a watermark on the other side of the row to be null-padded plus a
// range condition that bounds it.
func checkStreamStreamWatermark(j *Join) error {
	if !IsStreaming(j.Left) || !IsStreaming(j.Right) || j.WatermarkKeyOrdinal() >= 0 {
		return nil
	}
	var ok bool
	switch j.Type {
	case LeftOuter, LeftSemi:
		_, ok = j.StateValueBounds(JoinLeft)
	case RightOuter:
		_, ok = j.StateValueBounds(JoinRight)
	case FullOuter:
		_, okL := j.StateValueBounds(JoinLeft)
		_, okR := j.StateValueBounds(JoinRight)
		ok = okL || okR
	}
	if !ok {
		return unsupported("Stream-stream %s join between two streaming DataFrame/Datasets is not supported without a watermark in the join keys, or a watermark on the nullable side and an appropriate range condition", j.Type)
	}
	return nil
}

// checkBatchDedup refuses dropDuplicatesWithinWatermark in a batch query,
// as Spark does.
func checkBatchDedup(n Node) error {
	var err error
	Walk(n, func(n Node) bool {
		if d, ok := n.(*Deduplicate); ok && d.WithinWatermark {
			err = unsupported("dropDuplicatesWithinWatermark is not supported with batch DataFrames/DataSets")
		}
		return err == nil
	})
	return err
}
