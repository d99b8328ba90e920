package playground

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Control is a request to POST /api/session/{id}/control: Action is
// "play", "pause", "step" (pause, then take Steps steps, 1 if 0) or
// "reset" (pause and go back to step 0: the same data, the initial
// weights the seed gives, a fresh optimizer).
type Control struct {
	Action string `json:"action"`
	Steps  int    `json:"steps,omitempty"`
}

// maxStepsPerRequest caps Control.Steps.
const maxStepsPerRequest = 10000

// MaxSteps caps a session's step counter, and the one an uploaded model
// may carry: 2^40, more than ten days at a million steps a second, far
// from the wrap of an int.
const MaxSteps = 1 << 40

// validate returns an error naming a bad action or step count.
func (c Control) validate() error {
	switch c.Action {
	case "play", "pause", "reset":
		return nil
	case "step":
		if c.Steps < 0 || c.Steps > maxStepsPerRequest {
			return fmt.Errorf("steps %d: must be between 1 and %d", c.Steps, maxStepsPerRequest)
		}
		return nil
	}
	return fmt.Errorf("action %q: want play, pause, step or reset", c.Action)
}

// stepSlice bounds the time a step request holds its session at once: it
// takes its steps in slices of about this long (at least one step each),
// between which the session serves its other requests and frames, and the
// request stops if its client has gone or the server is shutting down.
const stepSlice = 50 * time.Millisecond

// control carries out a valid c, except the steps of "step", which the
// caller takes with steps. Every action stops a step request in progress.
func (st *state) control(c Control) error {
	st.controls++
	switch c.Action {
	case "play":
		st.setPlaying(true)
	case "pause", "step":
		st.setPlaying(false)
	case "reset":
		st.setPlaying(false)
		l, err := newLearner(st.cfg)
		if err != nil {
			return err
		}
		st.install(st.cfg, l)
	}
	st.dirty = true
	return nil
}

// steps takes up to *left steps of the step request started by control
// action number gen, for about stepSlice, and decreases *left by the steps
// taken. It sets *left to 0 when the request is over: a step failed, or
// another control action came since.
func (st *state) steps(left *int, gen int) {
	if st.controls != gen {
		*left = 0
		return
	}
	start := time.Now()
	for *left > 0 {
		if !st.stepOnce() {
			*left = 0
			break
		}
		*left--
		if time.Since(start) >= stepSlice {
			break
		}
	}
	st.timeAgain = true
}

// setConfig switches to the valid configuration c. If it describes the same
// data and network from the same seed, training carries on with the new
// optimizer, learning rate, batch size, regularization, gradient method
// and speed; otherwise the session starts again at step 0 (playing on if
// it was playing). It reports whether it started again.
func (st *state) setConfig(c Config) (reset bool, err error) {
	if st.cfg.sameModel(&c) {
		if err := st.l.setTraining(c); err != nil {
			return false, err
		}
		st.cfg = c
		st.configChanged, st.dirty, st.timeAgain = true, true, true
		return false, nil
	}
	l, err := newLearner(c)
	if err != nil {
		return false, err
	}
	st.install(c, l)
	return true, nil
}

// editPoints applies e to the points: the data set becomes "custom",
// holding the points as they now are. The network keeps its weights unless
// the number of classes changes, which changes the output layer and starts
// again at step 0. It reports whether it started again.
func (st *state) editPoints(e PointEdit) (reset bool, err error) {
	if st.cfg.Problem == "regression" {
		return false, errors.New("points are added and removed in classification only: a regression's points carry values")
	}
	pts, err := e.apply(st.l.points, st.s.srv.opts.Limits)
	if err != nil {
		return false, err
	}
	c := st.cfg
	lo, hi := c.view()
	c.Data, c.Custom, c.View = "custom", pts, [2]float64{lo, hi}
	st.pointsChanged, st.configChanged, st.dirty, st.timeAgain = true, true, true, true
	if c.classes() != st.l.classes {
		l, err := newLearner(c)
		if err != nil {
			return false, err
		}
		st.install(c, l)
		return true, nil
	}
	st.cfg = c
	st.l.cfg.Data, st.l.cfg.Custom, st.l.cfg.View = c.Data, c.Custom, c.View
	st.l.setPoints(pts)
	st.err = ""
	// The history's losses were measured on other data: keep the curve but
	// measure again now.
	if n := len(st.hist); n > 0 && int(st.hist[n-1][0]) == st.l.steps {
		st.hist = st.hist[:n-1]
		if st.histSent > len(st.hist) {
			st.historyReset = true
		}
	}
	st.record()
	return false, nil
}

// historyCSV returns the history as CSV: a header and one row per
// recorded update, empty cells for a missing test set.
func (st *state) historyCSV() []byte {
	st.record()
	var b bytes.Buffer
	b.WriteString("step,train_loss,test_loss,train_accuracy,test_accuracy\n")
	for _, row := range st.hist {
		for i, v := range row {
			if i > 0 {
				b.WriteByte(',')
			}
			if i == 0 {
				b.WriteString(strconv.Itoa(int(v)))
			} else if v == v { // not NaN
				b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
			}
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}
