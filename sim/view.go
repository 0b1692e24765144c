package sim

// Line is one message as a user sees it.
type Line struct {
	Seq       Seq
	Author    UserID
	At        Time
	Text      string
	Tombstone bool // Text is the policy's tombstone, not the message
}

// View returns what u sees of t, in sequence order (R3, R4, R7, R11).
// It returns nil when u was never a member.
func (t *Thread) View(u UserID, p *Policy) []Line {
	mb := t.member(u)
	if mb == nil {
		return nil
	}
	return t.appendView(make([]Line, 0, len(t.messages)), mb, p)
}

// appendView appends to ls what member mb sees, so a reader of millions of
// views (the digest, the checker) reuses one buffer.
func (t *Thread) appendView(ls []Line, mb *Member, p *Policy) []Line {
	for i := range t.messages {
		if l, ok := t.line(mb, Seq(i+1), p); ok {
			ls = append(ls, l)
		}
	}
	return ls
}

// line returns the line member mb sees at s, if any.
func (t *Thread) line(mb *Member, s Seq, p *Policy) (Line, bool) {
	if !mb.seen(s) || s <= mb.Cleared {
		return Line{}, false
	}
	msg := &t.messages[s-1]
	u := mb.User
	if msg.Author != u && (t.markedAt(u, msg.Author, s) || t.historyHidden(u, msg.Author, p)) {
		return Line{}, false
	}
	l := Line{Seq: s, Author: msg.Author, At: msg.At, Text: msg.Text}
	switch {
	case msg.Recalled && msg.Author == u, t.hidden(s, u):
		l.Text, l.Tombstone = p.TombstoneSelf, true
	case msg.Recalled:
		l.Text, l.Tombstone = p.TombstoneOthers, true
	}
	if l.Tombstone && l.Text == "" {
		return Line{}, false
	}
	return l, true
}

// historyHidden reports whether the policy hides author's earlier messages
// from viewer because viewer blocks author: in a direct thread the pair's
// state says so, in a group an open block mark (a mark stands exactly as
// long as the block, whenever the blocker joined).
func (t *Thread) historyHidden(viewer, author UserID, p *Policy) bool {
	switch {
	case !p.BlockHidesHistory:
		return false
	case t.ID.IsGroup():
		return t.openMark(viewer, author) != nil
	}
	return t.Pair.BlockedBy[side(t.ID, viewer)]
}

// LastLine returns the newest line u sees in t.
func (t *Thread) LastLine(u UserID, p *Policy) (Line, bool) {
	mb := t.member(u)
	if mb == nil {
		return Line{}, false
	}
	for s := t.Last(); s > 0; s-- {
		if l, ok := t.line(mb, s, p); ok {
			return l, true
		}
	}
	return Line{}, false
}
