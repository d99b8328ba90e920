package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/kiso-go/kiso/train"
)

// progress shows a training run: on a terminal, a bar per epoch with the
// step, the running loss and the time left (schollz/progressbar); anywhere
// else, one line per epoch. It is a train.Observer.
type progress struct {
	w      io.Writer
	epochs int
	tty    bool
	bar    *progressbar.ProgressBar
	sum    float64
	n      int
}

func newProgress(w io.Writer, epochs int) *progress {
	p := &progress{w: w, epochs: epochs}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.tty = true
	}
	return p
}

// OnStep advances the bar; without a terminal it only keeps the running loss.
func (p *progress) OnStep(epoch, step, steps int, loss float64) {
	p.sum += loss
	p.n++
	if !p.tty {
		return
	}
	if p.bar == nil || step == 1 {
		p.bar = progressbar.NewOptions(steps,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription(fmt.Sprintf("epoch %d/%d", epoch, p.epochs)),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100e6),
			progressbar.OptionClearOnFinish(),
		)
	}
	if step == 1 || step%10 == 0 || step == steps {
		p.bar.Describe(fmt.Sprintf("epoch %d/%d loss %.4f", epoch, p.epochs, p.sum/float64(p.n)))
	}
	p.bar.Set(step)
}

// OnEpoch prints the epoch's line.
func (p *progress) OnEpoch(h *train.History) error {
	if p.bar != nil {
		p.bar.Finish()
		p.bar = nil
	}
	p.sum, p.n = 0, 0
	fmt.Fprintln(p.w, epochLine(h.Last(), p.epochs))
	return nil
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Exit()
		p.bar = nil
	}
}

// epochLine formats one epoch's figures; figures that were not measured
// (NaN) are left out.
func epochLine(e train.EpochStats, epochs int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "epoch %*d/%d  train loss %.4f", len(fmt.Sprint(epochs)), e.Epoch, epochs, e.TrainLoss)
	if !math.IsNaN(e.TrainAcc) {
		fmt.Fprintf(&b, " acc %6.2f%%", 100*e.TrainAcc)
	}
	if !math.IsNaN(e.TestLoss) {
		fmt.Fprintf(&b, "  test loss %.4f", e.TestLoss)
	}
	if !math.IsNaN(e.TestAcc) {
		fmt.Fprintf(&b, " acc %6.2f%%", 100*e.TestAcc)
	}
	fmt.Fprintf(&b, "  %s", seconds(e.Seconds))
	return b.String()
}

// seconds formats a duration in seconds for people: "1.23 s", "45 ms".
func seconds(s float64) string {
	if s < 0.1 {
		return fmt.Sprintf("%.3g ms", 1000*s)
	}
	return fmt.Sprintf("%.2f s", s)
}

// epochCount is "1 epoch" or "n epochs".
func epochCount(n int) string {
	if n == 1 {
		return "1 epoch"
	}
	return fmt.Sprintf("%d epochs", n)
}
