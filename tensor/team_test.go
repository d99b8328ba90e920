package tensor

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// counts is a Chunker that counts how often each chunk runs.
type counts struct{ n []atomic.Int32 }

func (c *counts) RunChunk(i int) { c.n[i].Add(1) }

func TestParallelRunsEveryChunkOnce(t *testing.T) {
	for _, procs := range []int{1, 2, 4} {
		func() {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			for _, n := range []int{0, 1, 2, 3, 7, 64} {
				for rep := 0; rep < 20; rep++ {
					c := &counts{n: make([]atomic.Int32, n)}
					Parallel(c, n)
					for i := range c.n {
						if got := c.n[i].Load(); got != 1 {
							t.Fatalf("GOMAXPROCS=%d n=%d: chunk %d ran %d times", procs, n, i, got)
						}
					}
				}
			}
		}()
	}
}

func TestParallelFromManyGoroutines(t *testing.T) {
	// Callers that find the helpers busy run their chunks themselves; all
	// finish, each chunk once. Some calls come after the helpers have gone
	// to sleep, to wake them.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for rep := 0; rep < 50; rep++ {
				if rep%10 == 9 {
					time.Sleep(2 * spinFor)
				}
				c := &counts{n: make([]atomic.Int32, 5)}
				Parallel(c, 5)
				for i := range c.n {
					if got := c.n[i].Load(); got != 1 {
						t.Errorf("chunk %d ran %d times", i, got)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}

func TestParallelUsesHelpers(t *testing.T) {
	// With two processors, a chunk that waits for another to start shows
	// that they ran at the same time: one on the caller, one on a helper.
	if runtime.NumCPU() < 2 {
		t.Skip("one CPU: nothing runs at the same time")
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	resetTeam()
	for try := 0; ; try++ {
		r := &rendezvous{}
		Parallel(r, 2)
		if r.met.Load() {
			return
		}
		if try == 20 {
			t.Fatal("in 20 tries, the two chunks of Parallel never ran at the same time")
		}
	}
}

// rendezvous is a Chunker of two chunks that each wait up to 50 ms for the
// other to be running too.
type rendezvous struct {
	running atomic.Int32
	met     atomic.Bool
}

func (r *rendezvous) RunChunk(int) {
	r.running.Add(1)
	defer r.running.Add(-1)
	for deadline := time.Now().Add(50 * time.Millisecond); time.Now().Before(deadline); {
		if r.running.Load() == 2 {
			r.met.Store(true)
			return
		}
		runtime.Gosched()
	}
}

func TestParallelGoesAloneAfterAStall(t *testing.T) {
	// A helper that keeps the caller waiting far longer than the caller's
	// own chunks took (here: a chunk that sleeps, as a helper whose core
	// was taken away would) sends the next products to their callers alone.
	if runtime.NumCPU() < 2 {
		t.Skip("one CPU: nothing runs at the same time")
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	defer resetTeam()
	resetTeam()
	stall := func() {
		t.Helper()
		team.alone.Store(0) // as if the products to run alone had run
		for try := 0; team.alone.Load() == 0; try++ {
			if try == 50 {
				t.Fatal("in 50 tries, a sleeping chunk on a helper never counted as a stall")
			}
			Parallel(sleepy{}, 2)
		}
	}
	stall()
	if got := team.alone.Load(); got != aloneAfterStall {
		t.Fatalf("after one stall, %d products are to run alone, want %d", got, aloneAfterStall)
	}
	stall() // soon after the first: twice as many
	if got := team.alone.Load(); got != 2*aloneAfterStall {
		t.Fatalf("after two stalls in a row, %d products are to run alone, want %d", got, 2*aloneAfterStall)
	}
	team.since = stallWindow // long after: a new streak
	stall()
	if got := team.alone.Load(); got != aloneAfterStall {
		t.Fatalf("after a stall long after the last, %d products are to run alone, want %d", got, aloneAfterStall)
	}
	c := &counts{n: make([]atomic.Int32, 4)}
	Parallel(c, 4)
	if got := team.alone.Load(); got != aloneAfterStall-1 {
		t.Errorf("after one more product, %d are to run alone, want %d", got, aloneAfterStall-1)
	}
	for i := range c.n {
		if c.n[i].Load() != 1 {
			t.Errorf("chunk %d ran %d times", i, c.n[i].Load())
		}
	}
}

// sleepy is a Chunker of two chunks: chunk 0 takes 1 ms, time for a
// helper to wake and take chunk 1, which sleeps for 20 ms.
type sleepy struct{}

func (sleepy) RunChunk(i int) {
	if i == 1 {
		time.Sleep(20 * time.Millisecond)
		return
	}
	for start := time.Now(); time.Since(start) < time.Millisecond; {
	}
}

// resetTeam forgets the stalls the team has seen.
func resetTeam() {
	for !team.busy.CompareAndSwap(false, true) {
	}
	team.alone.Store(0)
	team.stalls, team.since = 0, 0
	team.busy.Store(false)
}

// panicky is a Chunker whose chunk 2 panics; it counts the others.
type panicky struct{ counts }

func (p *panicky) RunChunk(i int) {
	if i == 2 {
		panic("chunk 2 failed")
	}
	p.counts.RunChunk(i)
}

func TestParallelPanicsOnTheCaller(t *testing.T) {
	// A panic in a chunk, wherever it runs, comes out of Parallel on the
	// caller (where a recover can catch it) once the other chunks are done,
	// and the team goes on working.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	for rep := 0; rep < 50; rep++ {
		p := &panicky{counts{n: make([]atomic.Int32, 6)}}
		func() {
			defer func() {
				if r := recover(); r != "chunk 2 failed" {
					t.Fatalf("recovered %v, want the chunk's panic", r)
				}
			}()
			Parallel(p, 6)
		}()
		for i := range p.n {
			if want := int32(1); i == 2 && p.n[i].Load() != 0 || i != 2 && p.n[i].Load() != want {
				t.Fatalf("chunk %d ran %d times", i, p.n[i].Load())
			}
		}
	}
	c := &counts{n: make([]atomic.Int32, 4)}
	Parallel(c, 4)
	for i := range c.n {
		if c.n[i].Load() != 1 {
			t.Fatalf("after the panics, chunk %d ran %d times", i, c.n[i].Load())
		}
	}
}

func TestBlocks8(t *testing.T) {
	// The chunks cover [0, n) in order, without gaps or overlaps, each
	// starting at a multiple of eight, and only the last ending off one.
	for _, n := range []int{0, 1, 7, 8, 9, 63, 64, 100, 1000, 32769} {
		for chunks := 1; chunks <= 8; chunks++ {
			end := 0
			for i := range chunks {
				i0, i1 := blocks8(i, n, chunks)
				if i0 != end || i1 < i0 || i0%8 != 0 || (i < chunks-1 && i1%8 != 0) {
					t.Fatalf("n=%d chunks=%d: chunk %d is [%d, %d) after %d", n, chunks, i, i0, i1, end)
				}
				end = i1
			}
			if end != n {
				t.Fatalf("n=%d chunks=%d: the chunks end at %d", n, chunks, end)
			}
		}
	}
}
