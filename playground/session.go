package playground

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"runtime/debug"
	"time"
)

// A session is one page's run: a goroutine that owns a learner, trains it
// tick by tick while playing, and sends a frame to the page's event
// stream whenever something it shows has changed. Everything else reaches
// the learner through the session's command channel, so no lock guards it.
type session struct {
	id          string
	srv         *Server
	cmds        chan command
	subscribe   chan *subscriber
	unsubscribe chan *subscriber
	// done is closed when the goroutine has ended; endReason says why and
	// may be read once done is closed.
	done      chan struct{}
	endReason string
}

// command is a function run by the session's goroutine; its error is
// sent to reply.
type command struct {
	f     func(st *state) error
	reply chan error
}

// subscriber is one event stream. frames holds at most the latest frame:
// a slow page skips frames rather than holding the session back. The
// session closes frames when it ends.
type subscriber struct{ frames chan []byte }

// errEnded is returned by a command sent to a session that has ended.
var errEnded = errors.New("session ended")

// do runs f on the session's goroutine and returns its error, errEnded if
// the session ends first, or ctx.Err().
func (s *session) do(ctx context.Context, f func(st *state) error) error {
	c := command{f: f, reply: make(chan error, 1)}
	select {
	case s.cmds <- c:
	case <-s.done:
		return errEnded
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-c.reply:
		return err
	case <-s.done:
		return errEnded
	case <-ctx.Done():
		return ctx.Err()
	}
}

// attach registers sub for the session's frames; the next frame, sent at
// once, carries everything. It reports false if the session has ended.
func (s *session) attach(ctx context.Context, sub *subscriber) bool {
	select {
	case s.subscribe <- sub:
		return true
	case <-s.done:
	case <-ctx.Done():
	}
	return false
}

// detach unregisters sub.
func (s *session) detach(sub *subscriber) {
	select {
	case s.unsubscribe <- sub:
	case <-s.done:
	}
}

// state is what the session's goroutine owns.
type state struct {
	s    *session
	cfg  Config
	l    *learner
	heat *heatmaps

	playing  bool
	controls int    // control actions so far; a newer one stops a step request
	err      string // why training stopped, for the page
	panics   int

	subs       map[*subscriber]bool
	lastActive time.Time // last command or attach
	detachedAt time.Time // when the last subscriber left

	// What the next frame must carry.
	full, dirty, pointsChanged, configChanged, historyReset bool

	hist      [][5]float64 // [step, train loss, test loss, train acc, test acc]
	histSent  int          // rows of hist already sent
	trainM    Metrics
	testM     *Metrics
	timing    Timing
	timedAt   time.Time
	timeAgain bool // the network or data changed since the last timing

	heavyCost  time.Duration // a running mean of the heavy part of a frame
	sinceHeavy int           // frames sent since the last heavy one
	// degrade is 1 while the session sends its frames at the full rate;
	// when it falls behind (the machine busy with other work) it grows, up
	// to maxDegrade, and divides the training time and the rate of the
	// heavy work, so that the frames keep coming (see adapt).
	degrade float64

	meterAt                  time.Time
	meterSteps, meterFrames  int
	frames                   int
	stepsPerSec, updatesPerS float64
}

// maxHistory bounds the history rows a session keeps; when it is reached
// every other row is dropped, so the curve keeps its shape at half the
// resolution.
const maxHistory = 4000

func newState(s *session, cfg Config, l *learner, now time.Time) *state {
	st := &state{s: s, subs: map[*subscriber]bool{}, lastActive: now, detachedAt: now, meterAt: now, degrade: 1}
	st.install(cfg, l)
	return st
}

// install makes l, built from cfg, the session's learner, at step 0 with
// a fresh history.
func (st *state) install(cfg Config, l *learner) {
	st.cfg, st.l = cfg, l
	lo, hi := cfg.view()
	if st.heat == nil || st.heat.lo != lo || st.heat.hi != hi {
		st.heat = newHeatmaps(lo, hi)
	}
	st.hist, st.histSent, st.historyReset = st.hist[:0], 0, true
	st.err = ""
	st.meterSteps = l.steps
	st.record()
	st.full, st.dirty, st.timeAgain = true, true, true
}

// run is the session's goroutine. It returns when ctx is cancelled, the
// session expires or is closed, or it has panicked too often.
func (s *session) run(ctx context.Context, st *state) {
	opts := &s.srv.opts
	tick := time.NewTicker(opts.Tick)
	defer func() {
		tick.Stop()
		st.setPlaying(false)
		s.srv.remove(s)
		for sub := range st.subs {
			close(sub.frames)
		}
		close(s.done)
	}()
	for {
		select {
		case <-ctx.Done():
			s.endReason = "the server is shutting down"
			return
		case c := <-s.cmds:
			st.lastActive = time.Now()
			c.reply <- st.safely(func() error { return c.f(st) })
		case sub := <-s.subscribe:
			st.subs[sub] = true
			st.lastActive = time.Now()
			st.full = true
			st.safely(st.sendFrame)
		case sub := <-s.unsubscribe:
			delete(st.subs, sub)
			if len(st.subs) == 0 {
				st.detachedAt = time.Now()
			}
		case now := <-tick.C:
			st.safely(st.tick)
			switch {
			case st.panics >= maxPanics:
				s.endReason = "the session failed repeatedly (an internal error)"
			case len(st.subs) == 0 && now.Sub(st.detachedAt) > opts.DetachGrace:
				s.endReason = "the page was closed"
			case now.Sub(st.lastActive) > opts.IdleTimeout:
				s.endReason = fmt.Sprintf("idle for %v", opts.IdleTimeout)
			default:
				continue
			}
			return
		}
		if s.endReason != "" {
			return
		}
	}
}

// maxPanics is the number of internal errors after which a session ends.
const maxPanics = 3

// safely runs f, turning a panic into an error: training stops, the page
// is told, the server's log gets the stack, and the session and server
// carry on.
func (st *state) safely(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			st.panics++
			st.s.srv.logf("playground: session %s: panic: %v\n%s", st.s.id, r, debug.Stack())
			st.setPlaying(false)
			st.err = "internal error; training stopped (reset to try again)"
			st.dirty = true
			err = errInternal
		}
	}()
	return f()
}

var errInternal = errors.New("internal error")

// setPlaying starts or stops training, keeping the server's count of
// playing sessions, which divides the training budget.
func (st *state) setPlaying(on bool) {
	if on == st.playing {
		return
	}
	st.playing = on
	st.dirty = true
	if on {
		st.s.srv.playing.Add(1)
	} else {
		st.s.srv.playing.Add(-1)
	}
}

// tick trains for one tick's budget if playing and sends a frame if the
// page has something new to show.
func (st *state) tick() error {
	if st.playing {
		st.trainFor(time.Duration(float64(st.s.srv.budget()) / st.degrade))
	}
	now := time.Now()
	if dt := now.Sub(st.meterAt); dt >= 500*time.Millisecond {
		sps := float64(st.l.steps-st.meterSteps) / dt.Seconds()
		ups := float64(st.frames-st.meterFrames) / dt.Seconds()
		if !st.playing {
			sps, ups = 0, 0
		} else {
			st.adapt(ups)
		}
		if sps != st.stepsPerSec || ups != st.updatesPerS {
			st.dirty = true // show the new speed, even if paused
		}
		st.stepsPerSec, st.updatesPerS = sps, ups
		st.meterAt, st.meterSteps, st.meterFrames = now, st.l.steps, st.frames
	}
	if len(st.subs) > 0 && (st.dirty || st.full) {
		return st.sendFrame()
	}
	return nil
}

// maxDegrade bounds state.degrade.
const maxDegrade = 16

// adapt updates st.degrade from the rate of frames ups measured while
// playing: doubled when below 85% of the tick rate, brought back by a
// fifth when above 95% of it.
func (st *state) adapt(ups float64) {
	target := float64(time.Second) / float64(st.s.srv.opts.Tick)
	switch {
	case ups < 0.85*target:
		st.degrade = min(2*st.degrade, maxDegrade)
	case ups > 0.95*target:
		st.degrade = max(0.8*st.degrade, 1)
	}
}

// trainFor takes up to cfg.Speed steps (any number if Speed is 0), fewer
// when the session is degraded, within budget; at least one.
func (st *state) trainFor(budget time.Duration) {
	limit := st.cfg.Speed
	if limit > 0 {
		limit = max(1, int(float64(limit)/st.degrade))
	}
	start := time.Now()
	for n := 0; limit == 0 || n < limit; n++ {
		if !st.stepOnce() {
			return
		}
		if time.Since(start) >= budget {
			return
		}
	}
}

// stepOnce takes one training step; on failure it stops training and
// reports false.
func (st *state) stepOnce() bool {
	if _, err := st.l.step(); err != nil {
		st.setPlaying(false)
		st.err = err.Error()
		st.dirty = true
		return false
	}
	st.err = ""
	st.dirty = true
	return true
}

// record evaluates the network on both sets and appends a history row
// unless one exists for the current step.
func (st *state) record() {
	if n := len(st.hist); n > 0 && int(st.hist[n-1][0]) == st.l.steps {
		return
	}
	trL, trA := st.l.evaluate(st.l.train)
	teL, teA := st.l.evaluate(st.l.test)
	st.trainM = Metrics{Num(trL), Num(trA)}
	st.testM = nil
	if st.l.test != nil {
		st.testM = &Metrics{Num(teL), Num(teA)}
	}
	if len(st.hist) >= maxHistory {
		st.hist = compact(st.hist)
		st.historyReset = true
	}
	st.hist = append(st.hist, [5]float64{float64(st.l.steps), trL, teL, trA, teA})
}

// compact keeps every other row of h, in place.
func compact(h [][5]float64) [][5]float64 {
	n := 0
	for i := 0; i < len(h); i += 2 {
		h[n] = h[i]
		n++
	}
	return h[:n]
}

// sendFrame builds the frame for the current state and hands it to every
// subscriber, replacing a frame not yet taken.
//
// The heavy part of a frame, the heatmaps and the evaluation of both data
// sets, is redone every frame while few sessions play; with many, each
// session redoes it every few frames (see Server.heavyEvery), so that
// every page still gets its frames at the full rate.
func (st *state) sendFrame() error {
	now := time.Now()
	srv := st.s.srv
	var heat *HeatView
	var thumbs *Thumbs
	every := min(int(math.Ceil(float64(srv.heavyEvery(st.heavyCost))*st.degrade)), maxHeavyEvery)
	if st.full || !st.playing || st.sinceHeavy+1 >= every {
		st.record()
		st.heat.update(st.l)
		cost := time.Since(now)
		if st.heavyCost == 0 {
			st.heavyCost = cost
		}
		st.heavyCost = (7*st.heavyCost + cost) / 8
		st.sinceHeavy = 0
		heat = &HeatView{Side: heatSide, Class: b64.EncodeToString(st.heat.class), Conf: b64.EncodeToString(st.heat.conf)}
		thumbs = &Thumbs{Side: neuronSide, Data: b64.EncodeToString(st.heat.neurons)}
	} else {
		st.sinceHeavy++
	}
	if (st.playing || st.timeAgain) && now.Sub(st.timedAt) >= time.Duration(float64(srv.timingEvery())*st.degrade) {
		bp, num := st.l.timeGradients(timingBudget)
		st.timing = Timing{
			BackpropMicros:  Num(float64(bp) / float64(time.Microsecond)),
			NumericalMicros: Num(float64(num) / float64(time.Microsecond)),
			Params:          st.l.params(),
		}
		st.timedAt, st.timeAgain = now, false
	}
	lo, hi := st.cfg.view()
	f := Frame{
		Step:          st.l.steps,
		Playing:       st.playing,
		StepsPerSec:   math.Round(st.stepsPerSec*10) / 10,
		UpdatesPerSec: math.Round(st.updatesPerS*10) / 10,
		Train:         st.trainM,
		Test:          st.testM,
		Timing:        st.timing,
		Net:           netView(st.l),
		Heat:          heat,
		Neurons:       thumbs,
		Error:         st.err,
		View:          [2]Num{Num(lo), Num(hi)},
		Classes:       st.l.classes,
	}
	from := st.histSent
	if st.full || st.historyReset {
		from, f.HistoryReset = 0, true
	}
	for _, row := range st.hist[from:] {
		f.History = append(f.History, [5]Num{Num(row[0]), Num(row[1]), Num(row[2]), Num(row[3]), Num(row[4])})
	}
	if st.full || st.pointsChanged {
		f.Points = st.l.points
		if f.Points == nil {
			f.Points = []Point{}
		}
	}
	if st.full || st.configChanged {
		c := st.cfg
		f.Config = &c
	}
	b, err := json.Marshal(f)
	if err != nil {
		return err
	}
	for sub := range st.subs {
		select {
		case <-sub.frames: // drop the frame the page has not taken
		default:
		}
		sub.frames <- b
	}
	st.frames++
	st.histSent = len(st.hist)
	st.full, st.dirty, st.pointsChanged, st.configChanged, st.historyReset = false, false, false, false, false
	return nil
}

// timingBudget is about how long each method's gradient is repeated to
// time it.
const timingBudget = 300 * time.Microsecond
