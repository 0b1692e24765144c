package cluster

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/msgsim/msgsim/actors/cluster/wire"
	"github.com/msgsim/msgsim/sim"
)

// TestCodec: a step comes back field for field from its protobuf form,
// through the bytes remote sends, whatever its fields hold.
func TestCodec(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	b := func() bool { return rng.IntN(2) == 1 }
	set := map[string]bool{} // the fields some step below held other than zero
	t.Cleanup(func() {
		// A field this test never sets would come back as the zero it
		// went out as, whatever the codec does with it: a field added to
		// sim.Step or sim.Op must be drawn here too.
		for _, f := range leaves(reflect.TypeFor[envelope](), "") {
			if !set[f] {
				t.Errorf("no step of the test sets %s: draw it, and encode it", f)
			}
		}
	})
	for i := range 2000 {
		e := envelope{op: rng.Uint64(), credit: rng.Uint64(), bypassed: b()}
		m := &e.Step
		m.Kind, m.Thread, m.To = sim.StepKind(rng.IntN(11)), sim.ThreadID(rng.Uint64()), sim.UserID(rng.Uint32())
		m.Author, m.Seq, m.At = sim.UserID(rng.Uint32()), sim.Seq(rng.Uint32()), sim.Time(rng.Int64())
		m.Visible, m.Sender, m.On, m.Quiet = b(), b(), b(), b()
		m.Pair = sim.PairState{Connected: b(), BlockedBy: [2]bool{b(), b()}, CutByBlock: b()}
		m.Pre, m.Outcome, m.Ticket = sim.Outcome(rng.IntN(12)), sim.Outcome(rng.IntN(12)), rng.Uint32()
		m.Op = sim.Op{Action: sim.Action(rng.IntN(int(sim.NumActions))), At: sim.Time(rng.Int64()), User: sim.UserID(rng.Uint32()),
			Target: sim.UserID(rng.Uint32()), Thread: sim.ThreadID(rng.Uint64()), Msg: sim.MsgKey(rng.Uint64()),
			Everyone: b(), On: b(), AndBlock: b()}
		if i%3 == 0 {
			m.Op.Text = "hello, ünïcode"[:rng.IntN(10)] // cut anywhere, even inside a character
		}
		for range rng.IntN(4) {
			m.Op.Members = append(m.Op.Members, sim.UserID(rng.Uint32()))
		}
		nonZero(reflect.ValueOf(e), "", set)
		var w wire.Step
		encode(&e, &w)
		data, err := proto.Marshal(&w)
		if err != nil {
			t.Fatal(err)
		}
		var back wire.Step
		if err := proto.Unmarshal(data, &back); err != nil {
			t.Fatal(err)
		}
		var got envelope
		decode(&back, &got)
		if !reflect.DeepEqual(got, e) {
			t.Fatalf("step %d came back as\n%+v\nwant\n%+v", i, got, e)
		}
	}
}

// leaves returns the paths of the fields of struct type t, down to the
// fields that are not structs or arrays.
func leaves(t reflect.Type, prefix string) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		name := prefix + f.Name
		switch f.Type.Kind() {
		case reflect.Struct:
			out = append(out, leaves(f.Type, name+".")...)
		case reflect.Array:
			for j := range f.Type.Len() {
				out = append(out, fmt.Sprintf("%s[%d]", name, j))
			}
		default:
			out = append(out, name)
		}
	}
	return out
}

// nonZero adds to set the paths of v's leaves (as leaves names them)
// that hold a value other than zero.
func nonZero(v reflect.Value, prefix string, set map[string]bool) {
	for i := range v.NumField() {
		f, name := v.Field(i), prefix+v.Type().Field(i).Name
		switch f.Kind() {
		case reflect.Struct:
			nonZero(f, name+".", set)
		case reflect.Array:
			for j := range f.Len() {
				if !f.Index(j).IsZero() {
					set[fmt.Sprintf("%s[%d]", name, j)] = true
				}
			}
		default:
			if !f.IsZero() {
				set[name] = true
			}
		}
	}
}
