package platform

import (
	"encoding/json"
	"math"
	"sort"
	"sync"
	"testing"
	"time"
)

func TestIDJSON(t *testing.T) {
	type doc struct {
		ID  ID   `json:"id"`
		Ref *ID  `json:"ref,omitempty"`
		IDs []ID `json:"ids"`
	}
	big := ID(1<<53 + 1) // not representable as a float64
	ref := ID(math.MaxInt64)
	in := doc{ID: big, Ref: &ref, IDs: []ID{1, 2}}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"9007199254740993","ref":"9223372036854775807","ids":["1","2"]}`
	if string(b) != want {
		t.Fatalf("json = %s, want %s", b, want)
	}
	var out doc
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out.ID != in.ID || *out.Ref != ref || len(out.IDs) != 2 || out.IDs[1] != 2 {
		t.Fatalf("round trip = %+v, want %+v", out, in)
	}
	var bare doc
	if err := json.Unmarshal([]byte(`{"id":12}`), &bare); err != nil || bare.ID != 12 {
		t.Fatalf("bare number: %+v, %v", bare, err)
	}
	for _, bad := range []string{`{"id":"0"}`, `{"id":"-5"}`, `{"id":"abc"}`, `{"id":""}`, `{"id":"1.5"}`,
		`{"id":"9223372036854775808"}`, `{"id":true}`, `{"id":"12 "}`} {
		var d doc
		if err := json.Unmarshal([]byte(bad), &d); err == nil {
			t.Errorf("Unmarshal(%s) = %+v, want an error", bad, d)
		}
	}
}

func TestParseID(t *testing.T) {
	if id, err := ParseID("123"); err != nil || id != 123 || id.String() != "123" {
		t.Fatalf("ParseID(123) = %v, %v", id, err)
	}
	for _, s := range []string{"", "0", "-1", "x", "+", "1e3"} {
		if _, err := ParseID(s); err == nil {
			t.Errorf("ParseID(%q) succeeded", s)
		}
	}
}

func TestIDGenConcurrentStrictlyIncreasing(t *testing.T) {
	g := NewIDGen(5)
	const workers, each = 8, 5000
	got := make([][]ID, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids := make([]ID, each)
			for i := range ids {
				ids[i] = g.Next()
			}
			got[w] = ids
		}()
	}
	wg.Wait()
	var all []ID
	for w, ids := range got {
		for i := 1; i < len(ids); i++ {
			if ids[i] <= ids[i-1] {
				t.Fatalf("worker %d: id %d after %d", w, ids[i], ids[i-1])
			}
		}
		all = append(all, ids...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	for i := 1; i < len(all); i++ {
		if all[i] == all[i-1] {
			t.Fatalf("id %d issued twice", all[i])
		}
	}
	for _, id := range all[:10] {
		if node := (int64(id) >> idSeqBits) & MaxNode; node != 5 {
			t.Fatalf("id %d carries node %d, want 5", id, node)
		}
	}
}

// A frozen or backwards wall clock and an exhausted sequence still give
// strictly increasing ids.
func TestIDGenClockEdges(t *testing.T) {
	now := time.Date(2026, 11, 11, 0, 0, 0, 0, time.UTC)
	g := NewIDGen(MaxNode)
	g.now = func() time.Time { return now }
	prev := g.Next()
	if !prev.Time().Equal(now) {
		t.Fatalf("id time = %v, want %v", prev.Time(), now)
	}
	for i := 0; i < 3*(1<<idSeqBits); i++ {
		if i == 5000 {
			now = now.Add(-time.Hour) // the wall clock steps back
		}
		id := g.Next()
		if id <= prev {
			t.Fatalf("step %d: id %d after %d", i, id, prev)
		}
		prev = id
	}
}

func TestNewIDGenRejectsBadNode(t *testing.T) {
	for _, n := range []int{-1, MaxNode + 1} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("NewIDGen(%d) did not panic", n)
				}
			}()
			NewIDGen(n)
		}()
	}
}

func TestIDGenObserveKeepsIDsAboveSeen(t *testing.T) {
	g := NewIDGen(3)
	future := IDAt(time.Now().Add(time.Hour), 0, 7)
	g.Observe(future)
	if id := g.Next(); id <= future {
		t.Fatalf("after Observe(%d), Next() = %d; want larger", future, id)
	}
	past := IDAt(time.Now().Add(-time.Hour), 0, 0)
	before := g.Next()
	g.Observe(past)
	if id := g.Next(); id <= before {
		t.Fatalf("Observe of an old id moved the generator back: %d after %d", id, before)
	}
}
