package tensor

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// The team: helper goroutines that run chunks of a large product beside
// the goroutine that asked for it.
//
// A training step of an MNIST network runs a product of 50-100 µs every
// few tens of µs; handing half of one to a goroutine started with go (or
// woken from sleep) costs about as much as it saves. So each helper, after
// a chunk, spins for spinFor waiting for the next one before it goes to
// sleep, as OpenMP's threads do. Each goroutine, the caller included,
// takes the chunks of its own lane first and then any left over: a helper
// that is late (asleep) leaves its chunks to the caller, so a product is
// never much slower than on one goroutine. One whose thread loses its core
// in the middle of a chunk (to another process, on a busy machine) makes
// the caller wait; see stallMin for what the team does then.
//
// A chunk's elements are computed by the same operations whoever runs it,
// so the bits do not depend on the number of helpers or on timing.

// DefaultSpin is how long a helper of Parallel waits, spinning, for the
// next chunk before it sleeps, unless the environment variable SpinEnv
// says otherwise.
const DefaultSpin = 200 * time.Microsecond

// SpinEnv names the environment variable read at start-up that sets how
// long Parallel's helpers spin: a Go duration ("50us", "1ms") or 0, which
// makes them sleep as soon as they find no chunk (no spinning at all,
// each product then wakes them). It changes the CPU time spent, never the
// results. An unreadable value leaves DefaultSpin; Spin says why.
const SpinEnv = "KISO_SPIN"

// spinFor is the spin in effect, and spinErr why SpinEnv was ignored.
var spinFor, spinErr = parseSpin(os.Getenv(SpinEnv))

// parseSpin reads a value of SpinEnv; "" gives DefaultSpin.
func parseSpin(v string) (time.Duration, error) {
	if v == "" {
		return DefaultSpin, nil
	}
	if v == "0" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 || d > time.Second {
		return DefaultSpin, fmt.Errorf("tensor: %s=%q is not a duration from 0 to 1s (like 50us); spinning %v", SpinEnv, v, DefaultSpin)
	}
	return d, nil
}

// Spin returns how long Parallel's helpers spin for the next chunk before
// they sleep, and, when the environment variable SpinEnv was set but could
// not be read, an error saying so (the spin is then DefaultSpin).
func Spin() (time.Duration, error) { return spinFor, spinErr }

// Chunker is work cut into chunks that can run in any order, at the same
// time, each touching memory that no other chunk writes.
type Chunker interface {
	RunChunk(i int)
}

// task is one product handed to the team: chunks 0..n-1 of c, for lanes
// goroutines (the caller is lane 0, helper h lane h+1).
type task struct {
	c       Chunker
	n       int64
	lanes   int
	claimed []atomic.Bool // chunk i is taken
	done    atomic.Int64  // chunks finished (or panicked)
	refs    atomic.Int32  // the caller and each helper it was posted to
	panic   atomic.Pointer[chunkPanic]
}

// chunkPanic is the value of the first panic of a task's chunks, which
// Parallel raises again on its caller.
type chunkPanic struct{ value any }

var taskPool = sync.Pool{New: func() any { return new(task) }}

// work runs chunks of t until none is left to claim: first those of its
// lane (lane, lane+lanes, ...), then any left over, from the last. So with
// everyone on time, chunk i runs on lane i mod lanes, and consecutive
// products cut alike (a layer's update after its gradient, say) find their
// data in the same core's cache.
func (t *task) work(lane int) {
	n := int(t.n)
	for i := lane; i < n; i += t.lanes {
		if t.claimed[i].CompareAndSwap(false, true) {
			t.run(i)
		}
	}
	for i := n - 1; i >= 0; i-- {
		if !t.claimed[i].Load() && t.claimed[i].CompareAndSwap(false, true) {
			t.run(i)
		}
	}
}

// run runs chunk i, recording a panic instead of letting it crash a
// helper goroutine.
func (t *task) run(i int) {
	defer func() {
		if r := recover(); r != nil {
			t.panic.CompareAndSwap(nil, &chunkPanic{r})
		}
		t.done.Add(1)
	}()
	t.c.RunChunk(i)
}

// release drops one reference to t; the last one returns it to the pool.
func (t *task) release() {
	if t.refs.Add(-1) == 0 {
		t.c = nil
		t.panic.Store(nil)
		taskPool.Put(t)
	}
}

// helper is a goroutine of the team with its mailbox.
type helper struct {
	lane     int
	box      atomic.Pointer[task]
	sleeping atomic.Bool
	wake     chan struct{}
}

func (h *helper) loop() {
	for {
		t := h.box.Swap(nil)
		if t == nil {
			h.wait()
			continue
		}
		t.work(h.lane)
		t.release()
	}
}

// wait returns when h's mailbox may hold a task: after spinning for it,
// or after sleeping until post wakes h.
func (h *helper) wait() {
	start := time.Now()
	for i := 1; spinFor > 0; i++ {
		if h.box.Load() != nil {
			return
		}
		spinPause()
		if i%128 == 0 {
			if time.Since(start) > spinFor {
				break
			}
			runtime.Gosched() // let anything else that wants this core run
		}
	}
	h.sleeping.Store(true)
	if h.box.Load() != nil && h.sleeping.CompareAndSwap(true, false) {
		return // a task came in while going to sleep; post sends no wake
	}
	<-h.wake
}

// post puts t in h's mailbox and wakes h if it sleeps.
func (h *helper) post(t *task) {
	if old := h.box.Swap(t); old != nil {
		old.release() // h never took it; its chunks are done by now
	}
	if h.sleeping.CompareAndSwap(true, false) {
		h.wake <- struct{}{}
	}
}

var team struct {
	busy    atomic.Bool  // a product is using the helpers
	alone   atomic.Int64 // products still to run without them, after a stall
	mu      sync.Mutex   // guards helpers
	helpers []*helper

	// Under busy (see stallMin): the stalls in the current streak (0 for
	// none yet), and the products run with the helpers since the last one.
	stalls, since int
}

// Parallel runs c.RunChunk(i) for i = 0..n-1 and returns when all are
// done: on the calling goroutine and on up to GOMAXPROCS-1 helper
// goroutines that wait, spinning for a while, for the next chunks (see
// the top of this file). Large matrix products use it; so may anything
// else that is worth cutting into chunks of some tens of microseconds.
// If another goroutine is using the helpers, or GOMAXPROCS is 1, the
// caller runs every chunk itself, in order. Parallel allocates nothing
// (c should be a pointer, so that converting it to a Chunker does not
// either). If chunks panic, the others still run, and Parallel then panics
// on its caller with the first panic's value.
func Parallel(c Chunker, n int) {
	procs := runtime.GOMAXPROCS(0)
	if n < 2 || procs < 2 || team.alone.Load() > 0 && team.alone.Add(-1) >= 0 || !team.busy.CompareAndSwap(false, true) {
		runAlone(c, n)
		return
	}
	helpers := teamHelpers(min(procs, n) - 1)
	t := taskPool.Get().(*task)
	t.c, t.n, t.lanes = c, int64(n), 1+len(helpers)
	if cap(t.claimed) < n {
		t.claimed = make([]atomic.Bool, n)
	}
	t.claimed = t.claimed[:n]
	for i := range t.claimed {
		t.claimed[i].Store(false)
	}
	t.done.Store(0)
	t.refs.Store(int32(1 + len(helpers)))
	for _, h := range helpers {
		h.post(t)
	}
	team.since++
	start := time.Now()
	t.work(0)
	// The chunks not finished yet are running on helpers, which are awake,
	// unless the operating system has taken their core away.
	if t.done.Load() < t.n {
		worked := time.Since(start)
		for i := 1; t.done.Load() < t.n; i++ {
			spinPause()
			if i%128 == 0 {
				runtime.Gosched()
			}
		}
		if waited := time.Since(start) - worked; waited > 4*worked+stallMin {
			if team.stalls > 0 && team.since < stallWindow {
				team.stalls = min(team.stalls+1, maxStalls)
			} else {
				team.stalls = 1
			}
			team.alone.Store(aloneAfterStall << (team.stalls - 1))
			team.since = 0
		}
	}
	p := t.panic.Load()
	t.release()
	team.busy.Store(false)
	if p != nil {
		panic(p.value)
	}
}

// When the caller of Parallel, done with its chunks, waits for a helper
// much longer than the chunks take (more than four times its own work and
// stallMin), the helper's thread has lost its core: for a moment (the
// garbage collector's turn, say) or for good, to another process on a busy
// machine. Waiting on it costs more than the team gains, so the next
// aloneAfterStall·2^s products run on their callers alone (and the helpers,
// idle, go to sleep and leave the cores to the others), where s counts the
// stalls that came within stallWindow products of the one before, up to
// maxStalls: a lone stall costs a few products, a busy machine soon sends
// nearly everything to run alone.
const (
	stallMin        = 200 * time.Microsecond
	aloneAfterStall = 16
	stallWindow     = 1024
	maxStalls       = 12
)

// runAlone runs chunks 0..n-1 of c on the caller, in order, all of them
// even if some panic, and then panics with the first panic's value.
func runAlone(c Chunker, n int) {
	var first *chunkPanic
	for i := 0; i < n; i++ {
		if p := runChunk(c, i); p != nil && first == nil {
			first = p
		}
	}
	if first != nil {
		panic(first.value)
	}
}

// runChunk runs chunk i of c and returns its panic, if it panics.
func runChunk(c Chunker, i int) (p *chunkPanic) {
	defer func() {
		if r := recover(); r != nil {
			p = &chunkPanic{r}
		}
	}()
	c.RunChunk(i)
	return nil
}

// teamHelpers returns n helpers, starting those that do not run yet.
func teamHelpers(n int) []*helper {
	team.mu.Lock()
	defer team.mu.Unlock()
	for len(team.helpers) < n {
		h := &helper{lane: len(team.helpers) + 1, wake: make(chan struct{}, 1)}
		team.helpers = append(team.helpers, h)
		go h.loop()
	}
	return team.helpers[:n]
}

// blocks8 returns the bounds [i0, i1) of chunk i of n elements cut into
// chunks pieces on Parallel: multiples of eight (whole 32-byte float32
// blocks, so that each element goes through the code it would go through
// in one piece) but for the last chunk's end, n.
func blocks8(i, n, chunks int) (i0, i1 int) {
	i0, i1 = i*n/chunks&^7, (i+1)*n/chunks&^7
	if i == chunks-1 {
		i1 = n
	}
	return i0, i1
}
