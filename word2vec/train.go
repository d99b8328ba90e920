package word2vec

import (
	"context"
	"fmt"
	"math"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// minLRFraction is where the learning rate ends, as a fraction of the
// first step's: word2vec's floor, starting_alpha * 0.0001.
const minLRFraction = 1e-4

// chunks is the number of pieces a batch's two phases are cut into for
// tensor.Parallel. The result does not depend on it.
const chunks = 4

// Progress is what a Trainer reports after each step.
type Progress struct {
	// Epoch is the current epoch, 1-based, of Epochs.
	Epoch, Epochs int
	// Step is the steps done in this epoch, of Steps.
	Step, Steps int
	// Loss is the mean loss per example over this epoch's steps so far.
	Loss float64
	// LR is the learning rate of the step just taken.
	LR float64
	// Examples is the number of examples (center words) in this epoch so far.
	Examples int
}

// Trainer trains a Model on a corpus. It allocates nothing per step: the
// batch, its negative samples and its gradients live in buffers made once.
type Trainer[T tensor.Float] struct {
	Model   *Model[T]
	corpus  []int32
	sampler *Sampler
	r       *rng.MT
	order   []int32 // the examples' center positions minus Window, shuffled each epoch
	epoch   int     // epochs completed

	nIn, nOut int // rows of In and Out per example
	scale     T   // 1/nIn: CBOW's mean
	// The current batch: n examples, their In rows and Out rows (each
	// target followed by its negatives), then what the compute phase
	// leaves: h, the gradient g of the loss with respect to each score,
	// dh, and each example's loss.
	n       int
	inRows  []int32
	outRows []int32
	h, dh   []T
	g       []T
	loss    []float64

	compute computeJob[T]
	apply   applyJob[T]
}

// NewTrainer returns a trainer of m on corpus, the running ids of a text
// (each below len(m.Words)). The negatives are drawn from the counts of
// the corpus's words raised to m.Config.Power. It returns an error if the
// corpus is shorter than one window (2·Window+1 words), holds an id out of
// range, or has fewer than Negatives+1 distinct words.
func NewTrainer[T tensor.Float](m *Model[T], corpus []int) (*Trainer[T], error) {
	cfg := m.Config
	if len(corpus) < 2*cfg.Window+1 {
		return nil, fmt.Errorf("the corpus has %d words, fewer than the %d of one window (%d words on each side of a word)", len(corpus), 2*cfg.Window+1, cfg.Window)
	}
	if len(corpus) > math.MaxInt32 {
		return nil, fmt.Errorf("the corpus has %d words, more than %d", len(corpus), math.MaxInt32)
	}
	counts := make([]int, len(m.Words))
	ids := make([]int32, len(corpus))
	for i, id := range corpus {
		if id < 0 || id >= len(m.Words) {
			return nil, fmt.Errorf("word %d of the corpus has the id %d, outside the vocabulary of %d words", i, id, len(m.Words))
		}
		counts[id]++
		ids[i] = int32(id)
	}
	s, err := NewSampler(counts, cfg.Power)
	if err != nil {
		return nil, err
	}
	if s.positive < cfg.Negatives+1 {
		return nil, fmt.Errorf("the corpus has %d distinct words, fewer than the %d a step draws (a target and %d negative samples)", s.positive, cfg.Negatives+1, cfg.Negatives)
	}
	t := &Trainer[T]{Model: m, corpus: ids, sampler: s, r: rng.NewNumpy(cfg.Seed + 1)}
	t.order = make([]int32, len(corpus)-2*cfg.Window)
	for i := range t.order {
		t.order[i] = int32(i)
	}
	switch cfg.Arch {
	case CBOW:
		t.nIn, t.nOut = 2*cfg.Window, 1+cfg.Negatives
	case SkipGram:
		t.nIn, t.nOut = 1, 2*cfg.Window*(1+cfg.Negatives)
	}
	t.scale = T(1 / float64(t.nIn))
	b, d := cfg.Batch, cfg.Dim
	t.inRows, t.outRows = make([]int32, b*t.nIn), make([]int32, b*t.nOut)
	t.h, t.dh, t.g, t.loss = make([]T, b*d), make([]T, b*d), make([]T, b*t.nOut), make([]float64, b)
	t.compute.t, t.apply.t = t, t
	return t, nil
}

// Sampler returns the distribution the negatives are drawn from.
func (t *Trainer[T]) Sampler() *Sampler { return t.sampler }

// Epoch returns the number of epochs completed.
func (t *Trainer[T]) Epoch() int { return t.epoch }

// StepsPerEpoch returns the number of steps in an epoch:
// ceil((len(corpus) - 2·Window) / Batch).
func (t *Trainer[T]) StepsPerEpoch() int {
	return (len(t.order) + t.Model.Config.Batch - 1) / t.Model.Config.Batch
}

// Train runs the epochs not yet run, calling report (if not nil) after
// every step. Each epoch visits the examples, the words with Window words
// on each side, in a new random order. When ctx is done it returns
// ctx.Err() after the step under way: the model then holds every finished
// step, and Train, if called again, runs the unfinished epoch anew.
func (t *Trainer[T]) Train(ctx context.Context, report func(Progress)) error {
	cfg := t.Model.Config
	steps := t.StepsPerEpoch()
	total := float64(cfg.Epochs * steps)
	for t.epoch < cfg.Epochs {
		t.r.Shuffle(len(t.order), func(i, j int) { t.order[i], t.order[j] = t.order[j], t.order[i] })
		sum, done := 0.0, 0
		for s := 0; s < steps; s++ {
			if err := ctx.Err(); err != nil {
				return err
			}
			lr := cfg.LR * max(minLRFraction, 1-float64(t.epoch*steps+s)/total)
			batch := t.order[s*cfg.Batch : min((s+1)*cfg.Batch, len(t.order))]
			t.fill(batch)
			t.forwardBackward()
			t.update(t.Model.In, t.Model.Out, T(lr))
			for _, l := range t.loss[:t.n] {
				sum += l
			}
			done += t.n
			if report != nil {
				report(Progress{Epoch: t.epoch + 1, Epochs: cfg.Epochs, Step: s + 1, Steps: steps,
					Loss: sum / float64(done), LR: lr, Examples: done})
			}
		}
		t.epoch++
	}
	return nil
}

// fill sets the batch to the examples at the given offsets (center
// position minus Window), drawing their negatives.
func (t *Trainer[T]) fill(batch []int32) {
	w, k := t.Model.Config.Window, t.Model.Config.Negatives
	t.n = len(batch)
	for e, off := range batch {
		c := int(off) + w
		ctx := t.corpus[c-w : c+w+1]
		in, out := t.inRows[e*t.nIn:(e+1)*t.nIn], t.outRows[e*t.nOut:(e+1)*t.nOut]
		if t.nIn == 1 { // skip-gram: the word predicts each context word
			in[0] = t.corpus[c]
			j := 0
			for i, id := range ctx {
				if i == w {
					continue
				}
				out[j] = id
				t.sampler.SampleTo(out[j+1:j+1+k], int(id), t.r)
				j += 1 + k
			}
			continue
		}
		copy(in, ctx[:w])
		copy(in[w:], ctx[w+1:])
		out[0] = t.corpus[c]
		t.sampler.SampleTo(out[1:], int(out[0]), t.r)
	}
}

// forwardBackward computes, for each example of the batch, h, the loss,
// the gradients g of the loss with respect to the scores h·Out[row], and
// dh, from the model as it is (in parallel; each example on its own).
func (t *Trainer[T]) forwardBackward() {
	t.compute.n = min(chunks, t.n)
	tensor.Parallel(&t.compute, t.compute.n)
}

// update adds -lr times the batch's gradients to in and out (the model's
// matrices in training; zeroed matrices and lr = -1 give the gradients
// themselves), each row's additions in the order of the batch's examples,
// so that the result does not depend on how the rows are shared out.
func (t *Trainer[T]) update(in, out *tensor.Tensor[T], lr T) {
	t.apply.in, t.apply.out, t.apply.lr = in, out, lr
	tensor.Parallel(&t.apply, chunks)
}

type computeJob[T tensor.Float] struct {
	t *Trainer[T]
	n int
}

// RunChunk computes the examples of chunk i of c.n.
func (c *computeJob[T]) RunChunk(i int) {
	t := c.t
	for e := i * t.n / c.n; e < (i+1)*t.n/c.n; e++ {
		t.example(e)
	}
}

// example computes example e: h = scale·Σ In[in rows]; for each Out row o
// with label y (1 for a target, 0 for a negative), the score s = h·Out[o],
// the loss softplus(-s) or softplus(s) (that is -log σ(s) or -log σ(-s)),
// g = σ(s) - y and dh = Σ g·Out[o].
func (t *Trainer[T]) example(e int) {
	m := t.Model
	d, k1 := m.Config.Dim, 1+m.Config.Negatives
	h, dh := t.h[e*d:(e+1)*d], t.dh[e*d:(e+1)*d]
	clear(h)
	clear(dh)
	for _, row := range t.inRows[e*t.nIn : (e+1)*t.nIn] {
		add(h, m.In.Data[int(row)*d:(int(row)+1)*d])
	}
	if t.nIn > 1 {
		for i := range h {
			h[i] *= t.scale
		}
	}
	loss := 0.0
	g := t.g[e*t.nOut : (e+1)*t.nOut]
	for j, row := range t.outRows[e*t.nOut : (e+1)*t.nOut] {
		o := m.Out.Data[int(row)*d : (int(row)+1)*d]
		s := float64(dot(h, o))
		if j%k1 == 0 { // a target: label 1
			loss += softplus(-s)
			g[j] = T(sigmoid(s) - 1)
		} else {
			loss += softplus(s)
			g[j] = T(sigmoid(s))
		}
		axpy(dh, g[j], o)
	}
	t.loss[e] = loss
}

type applyJob[T tensor.Float] struct {
	t       *Trainer[T]
	in, out *tensor.Tensor[T]
	lr      T
}

// RunChunk adds the updates of the rows r with r % chunks == p.
func (a *applyJob[T]) RunChunk(p int) {
	t := a.t
	d := t.Model.Config.Dim
	for e := 0; e < t.n; e++ {
		h, dh := t.h[e*d:(e+1)*d], t.dh[e*d:(e+1)*d]
		g := t.g[e*t.nOut : (e+1)*t.nOut]
		for j, row := range t.outRows[e*t.nOut : (e+1)*t.nOut] {
			if int(row)%chunks == p {
				axpy(a.out.Data[int(row)*d:(int(row)+1)*d], -a.lr*g[j], h)
			}
		}
		for _, row := range t.inRows[e*t.nIn : (e+1)*t.nIn] {
			if int(row)%chunks == p {
				axpy(a.in.Data[int(row)*d:(int(row)+1)*d], -a.lr*t.scale, dh)
			}
		}
	}
}

// sigmoid returns 1/(1+e^-x) without overflow.
func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	z := math.Exp(x)
	return z / (1 + z)
}

// softplus returns log(1+e^x) without overflow: -log σ(-x).
func softplus(x float64) float64 {
	return max(x, 0) + math.Log1p(math.Exp(-math.Abs(x)))
}

// dot returns Σ a[i]·b[i], len(b) >= len(a), in four running sums.
func dot[T tensor.Float](a, b []T) T {
	b = b[:len(a)]
	var s0, s1, s2, s3 T
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// axpy sets y += alpha·x, len(x) >= len(y).
func axpy[T tensor.Float](y []T, alpha T, x []T) {
	x = x[:len(y)]
	i := 0
	for ; i+4 <= len(y); i += 4 {
		y[i] += alpha * x[i]
		y[i+1] += alpha * x[i+1]
		y[i+2] += alpha * x[i+2]
		y[i+3] += alpha * x[i+3]
	}
	for ; i < len(y); i++ {
		y[i] += alpha * x[i]
	}
}

// add sets y += x, len(x) >= len(y).
func add[T tensor.Float](y, x []T) {
	x = x[:len(y)]
	for i := range y {
		y[i] += x[i]
	}
}
