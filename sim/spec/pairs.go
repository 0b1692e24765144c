package spec

import "github.com/msgsim/msgsim/sim"

// connect: users connect with each other (DESIGN.md section 1), but not
// while a block stands between them, either way (R7: "nor connect again
// while the block stands").
func (m *Model) connect(op sim.Op) sim.Outcome {
	if o := m.pairTarget(op); o != sim.OK {
		return o
	}
	if m.blockBetween(op.User, op.Target) {
		return sim.Blocked
	}
	m.setConnected(op.User, op.Target, true)
	delete(m.cutByBlock, sim.Direct(op.User, op.Target))
	return sim.OK
}

// disconnect ends the connection both ways.
func (m *Model) disconnect(op sim.Op) sim.Outcome {
	if o := m.pairTarget(op); o != sim.OK {
		return o
	}
	m.setConnected(op.User, op.Target, false)
	delete(m.cutByBlock, sim.Direct(op.User, op.Target))
	return sim.OK
}

// block, R7: when B (op.User) blocks A (op.Target), the connection is
// removed both ways (block_removes_connection), and from then on A cannot
// message B, B gets no notifications caused by A, and A's later group
// messages are not shown to B (see deliver). Blocking again changes
// nothing. A is not told.
func (m *Model) block(op sim.Op) sim.Outcome {
	if o := m.pairTarget(op); o != sim.OK {
		return o
	}
	b, a := op.User, op.Target
	if m.blocks(b, a) {
		return sim.OK
	}
	p := &m.people[b]
	if p.blocks == nil {
		p.blocks = map[sim.UserID]bool{}
	}
	p.blocks[a] = true
	m.markGroups(b, a, true)
	if m.pairPolicy(a, b).BlockRemovesConnection && m.connected(a, b) {
		m.setConnected(a, b, false)
		m.cutByBlock[sim.Direct(a, b)] = true
	}
	return sim.OK
}

// unblock, R7: "Unblocking lifts these rules but does not restore the
// connection", unless unblock_reconnects says it does and no block is
// left between the two.
func (m *Model) unblock(op sim.Op) sim.Outcome {
	if o := m.pairTarget(op); o != sim.OK {
		return o
	}
	b, a := op.User, op.Target
	if !m.blocks(b, a) {
		return sim.OK
	}
	delete(m.people[b].blocks, a)
	m.markGroups(b, a, false)
	pair := sim.Direct(a, b)
	if m.pairPolicy(a, b).UnblockReconnects && m.cutByBlock[pair] && !m.blockBetween(a, b) {
		m.setConnected(a, b, true)
		delete(m.cutByBlock, pair)
	}
	return sim.OK
}

// viewProfile, R8: allowed unless a block stands between the two users;
// R7: "A cannot view B's profile and B cannot view A's".
func (m *Model) viewProfile(op sim.Op) sim.Outcome {
	if o := m.pairTarget(op); o != sim.OK {
		return o
	}
	if m.blockBetween(op.User, op.Target) {
		return sim.Blocked
	}
	return sim.OK
}

// post, R9: a post notifies the author's connections, not across blocks
// (R7: the blocker receives no notifications caused by the blocked user,
// posts included). A connection across a block in either direction gets
// none; it counts as held back by the block.
func (m *Model) post(op sim.Op) sim.Outcome {
	author := op.User
	for _, v := range m.people[author].conns {
		if m.blocks(author, v) {
			m.people[v].suppressed[reasonBlocked]++
			continue
		}
		m.notify(v, causePost, author, nil)
	}
	return sim.OK
}

// report, R10: a user reports a user, or a message they received; the
// report is recorded for moderation and, with block: true (op.AndBlock),
// the reporter also blocks the target. Reported content stays visible.
func (m *Model) report(op sim.Op) sim.Outcome {
	if o := m.pairTarget(op); o != sim.OK {
		return o
	}
	if op.Msg != 0 {
		t, pos, o := m.received(op)
		if o != sim.OK {
			return o
		}
		t.reported = append(t.reported, report{by: op.User, pos: pos})
	}
	if op.AndBlock {
		m.block(sim.Op{Action: sim.Block, At: op.At, User: op.User, Target: op.Target})
	}
	return sim.OK
}

// notifications, R6: a user turns all their notifications off or on.
func (m *Model) notifications(op sim.Op) sim.Outcome {
	m.people[op.User].off = !op.On
	return sim.OK
}
