package experiment

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/train"
)

// evalBatch is the batch size of evaluation passes: large enough for fast
// matrix products, small enough to keep a convolution's buffers modest.
const evalBatch = 500

// parallel calls f(ctx, i) for i in [0, n) on up to GOMAXPROCS goroutines
// and returns the first error (by index), after every call has returned.
// The first failure cancels the context the others see.
func parallel(ctx context.Context, n int, f func(ctx context.Context, i int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(n, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if errs[i] = f(ctx, i); errs[i] != nil {
					cancel()
				}
			}
		}()
	}
	for i := 0; i < n && ctx.Err() == nil; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	// A run cancelled because another failed reports ctx.Err(); report
	// the failure that caused it instead.
	var first error
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
		if first == nil {
			first = err
		}
	}
	if first == nil {
		first = ctx.Err()
	}
	return first
}

// stepTrain trains net for steps minibatches from ld with softmax
// cross-entropy and opt (train.Step), the book's loop of a fixed number of iterations,
// and returns the loss of every step. tick is called every tickEvery steps
// and at the end with the steps done since the last call. A NaN or
// infinite loss is an error naming task and the step.
func stepTrain(ctx context.Context, task string, net nn.Layer[float32], opt optim.Optimizer[float32],
	ld *data.Loader[float32], steps int, tick func(n int)) ([]float64, error) {
	const tickEvery = 50
	st := train.NewStep(net, &loss.SoftmaxCrossEntropy[float32]{}, opt)
	losses := make([]float64, steps)
	for i := range steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		x, y := ld.Next()
		v, err := st.Run(x, y)
		if err != nil {
			return nil, fmt.Errorf("experiment: %s: training diverged: loss %v at step %d", task, v, i+1)
		}
		losses[i] = v
		if (i+1)%tickEvery == 0 {
			tick(tickEvery)
		}
	}
	if steps%tickEvery != 0 {
		tick(steps % tickEvery)
	}
	return losses, nil
}

// curves are the accuracies and losses of an epoch-based run at epoch 0
// (before training) and after every epoch, all measured in evaluation mode
// on the whole sets (test figures are NaN without a test set).
//
// A run whose loss became NaN or infinite stops there (Diverged); its
// network is measured as it stands, which usually means predicting one
// class everywhere, and that measure is repeated for the epochs left, so
// that the curves keep their length and say what the network is worth.
type curves struct {
	TrainAcc, TestAcc, TrainLoss, TestLoss []float64
	Diverged                               bool
}

// last returns the last train and test accuracy.
func (c *curves) last() (train, test float64) {
	return c.TrainAcc[len(c.TrainAcc)-1], c.TestAcc[len(c.TestAcc)-1]
}

// add appends one measure.
func (c *curves) add(trainAcc, testAcc, trainLoss, testLoss float64) {
	c.TrainAcc, c.TestAcc = append(c.TrainAcc, trainAcc), append(c.TestAcc, testAcc)
	c.TrainLoss, c.TestLoss = append(c.TrainLoss, trainLoss), append(c.TestLoss, testLoss)
}

// fit trains net with softmax cross-entropy and opt for epochs epochs of
// batches of batch cases, shuffled by r, and measures it on trainSet and
// testSet (which may be nil) before training and after every epoch. tick
// is called with 1 after every epoch (and with the epochs left when
// training diverges).
func fit(ctx context.Context, net nn.Layer[float32], opt optim.Optimizer[float32], trainSet, testSet *data.Set[float32],
	epochs, batch int, r *rng.MT, tick func(n int)) (*curves, error) {
	l := &loss.SoftmaxCrossEntropy[float32]{}
	c := &curves{}
	measure := func() error {
		tr, err := train.Evaluate(ctx, net, l, trainSet, evalBatch)
		if err != nil {
			return err
		}
		te := train.Metrics{Accuracy: math.NaN(), Loss: math.NaN()}
		if testSet != nil {
			if te, err = train.Evaluate(ctx, net, l, testSet, evalBatch); err != nil {
				return err
			}
		}
		c.add(tr.Accuracy, te.Accuracy, tr.Loss, te.Loss)
		return nil
	}
	if err := measure(); err != nil {
		return nil, err
	}
	t := train.New(net, l, opt, train.Config{Epochs: epochs, BatchSize: batch, Rand: r, EvalTrain: true, EvalBatch: evalBatch})
	t.Observers = []train.Observer{train.Funcs{Epoch: func(*train.History) error { tick(1); return nil }}}
	h, err := t.Fit(ctx, trainSet, testSet)
	if err != nil && !errors.Is(err, train.ErrDiverged) {
		return nil, err
	}
	for _, e := range h.Epochs {
		c.add(e.TrainAcc, e.TestAcc, e.TrainLoss, e.TestLoss)
	}
	if err != nil {
		c.Diverged = true
		tick(epochs - len(h.Epochs))
		if err := measure(); err != nil {
			return nil, err
		}
		n := len(c.TrainAcc) - 1
		for len(c.TrainAcc) <= epochs {
			c.add(c.TrainAcc[n], c.TestAcc[n], c.TrainLoss[n], c.TestLoss[n])
		}
	}
	return c, nil
}

// epochAxis returns 0, 1, ..., n-1 as float64, the x values of a curve.
func epochAxis(n int) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = float64(i)
	}
	return xs
}
