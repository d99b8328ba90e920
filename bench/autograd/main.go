// Command autograd times kiso's autograd for bench/autograd.sh: the
// forward and backward passes of a long scalar graph (the micrograd way of
// computing: one 0-dimensional Variable a number), and one epoch of DeZero's
// step 51 (MNIST, MLP 784-1000-10 with sigmoid, SGD lr 0.01, batches of
// 100, float32) written with autograd's layers or with nn's hand-written
// ones. Each prints one line of key=value figures.
//
//	go run ./bench/autograd scalar -n 1000000
//	go run ./bench/autograd -mode autograd step51
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	ag "github.com/kiso-go/kiso/autograd"
	"github.com/kiso-go/kiso/autograd/layers"
	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/internal/cputime"
	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
	"github.com/kiso-go/kiso/train"
)

func main() {
	n := flag.Int("n", 1_000_000, "scalar: the number of operations in the graph (two a link)")
	mode := flag.String("mode", "autograd", "step51: autograd or nn")
	dir := flag.String("dir", "", "step51: the folder of the four MNIST .gz files (default: kiso's cache, fetched if missing)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile to this file")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "autograd:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	var err error
	switch flag.Arg(0) {
	case "scalar":
		scalar(*n)
	case "step51":
		err = step51(*mode, *dir)
	default:
		err = fmt.Errorf("usage: autograd [flags] scalar|step51")
	}
	if err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "autograd:", err)
		os.Exit(1)
	}
}

// scalar builds y = (((x·a + b)·a + b)·a + b)... with n operations on
// 0-dimensional variables that all want gradients, then backpropagates
// through it: n/2 multiplications and n/2 additions, and the gradients of
// a and b summed over n/2 uses each.
func scalar(n int) {
	runtime.GC()
	c0 := cpuSeconds()
	t0 := time.Now()
	x, a, b := ag.Scalar(0.0), ag.Scalar(0.5), ag.Scalar(1.0)
	y := x
	for range n / 2 {
		y = ag.Add(ag.Mul(y, a), b)
	}
	t1 := time.Now()
	y.Backward()
	t2 := time.Now()
	fmt.Printf("kiso scalar nodes=%d forward_seconds=%.3f backward_seconds=%.3f seconds=%.3f cpu_seconds=%.3f y=%.17g da=%.17g db=%.17g\n",
		n, t1.Sub(t0).Seconds(), t2.Sub(t1).Seconds(), t2.Sub(t0).Seconds(), cpuSeconds()-c0, y.Item(), a.Grad.Item(), b.Grad.Item())
}

func labels(y *tensor.Tensor[float32]) []int {
	t := make([]int, y.Len())
	for i, v := range y.Data {
		t[i] = int(v)
	}
	return t
}

// step51 times one training epoch of DeZero's step 51.
func step51(mode, dir string) error {
	if dir == "" {
		var err error
		if dir, err = data.FetchMNIST(context.Background(), data.FetchOptions{}); err != nil {
			return err
		}
	}
	trainSet, _, err := data.LoadMNIST[float32](dir, data.MNISTOptions{Flatten: true})
	if err != nil {
		return err
	}
	const batchSize, hidden, lr = 100, 1000, 0.01
	r := rng.NewNumpy(0)
	var secs, lossSum float64
	var steps int
	var m0, m1 runtime.MemStats
	c0 := cpuSeconds()
	switch mode {
	case "autograd":
		loader := data.NewLoader(trainSet, batchSize, r)
		loader.Numpy = true
		model := layers.NewMLP([]int{hidden, 10}, ag.Sigmoid[float32], true, r)
		opt := layers.Setup[float32](optim.NewSGD[float32](lr), model)
		runtime.ReadMemStats(&m0)
		t0 := time.Now()
		for x, y := range loader.Epoch() {
			t := labels(y)
			out := model.Forward(ag.Const(x))
			l := ag.SoftmaxCrossEntropy(out, t)
			layers.ClearGrads(model)
			l.Backward()
			opt.Update()
			lossSum += float64(l.Item()) * float64(len(t))
			steps++
		}
		secs = time.Since(t0).Seconds()
		runtime.ReadMemStats(&m1)
	case "nn":
		net, err := nn.Build[float32](nn.MLP(784, []int{hidden}, 10, nn.Sigmoid, nn.MLPOptions{}), nn.Xavier, r)
		if err != nil {
			return err
		}
		tr := train.New[float32](net, &loss.SoftmaxCrossEntropy[float32]{}, optim.NewSGD[float32](lr), train.Config{Epochs: 1, BatchSize: batchSize, Seed: 3})
		h, err := tr.Fit(context.Background(), trainSet, nil)
		if err != nil {
			return err
		}
		secs, lossSum = h.Epochs[0].Seconds, h.Epochs[0].TrainLoss*float64(trainSet.Len())
	default:
		return fmt.Errorf("unknown -mode %q: want autograd or nn", mode)
	}
	cpu := cpuSeconds() - c0
	var perStep string
	if steps > 0 {
		// The loader's batches are counted with the step: they are part
		// of what a step allocates.
		perStep = fmt.Sprintf(" steps=%d allocs_per_step=%.1f bytes_per_step=%.0f", steps, float64(m1.Mallocs-m0.Mallocs)/float64(steps), float64(m1.TotalAlloc-m0.TotalAlloc)/float64(steps))
	}
	fmt.Printf("kiso-%s step51 threads=%d epoch_seconds=%.3f cpu_seconds=%.3f train_loss=%.4f%s\n", mode, runtime.GOMAXPROCS(0), secs, cpu, lossSum/float64(trainSet.Len()), perStep)
	return nil
}

// cpuSeconds returns the CPU time (user and system) the process has used:
// on a shared machine it measures the work where wall time also measures
// the other programs.
func cpuSeconds() float64 { return cputime.Seconds() }
