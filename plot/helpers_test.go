package plot

import (
	"math"
)

// source is a small deterministic pseudo-random generator (SplitMix64) for
// test data; tests must not depend on math/rand or the clock.
type source uint64

func (s *source) next() uint64 {
	*s += 0x9e3779b97f4a7c15
	z := uint64(*s)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// float returns a uniform value in [0, 1).
func (s *source) float() float64 { return float64(s.next()>>11) / (1 << 53) }

// norm returns a standard normal value (Box-Muller).
func (s *source) norm() float64 {
	u := 1 - s.float()
	return math.Sqrt(-2*math.Log(u)) * math.Cos(2*math.Pi*s.float())
}

// xorLoss imitates the tutorial's loss per step: single-sample SGD on XOR,
// so the loss falls but jumps from step to step.
func xorLoss(n int) (steps, loss []float64) {
	s := source(1)
	steps, loss = make([]float64, n), make([]float64, n)
	for i := range n {
		steps[i] = float64(i)
		base := 0.69*math.Exp(-float64(i)/6000) + 0.005
		loss[i] = base * (0.3 + 1.4*s.float())
		if i > 3000 && i < 9000 && s.float() < 0.05 {
			loss[i] += 0.5 * s.float()
		}
	}
	return steps, loss
}

// spiral returns n points per class of k interleaved spiral arms (the
// classic toy set), labelled by arm.
func spiral(n, k int) ([][2]float64, []int) {
	s := source(2)
	var pts [][2]float64
	var labels []int
	for c := range k {
		for i := range n {
			r := float64(i) / float64(n)
			a := float64(c)*2*math.Pi/float64(k) + 4*r + 0.2*s.norm()
			pts = append(pts, [2]float64{r * math.Cos(a), r * math.Sin(a)})
			labels = append(labels, c)
		}
	}
	return pts, labels
}

// nearestClass returns a soft classifier for k classes: the probability of
// a class falls with the distance to its nearest point.
func nearestClass(pts [][2]float64, labels []int, k int) func(x, y float64) []float64 {
	return func(x, y float64) []float64 {
		d := make([]float64, k)
		for i := range d {
			d[i] = math.Inf(1)
		}
		for i, p := range pts {
			dd := (p[0]-x)*(p[0]-x) + (p[1]-y)*(p[1]-y)
			d[labels[i]] = math.Min(d[labels[i]], dd)
		}
		prob, sum := make([]float64, k), 0.0
		for i := range prob {
			prob[i] = math.Exp(-d[i] / 0.01)
			sum += prob[i]
		}
		for i := range prob {
			if sum > 0 {
				prob[i] /= sum
			} else {
				prob[i] = 1 / float64(k)
			}
		}
		return prob
	}
}

// xorProb is a smooth XOR classifier: two probabilities.
func xorProb(x, y float64) []float64 {
	sig := func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }
	a, b := sig(8*(x-0.5)), sig(8*(y-0.5))
	p1 := a + b - 2*a*b
	return []float64{1 - p1, p1}
}

// bookContour is the book's optimizer comparison: f = x²/20 + y² from
// (-7, 2), with the four optimizers' paths.
func bookContour() ContourOptions {
	f := func(x, y float64) float64 { return x*x/20 + y*y }
	grad := func(x, y float64) (float64, float64) { return x / 10, 2 * y }
	type step func(i int, x, y, gx, gy float64) (float64, float64)
	run := func(st step) ([]float64, []float64) {
		x, y := -7.0, 2.0
		xs, ys := []float64{x}, []float64{y}
		for i := range 30 {
			gx, gy := grad(x, y)
			x, y = st(i, x, y, gx, gy)
			xs, ys = append(xs, x), append(ys, y)
		}
		return xs, ys
	}
	var vx, vy, hx, hy, mx, my float64
	sgd := func(_ int, x, y, gx, gy float64) (float64, float64) { return x - 0.95*gx, y - 0.95*gy }
	momentum := func(_ int, x, y, gx, gy float64) (float64, float64) {
		vx, vy = 0.9*vx-0.1*gx, 0.9*vy-0.1*gy
		return x + vx, y + vy
	}
	adagrad := func(_ int, x, y, gx, gy float64) (float64, float64) {
		hx, hy = hx+gx*gx, hy+gy*gy
		return x - 1.5*gx/(math.Sqrt(hx)+1e-7), y - 1.5*gy/(math.Sqrt(hy)+1e-7)
	}
	var ax, ay float64
	adam := func(i int, x, y, gx, gy float64) (float64, float64) {
		t := float64(i + 1)
		lr := 0.3 * math.Sqrt(1-math.Pow(0.999, t)) / (1 - math.Pow(0.9, t))
		mx, my = mx+0.1*(gx-mx), my+0.1*(gy-my)
		ax, ay = ax+0.001*(gx*gx-ax), ay+0.001*(gy*gy-ay)
		return x - lr*mx/(math.Sqrt(ax)+1e-7), y - lr*my/(math.Sqrt(ay)+1e-7)
	}
	var paths []Path
	for _, o := range []struct {
		name string
		st   step
	}{{"SGD", sgd}, {"Momentum", momentum}, {"AdaGrad", adagrad}, {"Adam", adam}} {
		xs, ys := run(o.st)
		paths = append(paths, Path{o.name, xs, ys})
	}
	return ContourOptions{Title: "f(x, y) = x²/20 + y²", F: f, XMin: -10, XMax: 10, YMin: -5, YMax: 5,
		Paths: paths, Marks: [][2]float64{{0, 0}}}
}

// activations imitates the book's sigmoid activations of five layers with
// a too-small initial weight scale: values crowd around 0.5.
func activations() HistogramOptions {
	s := source(5)
	panels := make([][]float64, 5)
	titles := make([]string, 5)
	for l := range panels {
		titles[l] = "layer " + string(rune('1'+l))
		for range 1000 {
			v := 1 / (1 + math.Exp(-s.norm()*(1.5/float64(l+1))))
			panels[l] = append(panels[l], v)
		}
	}
	return HistogramOptions{Title: "sigmoid activations", Panels: panels, Titles: titles, Bins: 30, Lo: 0, Hi: 1}
}

// filters returns n random size x size filters, some with a stripe pattern.
func filters(n, size int) ImageGridOptions {
	s := source(6)
	ims := make([][]float64, n)
	for i := range ims {
		ims[i] = make([]float64, size*size)
		for j := range ims[i] {
			ims[i][j] = 0.3 * s.norm()
			if i%3 == 0 {
				ims[i][j] += math.Sin(float64(j%size+i) * 1.3)
			}
		}
	}
	return ImageGridOptions{Title: "conv1 filters", Images: ims, H: size, W: size, Cols: 10, Colormap: Diverging}
}

// digits returns ring- and bar-shaped 28x28 "digits" with captions.
func digits() ImageGridOptions {
	var ims [][]float64
	var caps []string
	for i := range 8 {
		im := make([]float64, 28*28)
		for r := range 28 {
			for c := range 28 {
				dx, dy := float64(c)-13.5, float64(r)-13.5
				rr := math.Hypot(dx/0.7, dy)
				var v float64
				if i%2 == 0 {
					v = math.Exp(-math.Pow(rr-8, 2) / 3) // a zero
				} else {
					v = math.Exp(-math.Pow(dx-float64(i%3), 2)/2) * boolf(math.Abs(dy) < 10) // a one
				}
				im[r*28+c] = v
			}
		}
		ims = append(ims, im)
		caps = append(caps, []string{"0 → 6", "1 → 7"}[i%2])
	}
	return ImageGridOptions{Title: "misclassified", Images: ims, H: 28, W: 28, Cols: 4, Captions: caps, Colormap: InvertedGray}
}

func boolf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
