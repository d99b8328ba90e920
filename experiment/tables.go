package experiment

import (
	"cmp"
	"fmt"
	"strings"
)

// Table is a small table of results, for printing.
type Table struct {
	Title  string
	Header []string
	Rows   [][]string
}

// pct formats an accuracy in [0, 1] as a percentage.
func pct(v float64) string { return fmt.Sprintf("%.2f%%", 100*v) }

// Tables returns the paths' end points and the MNIST runs.
func (r *OptimizersResult) Tables() []Table {
	paths := Table{Title: fmt.Sprintf("f(x, y) = x²/20 + y² from (%g, %g), %d updates", PathStart[0], PathStart[1], len(r.Paths[0].X)-1),
		Header: []string{"optimizer", "lr", "end x", "end y", "f(end)"}}
	for _, p := range r.Paths {
		x, y, f := p.End()
		paths.Rows = append(paths.Rows, []string{p.Name, num(p.LR), fmt.Sprintf("%.4g", x), fmt.Sprintf("%.4g", y), fmt.Sprintf("%.4g", f)})
	}
	return []Table{paths, runsTable(fmt.Sprintf("MNIST, %d steps", len(r.MNIST[0].Losses)), "optimizer", r.MNIST)}
}

// runsTable lists step-trained runs.
func runsTable(title, what string, runs []OptimizerRun) Table {
	t := Table{Title: title, Header: []string{what, "lr", "final loss", "test accuracy"}}
	for _, m := range runs {
		t.Rows = append(t.Rows, []string{m.Name, num(m.LR), fmt.Sprintf("%.4f", m.FinalLoss), pct(m.TestAcc)})
	}
	return t
}

// Tables returns the MNIST runs and the spread of the activations.
func (r *InitResult) Tables() []Table {
	act := Table{Title: "Activations: standard deviation per layer", Header: []string{"activation", "weights", "std by layer", "last layer"}}
	for i := 0; i < len(r.Activations); {
		a := r.Activations[i]
		var stds []string
		j := i
		for ; j < len(r.Activations) && r.Activations[j].Activation == a.Activation && r.Activations[j].Init == a.Init; j++ {
			stds = append(stds, fmt.Sprintf("%.3g", r.Activations[j].Std))
		}
		l := r.Activations[j-1]
		last := fmt.Sprintf("%.0f%% saturated", 100*l.Saturated)
		if a.Activation == "relu" {
			last = fmt.Sprintf("%.0f%% zero", 100*l.Zero)
		}
		act.Rows = append(act.Rows, []string{a.Activation, a.Init, strings.Join(stds, " "), last})
		i = j
	}
	return []Table{act, runsTable(fmt.Sprintf("MNIST, %d steps", len(r.MNIST[0].Losses)), "weights", r.MNIST)}
}

// Tables returns the final accuracy of each scale and their means.
func (r *BatchNormResult) Tables() []Table {
	t := Table{Title: "Final training accuracy by initial weight std", Header: []string{"weight std", "batch norm", "without"}}
	mark := func(acc float64, diverged bool) string {
		if diverged {
			return pct(acc) + " (diverged)"
		}
		return pct(acc)
	}
	for _, run := range r.Runs {
		n := len(run.BN) - 1
		t.Rows = append(t.Rows, []string{fmt.Sprintf("%.3g", run.Scale), mark(run.BN[n], run.DivergedBN), mark(run.Plain[n], run.DivergedPlain)})
	}
	t.Rows = append(t.Rows, []string{"mean", pct(r.MeanBN), pct(r.MeanPlain)})
	return []Table{t}
}

// Tables returns the final accuracies of the three runs.
func (r *OverfitResult) Tables() []Table {
	t := Table{Title: "Final accuracies", Header: []string{"run", "train", "test", "gap"}}
	for _, run := range r.Runs {
		tr, te := run.Final()
		t.Rows = append(t.Rows, []string{run.Name, pct(tr), pct(te), fmt.Sprintf("%.2f points", 100*run.Gap)})
	}
	return []Table{t}
}

// Tables returns the best trials, at most 20.
func (r *SearchResult) Tables() []Table {
	n := min(20, len(r.Trials))
	t := Table{Title: fmt.Sprintf("The best %d of %d trials", n, len(r.Trials)),
		Header: []string{"rank", "trial", "lr", "weight decay", "validation", "train"}}
	for i, tr := range r.Trials[:n] {
		t.Rows = append(t.Rows, []string{itoa(i + 1), itoa(tr.Index), fmt.Sprintf("%.3g", tr.LR), fmt.Sprintf("%.3g", tr.WeightDecay),
			pct(tr.ValAcc), pct(tr.TrainAcc)})
	}
	return []Table{t}
}

// Tables returns the accuracies after training.
func (r *FiltersResult) Tables() []Table {
	return []Table{{Title: "SimpleConvNet", Header: []string{"train accuracy", "test accuracy"},
		Rows: [][]string{{pct(r.TrainAcc), pct(r.TestAcc)}}}}
}

// Tables returns the accuracy and the most frequent confusions.
func (r *MistakesResult) Tables() []Table {
	title := cmp.Or(netTitles[r.Net], r.Net) // a trained network goes by its own title
	t := Table{Title: fmt.Sprintf("%s: test accuracy %s, %d mistakes; the most frequent", title, pct(r.TestAcc), len(r.Mistakes)),
		Header: []string{"label", "predicted", "count"}}
	for _, c := range r.Confusions {
		t.Rows = append(t.Rows, []string{itoa(c.Label), itoa(c.Pred), itoa(c.Count)})
	}
	return []Table{t}
}
