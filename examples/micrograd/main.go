// Karpathy's micrograd demo on kiso's autograd: the two-moons set
// (scikit-learn's make_moons(100, noise=0.1) after np.random.seed(1337),
// data.Moons), an MLP 2-16-16-1 with ReLU (337 parameters, weights drawn
// from Python's random.uniform(-1, 1) after random.seed(1337), neuron by
// neuron as micrograd's Neuron draws them, biases 0), the SVM max-margin
// loss mean(relu(1 - y·score)) with L2 regularization 1e-4·Σp², and 100
// steps of SGD on the whole set with the learning rate falling from 1.0 to
// 0.1 (1 - 0.9·k/100). It prints the loss and accuracy at each step as the
// notebook does, and -plot draws the decision boundary.
//
// micrograd computes with one scalar Value a number; this program writes
// the same formulas on matrices (a layer is relu(x·W + b)), so its sums
// run in another order: its losses agree with a float64 PyTorch
// reproduction (testdata/moons_torch.py) to within 1e-12 relative, not
// always bit for bit, and its accuracies exactly (the test compares them).
//
//	go run ./examples/micrograd -plot moons.png
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	ag "github.com/kiso-go/kiso/autograd"
	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/plot"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

type V = ag.Variable[float64]

// mlp is micrograd's MLP(2, [16, 16, 1]): each layer relu(x·W + b) but
// the last, which is linear.
type mlp struct{ W, b []*V }

// newMLP draws the weights as micrograd's Neuron(nin) does, nin values of
// random.uniform(-1, 1) per neuron, neuron after neuron, layer after layer.
func newMLP(sizes []int, r *rng.MT) *mlp {
	m := &mlp{}
	for l := 1; l < len(sizes); l++ {
		in, out := sizes[l-1], sizes[l]
		w := tensor.New[float64](in, out)
		for j := range out {
			for i := range in {
				w.Data[i*out+j] = r.Uniform(-1, 1)
			}
		}
		m.W = append(m.W, ag.Named(fmt.Sprint("W", l), w))
		m.b = append(m.b, ag.Named(fmt.Sprint("b", l), tensor.New[float64](out)))
	}
	return m
}

func (m *mlp) params() []*V { return append(append([]*V{}, m.W...), m.b...) }

// forward returns the scores [N, 1] of the points x [N, 2].
func (m *mlp) forward(x *V) *V {
	for l := range m.W {
		x = ag.Add(ag.MatMul(x, m.W[l]), m.b[l])
		if l < len(m.W)-1 {
			x = ag.ReLU(x)
		}
	}
	return x
}

// loss returns the SVM max-margin loss with L2 regularization and the
// accuracy of the scores for labels y (±1, [N, 1]).
func (m *mlp) loss(x, y *V) (*V, float64) {
	scores := m.forward(x)
	margins := ag.ReLU(ag.Sub(ag.ConstScalar(1.0), ag.Mul(y, scores)))
	dataLoss := ag.Mul(ag.Sum(margins, false), ag.ConstScalar(1/float64(y.Len())))
	var reg *V
	for _, p := range m.params() {
		s := ag.Sum(ag.Mul(p, p), false)
		if reg == nil {
			reg = s
		} else {
			reg = ag.Add(reg, s)
		}
	}
	total := ag.Add(dataLoss, ag.Mul(ag.ConstScalar(1e-4), reg))
	right := 0
	for i, s := range scores.Data.Data {
		if (y.Data.Data[i] > 0) == (s > 0) {
			right++
		}
	}
	return total, float64(right) / float64(y.Len())
}

func main() {
	steps := flag.Int("steps", 100, "the number of SGD steps")
	plotPath := flag.String("plot", "", "draw the decision boundary and the points to this file (.png or .svg)")
	flag.Parse()
	if err := run(os.Stdout, *steps, *plotPath); err != nil {
		fmt.Fprintln(os.Stderr, "micrograd:", err)
		os.Exit(1)
	}
}

// pyFloat writes v as Python's str writes a float: 50.0, 0.8958441028683223.
func pyFloat(v float64) string {
	s := strconv.FormatFloat(v, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eIN") {
		s += ".0"
	}
	return s
}

// run trains for the given number of steps, printing each step's loss and
// accuracy to w, and draws the boundary to plotPath if it is not empty.
func run(w io.Writer, steps int, plotPath string) error {
	if plotPath != "" {
		if err := plot.CheckPath(plotPath); err != nil {
			return err
		}
	}
	set := data.Moons[float64](100, 0.1, rng.NewNumpy(1337))
	y := tensor.New[float64](set.Len(), 1)
	for i, c := range set.Y.Data {
		y.Data[i] = 2*c - 1
	}
	x, t := ag.Const(set.X), ag.Const(y)
	m := newMLP([]int{2, 16, 16, 1}, rng.NewPython(1337))
	for k := range steps {
		total, acc := m.loss(x, t)
		for _, p := range m.params() {
			p.ClearGrad()
		}
		total.Backward()
		lr := 1.0 - 0.9*float64(k)/100
		for _, p := range m.params() {
			for i, g := range p.Grad.Data.Data {
				p.Data.Data[i] -= lr * g
			}
		}
		fmt.Fprintf(w, "step %d loss %s, accuracy %s%%\n", k, pyFloat(total.Item()), pyFloat(acc*100))
	}
	if plotPath == "" {
		return nil
	}
	pts := make([][2]float64, set.Len())
	labels := make([]int, set.Len())
	for i := range pts {
		pts[i] = [2]float64{set.X.Data[2*i], set.X.Data[2*i+1]}
		labels[i] = int(set.Y.Data[i])
	}
	err := plot.Boundary(plotPath, plot.BoundaryOptions{
		Title: "micrograd's moons: MLP 2-16-16-1 on kiso's autograd",
		PredictRows: func(xy []float64, n int) []float64 {
			s := m.forward(ag.NoGrad(ag.Const(tensor.FromSlice(xy[:2*n], n, 2))))
			p := make([]float64, n)
			for i, v := range s.Data.Data {
				if v > 0 {
					p[i] = 1
				}
			}
			return p
		},
		XMin: -1.5, XMax: 2.5, YMin: -1, YMax: 1.5,
		Points: pts, Labels: labels, ClassNames: []string{"-1", "+1"},
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "wrote", plotPath)
	return nil
}
