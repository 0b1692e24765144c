package workload

import "github.com/msgsim/msgsim/sim"

// eventKind says what a scheduled event does when its time comes.
type eventKind uint8

const (
	regretDelete   eventKind = iota // a sender deletes a message it regrets
	stormBlock                      // the n-th block of a block storm
	spamSend                        // the n-th message of a spam wave
	spamReport                      // report wave, from the n-th spam recipient on
	regretFallback                  // a regretted message's delete for me after its delete for everyone
)

// event is an operation (or a step of a burst of them) due at a fixed
// simulated time.
type event struct {
	at   sim.Time
	seq  uint64  // order of scheduling: breaks ties so equal times stay FIFO
	msg  sentMsg // the message a regret deletes
	n    uint32  // the step of a burst
	kind eventKind
}

// schedule is a binary min-heap of events by (at, seq). It is typed, not
// container/heap, so that pushing does not box events into interfaces.
type schedule struct {
	events []event
	seq    uint64
}

func (s *schedule) len() int { return len(s.events) }

func (s *schedule) top() *event { return &s.events[0] }

func (s *schedule) push(e event) {
	e.seq = s.seq
	s.seq++
	s.events = append(s.events, e)
	h := s.events
	i := len(h) - 1
	for i > 0 {
		parent := (i - 1) / 2
		if !h[i].before(&h[parent]) {
			break
		}
		h[i], h[parent] = h[parent], h[i]
		i = parent
	}
}

func (s *schedule) pop() event {
	h := s.events
	e := h[0]
	last := len(h) - 1
	h[0] = h[last]
	h = h[:last]
	i := 0
	for {
		l := 2*i + 1
		if l >= len(h) {
			break
		}
		m := l
		if r := l + 1; r < len(h) && h[r].before(&h[l]) {
			m = r
		}
		if !h[m].before(&h[i]) {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
	s.events = h
	return e
}

func (e *event) before(f *event) bool {
	return e.at < f.at || (e.at == f.at && e.seq < f.seq)
}
