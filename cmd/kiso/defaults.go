package main

import (
	"fmt"
	"io"
	"math"

	"github.com/kiso-go/kiso/tensor"
	"github.com/kiso-go/kiso/train"
)

// toyDefaults are kiso train's defaults for the toy 2-D sets, in place of
// the general ones (made for MNIST), when the flag is not given. The
// general ones take 40 steps on a toy set of 320 training points and end
// at 55% on circle and spiral; these take 3200 and learn all four sets
// (test accuracy, seeds 1 to 9: circle 0.93-1.00, spiral 0.96-1.00, xor and
// gauss 0.98-1.00), as TensorFlow Playground's small batches and larger
// learning rate do.
var toyDefaults = []struct {
	flag string
	set  func(o *trainOptions)
}{
	{"hidden", func(o *trainOptions) { o.Hidden = "32,32" }},
	{"lr", func(o *trainOptions) { o.LR = 0.01 }},
	{"batch", func(o *trainOptions) { o.Batch = 10 }},
	{"epochs", func(o *trainOptions) { o.Epochs = 100 }},
}

// toyDefaults applies the toy sets' defaults to the flags not given
// (--hidden to an MLP only; the others to any network).
func (o *trainOptions) toyDefaults(changed func(string) bool) {
	if !isToy(o.kind()) {
		return
	}
	for _, d := range toyDefaults {
		if !changed(d.flag) && (d.flag != "hidden" || o.Model == "mlp") {
			d.set(o)
		}
	}
}

// nearChanceMargin is how far above chance (the share of the most common
// class) a final accuracy must be for kiso train not to add a hint.
const nearChanceMargin = 0.1

// hintNearChance writes a hint to w when the run's final accuracy (on the
// test part, else the training set) is within nearChanceMargin of what
// always answering the most common class would score.
func (r *run[T]) hintNearChance(h *train.History, w io.Writer) {
	set, acc := r.ds.test, h.Last().TestAcc
	if set == nil {
		set, acc = r.ds.train, h.Last().TrainAcc
	}
	if set.Classes < 2 || set.Len() == 0 || math.IsNaN(acc) { // a regression, or no accuracy
		return
	}
	chance := majorityShare(set.Y, set.Classes)
	if acc >= chance+nearChanceMargin {
		return
	}
	fmt.Fprintf(w, "hint: accuracy %.2f%% is near chance (%.2f%% for always answering the most common class); "+
		"the network has barely learned: try more --epochs, a larger --lr or a smaller --batch\n", 100*acc, 100*chance)
}

// majorityShare returns the fraction of labels y (class indices) in the
// most common of classes.
func majorityShare[T tensor.Float](y *tensor.Tensor[T], classes int) float64 {
	counts := make([]int, classes)
	for _, v := range y.Data {
		if k := int(v); k >= 0 && k < classes {
			counts[k]++
		}
	}
	most := 0
	for _, c := range counts {
		most = max(most, c)
	}
	return float64(most) / float64(y.Len())
}
