package data

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/kiso-go/kiso/tensor"
)

// The canonical MNIST file names, each read with or without a .gz suffix.
const (
	mnistTrainImages = "train-images-idx3-ubyte"
	mnistTrainLabels = "train-labels-idx1-ubyte"
	mnistTestImages  = "t10k-images-idx3-ubyte"
	mnistTestLabels  = "t10k-labels-idx1-ubyte"
)

// MNISTOptions tells LoadMNIST how to shape the data. The zero value gives
// pixels scaled to [0, 1] as images [n, 1, 28, 28].
type MNISTOptions struct {
	// Raw keeps the pixel values 0..255. By default they are divided by
	// 255 into [0, 1], as the book's load_mnist(normalize=True) does.
	Raw bool
	// Flatten makes X a matrix [n, 784] for fully connected networks;
	// otherwise X is [n, 1, 28, 28] (one channel) for convolutions.
	Flatten bool
	// Limit, if positive, keeps only the first Limit training cases and
	// the first Limit test cases (the rest of the files is not read).
	Limit int
	// Bytes keeps the pixels as bytes: X is nil and XBytes holds them
	// (47 MB for the training images instead of 188 MB as float32), and
	// each batch is converted as it is gathered, to the values X would
	// hold, bit for bit.
	Bytes bool
}

// LoadMNIST reads MNIST from the four canonical IDX files in dir
// (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte
// and t10k-labels-idx1-ubyte, each gzip-compressed with a .gz suffix or
// raw), as FetchMNIST leaves them. train has 60000 cases and test 10000.
//
// Y is always a vector [n] of class indices 0..9 (Classes 10), never
// one-hot: OneHot converts it. X is shaped and scaled as opts says (or
// XBytes holds the pixels, with opts.Bytes).
//
// It returns an error naming the file for a missing or malformed file, a
// label above 9, image and label files of different lengths, and training
// and test images of different sizes.
func LoadMNIST[T tensor.Float](dir string, opts MNISTOptions) (train, test *Set[T], err error) {
	train, err = loadMNISTPart[T](dir, mnistTrainImages, mnistTrainLabels, opts)
	if err != nil {
		return nil, nil, err
	}
	test, err = loadMNISTPart[T](dir, mnistTestImages, mnistTestLabels, opts)
	if err != nil {
		return nil, nil, err
	}
	if !tensor.EqualShape(train.InputShape(), test.InputShape()) {
		return nil, nil, fmt.Errorf("%s: training images are %v but test images %v",
			dir, train.InputShape(), test.InputShape())
	}
	return train, test, nil
}

// loadMNISTPart reads one pair of image and label files.
func loadMNISTPart[T tensor.Float](dir, imagesBase, labelsBase string, opts MNISTOptions) (*Set[T], error) {
	limit := -1
	if opts.Limit > 0 {
		limit = opts.Limit
	}
	imgPath, imgDims, pixels, err := readIDXFile(dir, imagesBase, idxImagesMagic, limit)
	if err != nil {
		return nil, err
	}
	labPath, labDims, labels, err := readIDXFile(dir, labelsBase, idxLabelsMagic, limit)
	if err != nil {
		return nil, err
	}
	if imgDims[0] != labDims[0] {
		return nil, fmt.Errorf("%s holds %d images but %s %d labels", imgPath, imgDims[0], labPath, labDims[0])
	}
	for i, l := range labels {
		if l > 9 {
			return nil, fmt.Errorf("%s: label %d of item %d is not a digit 0-9", labPath, l, i)
		}
	}

	n, rows, cols := len(labels), imgDims[1], imgDims[2]
	y := tensor.New[T](n)
	for i, l := range labels {
		y.Data[i] = T(l)
	}
	b := &ByteInputs{Data: pixels, Shape: []int{n, 1, rows, cols}, Div255: !opts.Raw}
	if opts.Flatten {
		b.Shape = []int{n, rows * cols}
	}
	if opts.Bytes {
		return &Set[T]{XBytes: b, Y: y, Classes: 10}, nil
	}
	x := tensor.New[T](b.Shape...)
	tensor.BytesTo(x.Data, pixels, T(b.div()))
	return &Set[T]{X: x, Y: y, Classes: 10}, nil
}

// readIDXFile reads dir/base.gz, or dir/base if that does not exist, with
// readIDX; errors name the file. It returns the path read.
func readIDXFile(dir, base string, magic uint32, limit int) (path string, dims []int, data []byte, err error) {
	path = filepath.Join(dir, base+".gz")
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		raw := filepath.Join(dir, base)
		f, err = os.Open(raw)
		if errors.Is(err, fs.ErrNotExist) {
			return path, nil, nil, fmt.Errorf("cannot read %s: no such file (nor %s); FetchMNIST downloads it", path, base)
		}
		path = raw
	}
	if err != nil {
		return path, nil, nil, fmt.Errorf("cannot read %s: %w", path, unwrapPathError(err))
	}
	defer f.Close()
	dims, data, err = readIDX(f, magic, limit, idxStreamSize(f))
	if err != nil {
		return path, nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return path, dims, data, nil
}
