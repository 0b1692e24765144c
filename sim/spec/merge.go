package spec

// Stricter returns the policy of a thread that spans cohorts under ps,
// listed in cohort order: knob by knob the stricter value (see stricter),
// the first cohort's text where two differ. With one policy it is that
// policy. The checker's expectations for a mixed thread come from here.
func Stricter(ps ...Policy) Policy {
	if len(ps) == 0 {
		return Policy{}
	}
	p := ps[0]
	for _, q := range ps[1:] {
		p = stricter(p, q)
	}
	return p
}
