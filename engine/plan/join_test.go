package plan

import (
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/expr"
	"github.com/gostream/gostream/engine/sqlparse"
)

func rel(streaming bool, name string, ddl string) Node {
	s, err := sqlparse.ParseDDL(ddl)
	if err != nil {
		panic(err)
	}
	return &Relation{Source: testSource(name), Out: s, Streaming: streaming}
}

func cond(t *testing.T, s string) expr.Expr {
	t.Helper()
	e, err := sqlparse.ParseExpr(s)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// describe renders a schema as "name type nullable?" items.
func describe(s *arrow.Schema) string {
	var parts []string
	for _, f := range s.Fields() {
		p := f.Name + " " + expr.SimpleTypeName(f.Type)
		if f.Nullable {
			p += "?"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ", ")
}

func exprs(es []expr.Expr) string {
	var parts []string
	for _, e := range es {
		parts = append(parts, e.String())
	}
	return strings.Join(parts, ", ")
}

func TestResolveJoin(t *testing.T) {
	people := &SubqueryAlias{Child: rel(false, "people", "name STRING NOT NULL, age INT"), Name: "people"}
	events := &SubqueryAlias{Child: rel(false, "events", "player STRING, score BIGINT, age BIGINT"), Name: "events"}
	tests := []struct {
		name                      string
		join                      *Join
		out, keys, residual, expr string
	}{
		{"condition with distinct names",
			&Join{Left: events, Right: people, Type: Inner, Cond: &expr.Binary{Op: expr.OpEq, Left: &expr.ColumnRef{Parts: []string{"player"}}, Right: &expr.ColumnRef{Parts: []string{"name"}}}},
			"player string?, score bigint?, age bigint?, name string, age int?", "player = name", "", "player, score, age#L2 AS age, name, age#R1 AS age"},
		{"left outer makes the right side nullable",
			&Join{Left: events, Right: people, Type: LeftOuter, Cond: cond(t, "player = name AND score > 10")},
			"player string?, score bigint?, age bigint?, name string?, age int?", "player = name", "(score > 10)", ""},
		{"right outer makes the left side nullable",
			&Join{Left: people, Right: events, Type: RightOuter, Cond: cond(t, "name = player")},
			"name string?, age int?, player string?, score bigint?, age bigint?", "name = player", "", ""},
		{"swapped sides and numeric widening",
			&Join{Left: events, Right: people, Type: Inner, Cond: cond(t, "people.age = events.age")},
			"player string?, score bigint?, age bigint?, name string, age int?", "age#L2 = CAST(age#R1 AS BIGINT)", "", ""},
		{"non-equi condition is residual",
			&Join{Left: events, Right: people, Type: Inner, Cond: cond(t, "player < name OR score = 1")},
			"player string?, score bigint?, age bigint?, name string, age int?", "", "((player < name) OR (score = 1))", ""},
		{"null-safe key",
			&Join{Left: events, Right: people, Type: FullOuter, Cond: cond(t, "player <=> name")},
			"player string?, score bigint?, age bigint?, name string?, age int?", "player <=> name", "", ""},
		{"semi join keeps left columns",
			&Join{Left: events, Right: people, Type: LeftSemi, Cond: cond(t, "player = name")},
			"player string?, score bigint?, age bigint?", "player = name", "", "player, score, age#L2 AS age"},
		{"no condition",
			&Join{Left: people, Right: events, Type: Cross},
			"name string, age int?, player string?, score bigint?, age bigint?", "", "", ""},
		{"using inner",
			&Join{Left: events, Right: people, Type: Inner, Using: []string{"AGE"}},
			"age bigint?, player string?, score bigint?, name string", "age#L2 = CAST(age#R1 AS BIGINT)", "", "age#L2 AS age, player, score, name"},
		{"using right outer",
			&Join{Left: events, Right: people, Type: RightOuter, Using: []string{"age"}},
			"age int?, player string?, score bigint?, name string", "age#L2 = CAST(age#R1 AS BIGINT)", "", "age#R1 AS age, player, score, name"},
		{"using full outer coalesces",
			&Join{Left: events, Right: people, Type: FullOuter, Using: []string{"age"}},
			"age bigint?, player string?, score bigint?, name string?", "age#L2 = CAST(age#R1 AS BIGINT)", "", "coalesce(age#L2, age#R1) AS age, player, score, name"},
		{"using semi",
			&Join{Left: events, Right: people, Type: LeftAnti, Using: []string{"age"}},
			"age bigint?, player string?, score bigint?", "age#L2 = CAST(age#R1 AS BIGINT)", "", "age#L2 AS age, player, score"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, err := Analyze(tc.join)
			if err != nil {
				t.Fatal(err)
			}
			j := n.(*Join)
			if got := describe(j.Schema()); got != tc.out {
				t.Errorf("schema = %s\nwant %s", got, tc.out)
			}
			var keys []string
			for i := range j.Spec.LeftKeys {
				op := " = "
				if j.Spec.NullSafe[i] {
					op = " <=> "
				}
				keys = append(keys, j.Spec.LeftKeys[i].String()+op+j.Spec.RightKeys[i].String())
			}
			if got := strings.Join(keys, ", "); got != tc.keys {
				t.Errorf("keys = %q, want %q", got, tc.keys)
			}
			res := ""
			if j.Spec.Residual != nil {
				res = j.Spec.Residual.String()
			}
			if res != tc.residual {
				t.Errorf("residual = %q, want %q", res, tc.residual)
			}
			if tc.expr != "" {
				if got := exprs(j.Spec.Output); got != tc.expr {
					t.Errorf("output = %q, want %q", got, tc.expr)
				}
			}
		})
	}
}

func TestResolveJoinQualified(t *testing.T) {
	a := &SubqueryAlias{Child: rel(false, "a", "id BIGINT, v STRING"), Name: "a"}
	b := &SubqueryAlias{Child: rel(false, "b", "id BIGINT, w STRING"), Name: "b"}
	n, err := Analyze(&Join{Left: a, Right: b, Type: Inner, Cond: cond(t, "a.id = b.id AND b.w > a.v")})
	if err != nil {
		t.Fatal(err)
	}
	j := n.(*Join)
	if got, want := j.Spec.LeftKeys[0].String()+" = "+j.Spec.RightKeys[0].String(), "id#L0 = id#R0"; got != want {
		t.Errorf("key = %s, want %s", got, want)
	}
	if got, want := j.Spec.Residual.String(), "(w > v)"; got != want {
		t.Errorf("residual = %s, want %s", got, want)
	}
	if got, want := describe(j.Schema()), "id bigint?, v string?, id bigint?, w string?"; got != want {
		t.Errorf("schema = %s, want %s", got, want)
	}
}

func TestResolveJoinErrors(t *testing.T) {
	l := &SubqueryAlias{Child: rel(false, "l", "id BIGINT, name STRING"), Name: "l"}
	r := rel(false, "r", "id BIGINT, score DOUBLE")
	tests := []struct {
		name string
		join *Join
		want string
	}{
		{"ambiguous", &Join{Left: l, Right: r, Cond: cond(t, "id = id")},
			"[AMBIGUOUS_REFERENCE] Reference `id` is ambiguous, could be: [`l`.`id`, `id`]."},
		{"unresolved", &Join{Left: l, Right: r, Cond: cond(t, "nme = score")},
			"[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name `nme` cannot be resolved. Did you mean one of the following? [`name`, `id`, `score`]."},
		{"not boolean", &Join{Left: l, Right: r, Cond: cond(t, "score + 1")},
			`[DATATYPE_MISMATCH.JOIN_CONDITION_IS_NOT_BOOLEAN_TYPE] Cannot resolve "(score + 1)" due to data type mismatch: The join condition "(score + 1)" has the invalid type "DOUBLE", expected "BOOLEAN".`},
		{"using missing left", &Join{Left: l, Right: r, Using: []string{"score"}},
			"[UNRESOLVED_USING_COLUMN_FOR_JOIN] USING column `score` cannot be resolved on the left side of the join. The left-side columns: [`id`, `name`]."},
		{"using missing right", &Join{Left: l, Right: r, Using: []string{"name"}},
			"[UNRESOLVED_USING_COLUMN_FOR_JOIN] USING column `name` cannot be resolved on the right side of the join. The right-side columns: [`id`, `score`]."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Analyze(tc.join)
			if err == nil || err.Error() != tc.want {
				t.Errorf("Analyze() error = %v\nwant %s", err, tc.want)
			}
		})
	}
}

func TestParseJoinType(t *testing.T) {
	for in, want := range map[string]JoinType{
		"inner": Inner, "outer": FullOuter, "full": FullOuter, "fullouter": FullOuter, "full_outer": FullOuter,
		"left": LeftOuter, "LEFT_OUTER": LeftOuter, "leftouter": LeftOuter, "right": RightOuter, "right_outer": RightOuter,
		"semi": LeftSemi, "left_semi": LeftSemi, "leftsemi": LeftSemi, "anti": LeftAnti, "left_anti": LeftAnti, "cross": Cross,
	} {
		if got, err := ParseJoinType(in); err != nil || got != want {
			t.Errorf("ParseJoinType(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	want := "Unsupported join type 'sideways'. Supported join types include: 'inner', 'outer', 'full', 'fullouter', 'full_outer', 'leftouter', 'left', 'left_outer', 'rightouter', 'right', 'right_outer', 'leftsemi', 'left_semi', 'semi', 'leftanti', 'left_anti', 'anti', 'cross'."
	if _, err := ParseJoinType("sideways"); err == nil || err.Error() != want {
		t.Errorf("ParseJoinType(sideways) error = %v", err)
	}
}

// watermarked returns a streaming relation whose column ts carries a
// watermark of the given delay.
func watermarked(t *testing.T, name, ddl, ts string, delay time.Duration) Node {
	n, err := Analyze(&EventTimeWatermark{Child: rel(true, name, ddl), Column: ts, Delay: delay})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCheckStreamingJoins(t *testing.T) {
	static := rel(false, "static", "name STRING, age INT")
	events := rel(true, "events", "player STRING, ts TIMESTAMP")
	impressions := watermarked(t, "impressions", "adId BIGINT, impressionTime TIMESTAMP", "impressionTime", 2*time.Hour)
	clicks := watermarked(t, "clicks", "clickAdId BIGINT, clickTime TIMESTAMP", "clickTime", 3*time.Hour)
	plainClicks := rel(true, "clicks", "clickAdId BIGINT, clickTime TIMESTAMP")
	rangeCond := "clickAdId = adId AND clickTime >= impressionTime AND clickTime <= impressionTime + interval 1 hour"
	tests := []struct {
		name        string
		left, right Node
		typ         JoinType
		on          string
		mode        OutputMode
		want        string
	}{
		{"stream-static inner", events, static, Inner, "player = name", Update, ""},
		{"static-stream inner", static, events, Inner, "player = name", Append, ""},
		{"stream-static left outer", events, static, LeftOuter, "player = name", Append, ""},
		{"static-stream left outer", static, events, LeftOuter, "player = name", Append,
			"LeftOuter join with a streaming DataFrame/Dataset on the right and a static DataFrame/Dataset on the left is not supported"},
		{"static-stream left semi", static, events, LeftSemi, "player = name", Append,
			"LeftSemi join with a streaming DataFrame/Dataset on the right and a static DataFrame/Dataset on the left is not supported"},
		{"static-stream left anti", static, events, LeftAnti, "player = name", Append,
			"LeftAnti joins with a streaming DataFrame/Dataset on the right are not supported"},
		{"stream-static right outer", events, static, RightOuter, "player = name", Append,
			"RightOuter join with a streaming DataFrame/Dataset on the left and a static DataFrame/DataSet on the right not supported"},
		{"static-stream right outer", static, events, RightOuter, "player = name", Append, ""},
		{"stream-static full outer", events, static, FullOuter, "player = name", Append,
			"FullOuter joins with streaming DataFrames/Datasets on the left and a static DataFrame/Dataset on the right is not supported"},
		{"static-stream full outer", static, events, FullOuter, "player = name", Append,
			"FullOuter joins with streaming DataFrames/Datasets on the right and a static DataFrame/Dataset on the left is not supported"},
		{"stream-stream inner", impressions, plainClicks, Inner, "clickAdId = adId", Append, ""},
		{"stream-stream update", impressions, plainClicks, Inner, "clickAdId = adId", Update,
			"Join between two streaming DataFrames/Datasets is not supported in Update output mode, only in Append output mode"},
		{"stream-stream without equality", impressions, plainClicks, Inner, "clickTime > impressionTime", Append,
			"Stream-stream join without equality predicate is not supported"},
		{"stream-stream left outer with range", impressions, clicks, LeftOuter, rangeCond, Append, ""},
		{"stream-stream left outer without watermark on the right", impressions, plainClicks, LeftOuter, rangeCond, Append,
			"Stream-stream LeftOuter join between two streaming DataFrame/Datasets is not supported without a watermark in the join keys, or a watermark on the nullable side and an appropriate range condition"},
		{"stream-stream left outer without range", impressions, clicks, LeftOuter, "clickAdId = adId", Append,
			"Stream-stream LeftOuter join between two streaming DataFrame/Datasets is not supported without a watermark in the join keys, or a watermark on the nullable side and an appropriate range condition"},
		{"stream-stream right outer with range", clicks, impressions, RightOuter, rangeCond, Append, ""},
		{"stream-stream left semi with range", impressions, clicks, LeftSemi, rangeCond, Append, ""},
		{"stream-stream full outer with range", impressions, clicks, FullOuter, rangeCond, Append, ""},
		{"stream-stream left outer on event time", impressions, clicks, LeftOuter, "clickAdId = adId AND impressionTime = clickTime", Append, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, err := Analyze(&Join{Left: tc.left, Right: tc.right, Type: tc.typ, Cond: cond(t, tc.on)})
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if err := CheckStreaming(n, tc.mode); err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("CheckStreaming() = %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestJoinEviction(t *testing.T) {
	impressions := watermarked(t, "impressions", "adId BIGINT, impressionTime TIMESTAMP", "impressionTime", 2*time.Hour)
	clicks := watermarked(t, "clicks", "clickAdId BIGINT, clickTime TIMESTAMP", "clickTime", 3*time.Hour)
	n, err := Analyze(&Join{Left: impressions, Right: clicks, Type: LeftOuter,
		Cond: cond(t, "clickAdId = adId AND clickTime >= impressionTime AND clickTime <= impressionTime + interval 1 hour")})
	if err != nil {
		t.Fatal(err)
	}
	j := n.(*Join)
	const wm = int64(10 * 3600 * 1000) // 10:00 in milliseconds
	tests := []struct {
		side    JoinSide
		want    int64
		wantCol int
	}{
		// clickTime > wm, clickTime <= impressionTime + 1h => impressionTime > wm - 1h.
		{JoinLeft, (wm - 3600*1000 - 1) * 1000, 1},
		// clickTime >= impressionTime > wm => clickTime > wm (less one ms: inclusive).
		{JoinRight, (wm - 1) * 1000, 1},
	}
	for _, tc := range tests {
		e := j.Eviction(tc.side)
		if !e.ByValue || e.Column != tc.wantCol {
			t.Fatalf("%s eviction = %+v, want by value on column %d", tc.side, e, tc.wantCol)
		}
		if got, ok := e.ThresholdMicros(wm); !ok || got != tc.want {
			t.Errorf("%s threshold = %d, %v; want %d", tc.side, got, ok, tc.want)
		}
	}
	k, err := Analyze(&Join{Left: impressions, Right: clicks, Type: Inner, Cond: cond(t, "adId = clickAdId AND impressionTime = clickTime")})
	if err != nil {
		t.Fatal(err)
	}
	if e := k.(*Join).Eviction(JoinRight); !e.ByKey || e.KeyOrdinal != 1 {
		t.Errorf("key eviction = %+v, want by key 1", e)
	}
}

func TestDeduplicate(t *testing.T) {
	s := watermarked(t, "s", "id BIGINT, ID2 STRING, ts TIMESTAMP", "ts", 10*time.Second)
	tests := []struct {
		name     string
		keys     []string
		within   bool
		wantKeys string
		evict    int
		err      string
	}{
		{"all columns", nil, false, "Deduplicate [id, ID2, ts]", 2, ""},
		{"some columns ignoring case", []string{"id2"}, false, "Deduplicate [ID2]", -1, ""},
		{"event time key", []string{"TS", "id"}, false, "Deduplicate [ts, id]", 0, ""},
		{"within watermark", []string{"id"}, true, "DeduplicateWithinWatermark [id]", -1, ""},
		{"unknown column", []string{"nope"}, false, "", -1, `[UNRESOLVED_COLUMN_AMONG_FIELD_NAMES] Cannot resolve column name "nope" among (id, ID2, ts).`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, err := Analyze(&Deduplicate{Child: s, Keys: tc.keys, WithinWatermark: tc.within})
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Errorf("Analyze() error = %v, want %s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			d := n.(*Deduplicate)
			if got := d.String(); got != tc.wantKeys {
				t.Errorf("String() = %q, want %q", got, tc.wantKeys)
			}
			if got := d.EventTimeKey(); got != tc.evict {
				t.Errorf("EventTimeKey() = %d, want %d", got, tc.evict)
			}
		})
	}
}

func TestCheckDeduplicate(t *testing.T) {
	plain := rel(true, "s", "v STRING")
	batch := rel(false, "b", "v STRING")
	tests := []struct {
		name  string
		n     Node
		batch bool
		want  string
	}{
		{"within watermark without watermark", &Deduplicate{Child: plain, WithinWatermark: true}, false,
			"dropDuplicatesWithinWatermark is not supported on streaming DataFrames/DataSets without watermark"},
		{"plain dedup on a stream", &Deduplicate{Child: plain}, false, ""},
		{"within watermark in a batch query", &Deduplicate{Child: batch, WithinWatermark: true}, true,
			"dropDuplicatesWithinWatermark is not supported with batch DataFrames/DataSets"},
		{"plain dedup in a batch query", &Deduplicate{Child: batch}, true, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, err := Analyze(tc.n)
			if err != nil {
				t.Fatal(err)
			}
			if tc.batch {
				err = CheckBatch(n)
			} else {
				err = CheckStreaming(n, Append)
			}
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("check = %q, want %q", got, tc.want)
			}
		})
	}
}
