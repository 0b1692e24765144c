package workload

import "github.com/msgsim/msgsim/sim"

// pairs is what the realistic model knows of the pairs whose state its own
// operations changed from the graph's: blocks, connections cut and made.
// A client knows its user's blocks and connections, so people do not
// write to whom they blocked; and a send the model expects to be refused
// (a block of the other side, a cut connection) leads to no replies or
// reads of a thread that may not exist. Memory follows the pairs changed,
// a few percent of the operations at most; the graph stays untouched. A
// bit set over the pairs' hashes answers most look-ups (of pairs never
// changed) without a map look-up.
type pairs struct {
	changed map[uint64]pairState
	maybe   []uint64 // bit h(pair) mod 2^pairBits: the pair may have changed
}

// pairBits sizes the bit set: 256 KiB, which a core's cache holds.
const pairBits = 21

func newPairs() pairs {
	return pairs{changed: map[uint64]pairState{}, maybe: make([]uint64, 1<<pairBits/64)}
}

// pairState flags a changed pair, lower user first.
type pairState uint8

const (
	blockedByLow  pairState = 1 << iota // the lower id blocks the higher
	blockedByHigh                       // and the other way
	cut                                 // the graph's connection is gone
	made                                // a connection the graph lacks
)

func pairKey(a, b sim.UserID) (uint64, bool) {
	if a > b {
		return uint64(b)<<32 | uint64(a), false
	}
	return uint64(a)<<32 | uint64(b), true
}

func pairBit(k uint64) uint64 { return mix64(k) >> (64 - pairBits) }

// state returns the pair's state and whether a is its lower user.
func (p *pairs) state(a, b sim.UserID) (pairState, bool) {
	k, low := pairKey(a, b)
	if i := pairBit(k); p.maybe[i/64]&(1<<(i%64)) == 0 {
		return 0, low
	}
	return p.changed[k], low
}

func (p *pairs) set(a, b sim.UserID, change func(st pairState, low bool) pairState) {
	k, low := pairKey(a, b)
	i := pairBit(k)
	p.maybe[i/64] |= 1 << (i % 64)
	p.changed[k] = change(p.changed[k], low)
}

// blocks reports whether a blocks b.
func (p *pairs) blocks(a, b sim.UserID) bool {
	st, low := p.state(a, b)
	if low {
		return st&blockedByLow != 0
	}
	return st&blockedByHigh != 0
}

// refused reports whether a direct message from a to b, who are connected
// in the graph (or were connected by the stream), or an addition of b to a
// group by a, would be refused: a block either way, or the connection
// cut. The stream does not know the policy (it is the same under every
// one): under one that lets anyone message anyone, a message across a
// cut connection gets through, and only loses its replies and reads.
func (p *pairs) refused(a, b sim.UserID) bool {
	st, _ := p.state(a, b)
	return st&(blockedByLow|blockedByHigh|cut) != 0
}

// shunned reports whether a's client would not offer b: a blocks b or
// their connection was cut.
func (p *pairs) shunned(a, b sim.UserID) bool {
	st, low := p.state(a, b)
	own := blockedByHigh
	if low {
		own = blockedByLow
	}
	return st&(own|cut) != 0
}

// connected reports whether the stream connected a and b.
func (p *pairs) connected(a, b sim.UserID) bool {
	st, _ := p.state(a, b)
	return st&made != 0
}

// block records that a blocks b, which cuts their connection (R7).
func (p *pairs) block(a, b sim.UserID) {
	p.set(a, b, func(st pairState, low bool) pairState {
		if low {
			st |= blockedByLow
		} else {
			st |= blockedByHigh
		}
		return (st | cut) &^ made
	})
}

// unblock records that a lifts its block of b; the connection stays cut.
func (p *pairs) unblock(a, b sim.UserID) {
	p.set(a, b, func(st pairState, low bool) pairState {
		if low {
			return st &^ blockedByLow
		}
		return st &^ blockedByHigh
	})
}

// disconnect records that a and b are no longer connected.
func (p *pairs) disconnect(a, b sim.UserID) {
	p.set(a, b, func(st pairState, _ bool) pairState { return (st | cut) &^ made })
}

// connect records that a and b connected, unless a block stands.
func (p *pairs) connect(a, b sim.UserID) {
	p.set(a, b, func(st pairState, _ bool) pairState {
		if st&(blockedByLow|blockedByHigh) != 0 {
			return st
		}
		return (st &^ cut) | made
	})
}
