package scenarios

import (
	"go.yaml.in/yaml/v3"

	"github.com/msgsim/msgsim/sim"
)

// policy reads `policy: <preset>` or `policy: {preset: <preset>, <knob>:
// <value>...}`, the field at path, into p, which holds the default policy,
// and returns the names of the knobs the file sets, in Knobs order, or nil
// when it names only a preset. A mapping without a preset keeps p's
// knobs: knobs is then nil only when p itself came from a preset alone.
func (l *loader) policy(n *yaml.Node, path string, p *sim.Policy, base []string) (knobs []string) {
	n = l.resolve(n)
	if n.Kind == yaml.ScalarNode && !isNull(n) {
		if preset, ok := l.preset(n, path); ok {
			*p = preset
		}
		return nil
	}
	known := []string{"preset"}
	for _, k := range sim.Knobs() {
		known = append(known, k.Name)
	}
	f, ok := l.mapping(n, path, known)
	if !ok {
		return base
	}
	set := map[string]bool{}
	if v := f.val["preset"]; v != nil {
		if preset, ok := l.preset(v, join(path, "preset")); ok {
			*p = preset
		}
	} else {
		for _, k := range base {
			set[k] = true
		}
	}
	for _, k := range sim.Knobs() {
		if v := f.val[k.Name]; v != nil {
			l.knob(k, v, join(path, k.Name), p)
			set[k.Name] = true
		}
	}
	for _, k := range sim.Knobs() {
		if set[k.Name] {
			knobs = append(knobs, k.Name)
		}
	}
	return knobs
}

// preset returns the policy preset named by n.
func (l *loader) preset(n *yaml.Node, path string) (sim.Policy, bool) {
	name, ok := l.str(n, path, "a policy preset name")
	if !ok {
		return sim.Policy{}, false
	}
	p, ok := sim.Preset(name)
	if !ok {
		l.errorf(n, path, "%s", unknown("policy preset", name, sim.PresetNames()))
	}
	return p, ok
}

// knob sets knob k of p to the value n, which must have the knob's kind.
func (l *loader) knob(k sim.Knob, n *yaml.Node, path string, p *sim.Policy) {
	var v any
	var ok bool
	switch k.Kind {
	case sim.KnobBool:
		v, ok = l.boolean(n, path)
	case sim.KnobDuration:
		v, ok = l.duration(n, path)
	case sim.KnobInt:
		v, ok = l.count(n, path, 0, 1<<31-1)
	case sim.KnobText:
		v, ok = l.str(n, path, "a text (\"\" for none)")
	}
	if !ok {
		return
	}
	if err := k.Set(p, v); err != nil {
		l.errorf(n, path, "%v", err)
	}
}
