package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/model"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// dataOptions are the flags that choose and shape a dataset, shared by
// kiso train and kiso eval.
type dataOptions struct {
	Data     string  // mnist, fashion-mnist, xor, circle, gauss, spiral, csv:PATH
	Limit    int     // MNIST and Fashion-MNIST: first N training and test images
	Points   int     // toy sets: number of points
	Noise    float64 // toy sets: noise fraction
	TestFrac float64 // toy and CSV sets: held-out fraction
	Label    string  // CSV: label column, name or index
	Regress  bool    // CSV: the label is a numeric target
	MNISTDir string  // MNIST: cache folder
	Seed     uint32  // toy generation
	// SplitSeed seeds the permutation that splits a toy set or CSV
	// (kiso train uses Seed+1).
	SplitSeed uint32
}

func (o *dataOptions) validate() error {
	switch {
	case o.Data == "":
		return usagef("--data is required: mnist, fashion-mnist, xor, circle, gauss, spiral or csv:PATH")
	case o.Limit < 0:
		return usagef("--limit %d: must be zero (all) or positive", o.Limit)
	case o.Points < 2:
		return usagef("--points %d: must be at least 2", o.Points)
	case !(o.Noise >= 0 && o.Noise <= 1):
		return usagef("--noise %v: must be between 0 and 1", o.Noise)
	case !(o.TestFrac >= 0 && o.TestFrac < 1):
		return usagef("--test-frac %v: must be in [0, 1)", o.TestFrac)
	}
	if k := o.kind(); !o.images() && k != "csv" && !isToy(k) {
		if fi, err := os.Stat(o.Data); strings.HasSuffix(strings.ToLower(o.Data), ".csv") || (err == nil && fi.Mode().IsRegular()) {
			return usagef("--data %q: a CSV file is given as --data csv:%s", o.Data, o.Data)
		}
		return usagef("--data %q: want mnist, fashion-mnist, xor, circle, gauss, spiral or csv:PATH", o.Data)
	}
	if o.Regress && o.kind() != "csv" {
		return usagef("--regression applies to CSV data (--data csv:PATH); %s is a classification set", o.Data)
	}
	return nil
}

// images reports whether o names a set of 28x28 images: MNIST or
// Fashion-MNIST, whose files and splits are alike.
func (o *dataOptions) images() bool { return o.Data == "mnist" || o.Data == "fashion-mnist" }

// kind returns "mnist", "fashion-mnist", "csv" or a toy set's name.
func (o *dataOptions) kind() string {
	if strings.HasPrefix(o.Data, "csv:") {
		return "csv"
	}
	return o.Data
}

func isToy(name string) bool {
	for _, n := range data.ToyNames() {
		if n == name {
			return true
		}
	}
	return false
}

// splitInfo returns how the data was split, for the model file, nil for
// MNIST (whose split is fixed).
func (o *dataOptions) splitInfo() *model.Split {
	switch {
	case o.images():
		return nil
	case o.kind() == "csv":
		return &model.Split{TestFrac: o.TestFrac, Seed: uint64(o.SplitSeed)}
	}
	return &model.Split{TestFrac: o.TestFrac, Seed: uint64(o.SplitSeed), Points: o.Points, Noise: o.Noise}
}

// dataset is a loaded dataset with what a model file must remember about it.
type dataset[T tensor.Float] struct {
	train, test *data.Set[T]
	name        string
	inputShape  []int // one case, without the batch dimension
	mean, std   []float64
}

// loadDataset loads the data named by o. images asks for MNIST as
// [n, 1, 28, 28] rather than [n, 784]. Progress lines (MNIST fetching) go
// to progress.
func loadDataset[T tensor.Float](ctx context.Context, o *dataOptions, images bool, progress io.Writer) (*dataset[T], error) {
	d := &dataset[T]{name: o.Data}
	switch k := o.kind(); {
	case k == "mnist":
		dir, err := data.FetchMNIST(ctx, data.FetchOptions{Dir: o.MNISTDir, Progress: func(m string) { fmt.Fprintln(progress, m) }})
		if err != nil {
			return nil, err
		}
		d.train, d.test, err = data.LoadMNIST[T](dir, data.MNISTOptions{Flatten: !images, Limit: o.Limit, Bytes: true})
		if err != nil {
			return nil, err
		}
	case k == "fashion-mnist":
		dir, err := data.FetchFashionMNIST(ctx, data.FashionFetchOptions{Progress: func(m string) { fmt.Fprintln(progress, m) }})
		if err != nil {
			return nil, err
		}
		d.train, d.test, err = data.LoadFashionMNIST[T](dir, data.MNISTOptions{Flatten: !images, Limit: o.Limit, Bytes: true})
		if err != nil {
			return nil, err
		}
	case k == "csv":
		path := strings.TrimPrefix(o.Data, "csv:")
		all, err := data.LoadCSV[T](path, data.CSVOptions{Label: o.Label, Regression: o.Regress})
		if err != nil {
			return nil, err
		}
		d.name = filepath.Base(path)
		if err := d.split(all, o); err != nil {
			return nil, err
		}
		st := data.FitStandardizer(d.train)
		st.Apply(d.train)
		if d.test != nil {
			st.Apply(d.test)
		}
		d.mean, d.std = st.Mean, st.Std
	default:
		all, err := data.Toy[T](k, o.Points, o.Noise, rng.NewNumpy(o.Seed))
		if err != nil {
			return nil, err
		}
		if err := d.split(all, o); err != nil {
			return nil, err
		}
	}
	d.inputShape = append([]int(nil), d.train.InputShape()...)
	return d, nil
}

// split divides all into training and test parts by o.TestFrac.
func (d *dataset[T]) split(all *data.Set[T], o *dataOptions) error {
	if o.TestFrac == 0 {
		d.train, d.test = all, nil
		return nil
	}
	d.train, d.test = data.Split(all, o.TestFrac, rng.NewNumpy(o.SplitSeed))
	if d.train.Len() == 0 || d.test.Len() == 0 {
		return fmt.Errorf("%s: %d cases cannot be split %g for testing; use more data or another --test-frac", o.Data, all.Len(), o.TestFrac)
	}
	return nil
}
