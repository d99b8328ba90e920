package lm

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/tensor"
	"github.com/kiso-go/kiso/text"
)

// Config is what a Trainer does besides its model, optimizer and data.
type Config struct {
	// Iters is the number of steps of the whole run.
	Iters int
	// Schedule gives the learning rate of each step (from 0); nil keeps
	// the optimizer's.
	Schedule optim.Schedule
	// Clip bounds the global norm of the gradients (optim.ClipGradNorm);
	// 0 turns clipping off.
	Clip float64
	// EvalEvery is the number of steps between loss estimates (made
	// before the step of that number and after the last); 0 makes one
	// after the last step only. EvalIters is the number of batches of
	// each part an estimate averages.
	EvalEvery, EvalIters int
}

// Point is what the Trainer reports after each step, and after each
// estimate.
type Point struct {
	// Step is the number of steps taken.
	Step int
	// LR is the learning rate of the last step, Loss its loss and Norm
	// the global norm of its gradients before clipping (NaN when Clip is
	// 0: not computed).
	LR, Loss, Norm float64
	// Eval is set when TrainLoss and ValLoss hold an estimate, made after
	// Step steps (Loss, LR and Norm are then those of the step before,
	// or NaN at step 0).
	Eval               bool
	TrainLoss, ValLoss float64
	// Tokens is the number of tokens trained on so far in this run,
	// Seconds the time spent in steps (estimates excluded).
	Tokens  int
	Seconds float64
}

// Trainer trains a language model: each step draws a batch, runs the
// model forward and backward through Loss, clips the gradients, sets the
// learning rate from the schedule and steps the optimizer.
type Trainer[T tensor.Float] struct {
	Model Model[T]
	Opt   optim.Optimizer[T]
	Data  Batches
	Config
	// Step is the number of steps taken; set it to resume.
	Step int

	evalSets [2][][2][]int // fixed estimate batches of the two parts, x and y
	x, y     []int
	loss     Loss[T]
}

// NewTrainer returns a trainer of m with opt on batches from data. Its
// estimates average cfg.EvalIters batches drawn now, once, from evalTrain
// and evalVal (which may be nil when cfg.EvalIters is 0), so that every
// estimate sees the same batches.
func NewTrainer[T tensor.Float](m Model[T], opt optim.Optimizer[T], data, evalTrain, evalVal Batches, cfg Config) *Trainer[T] {
	if cfg.Iters < 0 || cfg.EvalEvery < 0 || cfg.EvalIters < 0 || cfg.Clip < 0 {
		panic(fmt.Sprintf("lm: NewTrainer: config %+v has a negative count", cfg))
	}
	tr := &Trainer[T]{Model: m, Opt: opt, Data: data, Config: cfg}
	n := data.Batch() * data.Block()
	tr.x, tr.y = make([]int, n), make([]int, n)
	for k, src := range []Batches{evalTrain, evalVal} {
		for range cfg.EvalIters {
			x, y := make([]int, src.Batch()*src.Block()), make([]int, src.Batch()*src.Block())
			src.Next(x, y)
			tr.evalSets[k] = append(tr.evalSets[k], [2][]int{x, y})
		}
	}
	return tr
}

// ErrDiverged is wrapped by the error of a step whose loss is not finite.
var ErrDiverged = errors.New("the loss is not finite")

// TrainStep takes one step and returns its point (without estimates).
func (tr *Trainer[T]) TrainStep() (Point, error) {
	b, t := tr.Data.Batch(), tr.Data.Block()
	lr := tr.Opt.LR()
	if tr.Schedule != nil {
		lr = tr.Schedule.LR(tr.Step)
		tr.Opt.SetLR(lr)
	}
	tr.Data.Next(tr.x, tr.y)
	logits := tr.Model.Forward(tr.x, b, t, true)
	loss := tr.loss.Forward(logits, tr.y)
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return Point{}, fmt.Errorf("step %d: %w (%v); a lower learning rate may help", tr.Step+1, ErrDiverged, loss)
	}
	tr.Model.Backward(tr.loss.Grad())
	norm := math.NaN()
	if tr.Clip > 0 {
		norm = optim.ClipGradNorm(tr.Model.Params(), tr.Clip)
	}
	tr.Opt.Step(tr.Model.Params())
	tr.Step++
	return Point{Step: tr.Step, LR: lr, Loss: loss, Norm: norm, TrainLoss: math.NaN(), ValLoss: math.NaN()}, nil
}

// Estimate returns the mean loss, in evaluation mode, over the fixed
// batches of the training and the validation part (NaN without any).
func (tr *Trainer[T]) Estimate() (train, val float64) {
	out := [2]float64{math.NaN(), math.NaN()}
	for k, set := range tr.evalSets {
		if len(set) == 0 {
			continue
		}
		var s float64
		for _, xy := range set {
			if st, ok := tr.Model.(Stateful); ok {
				st.ResetState()
			}
			b := len(xy[0]) / tr.Data.Block()
			s += tr.loss.Forward(tr.Model.Forward(xy[0], b, tr.Data.Block(), false), xy[1])
		}
		out[k] = s / float64(len(set))
	}
	if st, ok := tr.Model.(Stateful); ok {
		st.ResetState()
	}
	return out[0], out[1]
}

// Run trains until Step reaches Iters, calling report after every step
// and after every estimate (an estimate before the step numbered a
// multiple of EvalEvery, and one after the last step). It stops at the
// first error of a step or of report, or when ctx is done, after the step
// under way, returning ctx.Err(); Step then says how far it got.
func (tr *Trainer[T]) Run(ctx context.Context, report func(Point) error) error {
	var secs float64
	tokens := 0
	last := Point{LR: math.NaN(), Loss: math.NaN(), Norm: math.NaN()}
	estimate := func() error {
		p := last
		p.Step, p.Eval, p.Tokens, p.Seconds = tr.Step, true, tokens, secs
		p.TrainLoss, p.ValLoss = tr.Estimate()
		return report(p)
	}
	for tr.Step < tr.Iters {
		if err := ctx.Err(); err != nil {
			return err
		}
		if tr.EvalIters > 0 && tr.EvalEvery > 0 && tr.Step%tr.EvalEvery == 0 {
			if err := estimate(); err != nil {
				return err
			}
		}
		start := time.Now()
		p, err := tr.TrainStep()
		if err != nil {
			return err
		}
		secs += time.Since(start).Seconds()
		tokens += len(tr.x)
		p.Tokens, p.Seconds = tokens, secs
		last = p
		if err := report(p); err != nil {
			return err
		}
	}
	if tr.EvalIters > 0 {
		return estimate()
	}
	return nil
}

// FullLoss returns the mean loss of m, in evaluation mode, over every
// non-overlapping window of w (text.Windows.Count of them), batch windows
// at a time, weighted by their tokens: the anchor's full validation loss.
// A Stateful model reads them in order one at a time from its initial
// state, carrying its state across, so that it sees the text as a stream.
func FullLoss[T tensor.Float](ctx context.Context, m Model[T], w *text.Windows, batch int) (float64, error) {
	if batch < 1 {
		panic(fmt.Sprintf("lm: FullLoss: batch %d", batch))
	}
	st, stateful := m.(Stateful)
	if stateful {
		st.ResetState()
		batch = 1
	}
	t, n := w.Block(), w.Count()
	x, y := make([]int, batch*t), make([]int, batch*t)
	var loss Loss[T]
	var sum float64
	for i := 0; i < n; i += batch {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		b := min(batch, n-i)
		for j := range b {
			w.Window(i+j, x[j*t:(j+1)*t], y[j*t:(j+1)*t])
		}
		sum += loss.Forward(m.Forward(x[:b*t], b, t, false), y[:b*t]) * float64(b)
	}
	if stateful {
		st.ResetState()
	}
	return sum / float64(n), nil
}
