// Command mnist times kiso on the MNIST workloads of bench/compare.sh, the
// way the reference programs in ../shared/anchors time themselves: the
// training loop alone (no data loading, no evaluation), then the test
// accuracy after it.
//
// usage:
//
//	go run ./bench/mnist -dir DIR mlp    [-dtype float32] [-hidden 50] [-lr 0.1]
//	go run ./bench/mnist -dir DIR cnn    [-steps 600]
//	go run ./bench/mnist -dir DIR infer  [-n 20000]
//	go run ./bench/mnist -dir DIR deep   [-steps 600]
//	go run ./bench/mnist -dir DIR deepinfer
//
// mlp trains the 784-50-10 MLP (Normal(0.01) init, SGD, batch 100) for one
// epoch of 600 steps and prints train_seconds and test_acc; cnn trains
// SimpleConvNet (He init, Adam 0.001, batch 100) for -steps steps and prints
// sec_per_600_iters and test_acc (both also print cpu_seconds, the processor
// time of the training, steadier than wall-clock time on a busy machine); infer prints the median latency in
// microseconds of a single-sample forward pass of the MLP (us_per_sample),
// as mnist_infer in compare.sh measures PyTorch's. deep trains DeepConvNet
// (He init, Adam 0.001, batch 100) for -steps steps and prints
// sec_per_600_iters, cpu_seconds and test_acc, as cnn does; deepinfer
// prints infer_seconds and cpu_seconds, one forward pass of the 10,000 test images through
// an untrained DeepConvNet in batches of 100 (bench/deepconvnet_torch.py
// measures both in PyTorch).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"slices"
	"time"

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
	dir := flag.String("dir", os.ExpandEnv("$HOME/.cache/kiso/mnist"), "folder with the four MNIST .gz files")
	dtype := flag.String("dtype", "float32", "float32 or float64")
	hidden := flag.Int("hidden", 50, "hidden units of the MLP")
	lr := flag.Float64("lr", 0.1, "SGD learning rate of the MLP")
	steps := flag.Int("steps", 600, "training steps of the CNN (batch 100)")
	n := flag.Int("n", 20000, "single-sample forward passes timed by infer")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the run to this file")
	archFile := flag.String("arch", "", "task arch: a JSON architecture file (as kiso train --model FILE), trained like cnn")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "mnist:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: mnist [flags] mlp|cnn|infer|deep|deepinfer|arch")
		os.Exit(2)
	}
	var err error
	switch task := flag.Arg(0); {
	case *dtype == "float64":
		err = run[float64](task, *dir, *archFile, *hidden, *lr, *steps, *n)
	case *dtype == "float32":
		err = run[float32](task, *dir, *archFile, *hidden, *lr, *steps, *n)
	default:
		err = fmt.Errorf("unknown -dtype %q", *dtype)
	}
	if err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "mnist:", err)
		os.Exit(1)
	}
}

func run[T tensor.Float](task, dir, archFile string, hidden int, lr float64, steps, n int) error {
	conv := task == "cnn" || task == "deep" || task == "deepinfer" || task == "arch"
	// The images kept as bytes and converted as each batch is gathered, as
	// kiso train keeps them.
	trainSet, testSet, err := data.LoadMNIST[T](dir, data.MNISTOptions{Flatten: !conv, Bytes: true})
	if err != nil {
		return err
	}
	switch task {
	case "mlp":
		net, err := nn.Build[T](nn.MLP(784, []int{hidden}, 10, nn.ReLU, nn.MLPOptions{}), nn.Normal(0.01), rng.NewNumpy(1))
		if err != nil {
			return err
		}
		return fit(net, optim.NewSGD[T](lr), trainSet, testSet, "train_seconds")
	case "cnn":
		net, err := nn.Build[T](nn.SimpleConvNet(), nn.He, rng.NewNumpy(1))
		if err != nil {
			return err
		}
		if m := steps * 100; m < trainSet.Len() {
			trainSet = trainSet.Subset(seq(m))
		}
		return fit(net, optim.NewAdam[T](0.001, 0.9, 0.999), trainSet, testSet, "sec_per_600_iters")
	case "deep":
		net, err := nn.Build[T](nn.DeepConvNet(), nn.He, rng.NewNumpy(1))
		if err != nil {
			return err
		}
		if m := steps * 100; m < trainSet.Len() {
			trainSet = trainSet.Subset(seq(m))
		}
		return fit(net, optim.NewAdam[T](0.001, 0.9, 0.999), trainSet, testSet, "sec_per_600_iters")
	case "arch":
		b, err := os.ReadFile(archFile)
		if err != nil {
			return fmt.Errorf("task arch needs -arch FILE: %w", err)
		}
		var spec nn.Spec
		if err := json.Unmarshal(b, &spec); err != nil {
			return fmt.Errorf("%s: %w", archFile, err)
		}
		net, err := nn.Build[T](spec, nn.He, rng.NewNumpy(1))
		if err != nil {
			return err
		}
		if m := steps * 100; m < trainSet.Len() {
			trainSet = trainSet.Subset(seq(m))
		}
		return fit(net, optim.NewAdam[T](0.001, 0.9, 0.999), trainSet, testSet, "sec_per_600_iters")
	case "deepinfer":
		net, err := nn.Build[T](nn.DeepConvNet(), nn.He, rng.NewNumpy(1))
		if err != nil {
			return err
		}
		t0, cpu0 := time.Now(), cpuSeconds()
		if _, err := train.Evaluate(context.Background(), net, &loss.SoftmaxCrossEntropy[T]{}, testSet, 100); err != nil {
			return err
		}
		fmt.Printf("kiso infer_seconds=%.4f cpu_seconds=%.4f\n", time.Since(t0).Seconds(), cpuSeconds()-cpu0)
		return nil
	case "infer":
		return infer(trainSet, testSet, hidden, lr, n)
	}
	return fmt.Errorf("unknown task %q", task)
}

// fit trains net for one epoch of batches of 100 and prints the training
// seconds (scaled to 600 steps) and the test accuracy.
func fit[T tensor.Float](net *nn.Sequential[T], opt optim.Optimizer[T], trainSet, testSet *data.Set[T], name string) error {
	tr := train.New[T](net, &loss.SoftmaxCrossEntropy[T]{}, opt, train.Config{Epochs: 1, BatchSize: 100, Seed: 3})
	cpu0 := cpuSeconds()
	h, err := tr.Fit(context.Background(), trainSet, nil) // no test set: Seconds is the training alone
	if err != nil {
		return err
	}
	cpu := cpuSeconds() - cpu0
	m, err := train.Evaluate(context.Background(), net, &loss.SoftmaxCrossEntropy[T]{}, testSet, 1000)
	if err != nil {
		return err
	}
	steps := float64(trainSet.Len()) / 100
	fmt.Printf("kiso %s=%.4f cpu_seconds=%.4f test_acc=%.4f\n", name, h.Epochs[0].Seconds*600/steps, cpu*600/steps, m.Accuracy)
	return nil
}

// infer trains the MLP for one epoch (so that the weights are realistic)
// and prints the median latency of a forward pass of one test image.
func infer[T tensor.Float](trainSet, testSet *data.Set[T], hidden int, lr float64, n int) error {
	net, err := nn.Build[T](nn.MLP(784, []int{hidden}, 10, nn.ReLU, nn.MLPOptions{}), nn.Normal(0.01), rng.NewNumpy(1))
	if err != nil {
		return err
	}
	tr := train.New[T](net, &loss.SoftmaxCrossEntropy[T]{}, optim.NewSGD[T](lr), train.Config{Epochs: 1, BatchSize: 100, Seed: 3})
	if _, err := tr.Fit(context.Background(), trainSet, nil); err != nil {
		return err
	}
	xs, _ := testSet.GatherTo(nil, nil, seq(testSet.Len())) // the images as T, converted before the timing
	x := tensor.New[T](1, 784)
	const reps = 100 // forward passes per timing, to rise above the clock's resolution
	times := make([]float64, 0, n/reps)
	for i := 0; i+reps <= n; i += reps {
		t0 := time.Now()
		for j := 0; j < reps; j++ {
			copy(x.Data, xs.Row((i+j)%testSet.Len()))
			net.Forward(x, false)
		}
		times = append(times, time.Since(t0).Seconds()/reps)
	}
	slices.Sort(times)
	fmt.Printf("kiso us_per_sample=%.3f\n", times[len(times)/2]*1e6)
	return nil
}

// cpuSeconds returns the processor time the process has used so far (user
// and system, all threads): a steadier figure than wall-clock time on a
// busy machine.
func cpuSeconds() float64 { return cputime.Seconds() }

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
