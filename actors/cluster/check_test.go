package cluster

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/msgsim/msgsim/actors/cluster/wire"
	"github.com/msgsim/msgsim/sim"
)

// TestNoteCodec: a note of the check comes back field for field from its
// protobuf form, through the bytes remote sends; a facts note keeps its
// facts' sum apart from the pair states' sum of a pairs note.
func TestNoteCodec(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for i := range 2000 {
		n := sim.Note{Kind: sim.NoteKind(1 + rng.IntN(int(sim.NoteOneSided))), Thread: sim.ThreadID(rng.Uint64()),
			User: sim.UserID(rng.Uint32()), Other: sim.UserID(rng.Uint32()), N: rng.Uint32(), Seq: sim.Seq(rng.Uint32()),
			On: rng.IntN(2) == 0}
		if n.Kind == sim.NoteFacts {
			n.Facts = sim.UserFacts{Sum: rng.Uint64(), Steps: rng.Uint32(), Received: rng.Uint32(), Hidden: rng.Uint32(), Deletes: rng.Uint32()}
		} else {
			n.Sum = rng.Uint64()
		}
		for range rng.IntN(4) {
			n.Users = append(n.Users, sim.UserID(rng.Uint32()))
		}
		data, err := proto.Marshal(encodeNote(&n))
		if err != nil {
			t.Fatal(err)
		}
		var w wire.Note
		if err := proto.Unmarshal(data, &w); err != nil {
			t.Fatal(err)
		}
		var got sim.Note
		decodeNote(&w, &got)
		if !reflect.DeepEqual(got, n) {
			t.Fatalf("note %d came back as\n%+v\nwant\n%+v", i, got, n)
		}
	}
}

// TestViolationCodec: a violation and its rank come back from their
// protobuf form.
func TestViolationCodec(t *testing.T) {
	v := sim.Violation{Invariant: sim.I13GroupAdditions, Thread: sim.Group(7), User: 3, Other: 9, Seq: 12,
		Expected: "a join after an add_member", Seen: "a join without one"}
	rank := sim.Rank{Pass: 5, ID: uint64(sim.Group(7)), Sub: 3}
	data, err := proto.Marshal(encodeViolation(&v, rank))
	if err != nil {
		t.Fatal(err)
	}
	var w wire.Violation
	if err := proto.Unmarshal(data, &w); err != nil {
		t.Fatal(err)
	}
	if gotV, gotRank := decodeViolation(&w); gotV != v || gotRank != rank {
		t.Fatalf("came back as %+v %+v, want %+v %+v", gotV, gotRank, v, rank)
	}
}
