package optim

import (
	"fmt"
	"maps"
	"slices"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

// State is everything an optimizer's future Steps depend on, detached from
// the optimizer: what a trainer saves beside the parameters to resume
// training (PyTorch's optimizer state_dict). Optimizer.State returns one and
// Optimizer.LoadState takes one; MarshalBinary and UnmarshalBinary turn it
// into bytes and back.
//
// Values are float64; a float32 optimizer's buffers convert exactly, so a
// State resumes bit for bit when loaded into an optimizer of the same name
// and element type.
type State struct {
	// Name is the optimizer's name as New accepts it ("adam").
	Name string
	// Steps is the number of Steps taken (Adam's t).
	Steps int
	// Hyper holds the hyperparameters by key: "lr" and "weight_decay" for
	// every optimizer, "momentum" for Momentum and Nesterov, "decay" for
	// RMSprop, "beta1" and "beta2" for Adam.
	Hyper map[string]float64
	// Slots holds the per-parameter buffers by name: "v" (Momentum,
	// Nesterov), "h" (AdaGrad, RMSprop), "m" and "v" (Adam). Slots[name][i]
	// is the flat buffer of the i-th parameter passed to Step, as long as
	// that parameter. Slots is empty for SGD and before the first Step.
	Slots map[string][][]float64
}

// state returns b's State with the given hyperparameters.
func (b *base[T]) state(hs []hyper) State {
	s := State{Name: b.name, Steps: b.t, Hyper: make(map[string]float64, len(hs))}
	for _, h := range hs {
		s.Hyper[h.key] = *h.p
	}
	if len(b.slots) > 0 && b.slots[0] != nil {
		s.Slots = make(map[string][][]float64, len(b.slots))
		for k, name := range b.slotNames {
			bufs := make([][]float64, len(b.slots[k]))
			for i, buf := range b.slots[k] {
				bufs[i] = make([]float64, len(buf))
				for j, v := range buf {
					bufs[i][j] = float64(v)
				}
			}
			s.Slots[name] = bufs
		}
	}
	return s
}

// load replaces b's state and the hyperparameters hs by s, after checking
// that s is complete and valid for this optimizer; on error b is unchanged.
func (b *base[T]) load(s State, hs []hyper) error {
	if s.Name != b.name {
		return fmt.Errorf("optim: state is for %q, not %q", s.Name, b.name)
	}
	if err := s.check(hs, b.slotNames); err != nil {
		return err
	}
	for _, h := range hs {
		*h.p = s.Hyper[h.key]
	}
	b.t = s.Steps
	for k, name := range b.slotNames {
		b.slots[k] = nil
		if len(s.Slots) == 0 {
			continue
		}
		b.slots[k] = make([][]T, len(s.Slots[name]))
		for i, src := range s.Slots[name] {
			dst := make([]T, len(src))
			for j, v := range src {
				dst[j] = T(v)
			}
			b.slots[k][i] = dst
		}
	}
	return nil
}

// check reports the first reason s cannot be loaded into an optimizer with
// hyperparameters hs and buffers named slotNames.
func (s State) check(hs []hyper, slotNames []string) error {
	if s.Steps < 0 {
		return fmt.Errorf("optim: %s state: negative step count %d", s.Name, s.Steps)
	}
	known := make(map[string]bool, len(hs))
	for _, h := range hs {
		known[h.key] = true
		x, ok := s.Hyper[h.key]
		if !ok {
			return fmt.Errorf("optim: %s state: missing hyperparameter %q", s.Name, h.key)
		}
		if !h.rule.ok(x) {
			return fmt.Errorf("optim: %s state: %s = %v, want %s", s.Name, h.key, x, h.rule.want)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(s.Hyper)) {
		if !known[k] {
			return fmt.Errorf("optim: %s state: unknown hyperparameter %q", s.Name, k)
		}
	}
	if len(s.Slots) == 0 {
		return nil
	}
	for _, k := range slices.Sorted(maps.Keys(s.Slots)) {
		if !slices.Contains(slotNames, k) {
			return fmt.Errorf("optim: %s state: unknown buffer %q", s.Name, k)
		}
	}
	first := s.Slots[slotNames[0]]
	for _, name := range slotNames {
		bufs, ok := s.Slots[name]
		if !ok {
			return fmt.Errorf("optim: %s state: missing buffer %q", s.Name, name)
		}
		if len(bufs) != len(first) {
			return fmt.Errorf("optim: %s state: buffer %q holds %d parameters, %q holds %d",
				s.Name, name, len(bufs), slotNames[0], len(first))
		}
		for i, buf := range bufs {
			if len(buf) != len(first[i]) {
				return fmt.Errorf("optim: %s state: buffer %q of parameter %d has %d elements, %q has %d",
					s.Name, name, i, len(buf), slotNames[0], len(first[i]))
			}
		}
	}
	return nil
}

// CheckState reports whether s can drive Step for params: an error naming
// the first parameter whose size differs from its buffers, or a count
// mismatch. A trainer resuming from a checkpoint calls it before LoadState
// to turn a mismatched checkpoint into an error instead of a panic in Step.
// It checks only the buffers; LoadState checks the rest.
func CheckState[T tensor.Float](s State, params []*nn.Param[T]) error {
	for _, name := range slices.Sorted(maps.Keys(s.Slots)) {
		bufs := s.Slots[name]
		if len(bufs) != len(params) {
			return fmt.Errorf("optim: %s state holds %d parameters, the model has %d", s.Name, len(bufs), len(params))
		}
		for i, p := range params {
			if len(bufs[i]) != p.Value.Len() {
				return fmt.Errorf("optim: %s state holds %d elements for parameter %d (%q), which has %d",
					s.Name, len(bufs[i]), i, p.Name, p.Value.Len())
			}
		}
	}
	return nil
}
