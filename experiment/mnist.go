package experiment

import (
	"fmt"

	"github.com/kiso-go/kiso/data"
)

// MNIST sizes: the canonical training and test sets.
const (
	mnistTrain = 60000
	mnistTest  = 10000
)

// loadMNIST loads the first nTrain training and nTest test images of the
// MNIST files in dir (0 meaning all), scaled to [0, 1], as rows [n, 784]
// when flat and as images [n, 1, 28, 28] otherwise.
func loadMNIST(dir string, nTrain, nTest int, flat bool) (trainSet, testSet *data.Set[float32], err error) {
	if nTrain < 0 || nTrain > mnistTrain || nTest < 0 || nTest > mnistTest {
		return nil, nil, fmt.Errorf("experiment: MNIST has %d training and %d test images, asked for %d and %d",
			mnistTrain, mnistTest, nTrain, nTest)
	}
	if nTrain == 0 {
		nTrain = mnistTrain
	}
	if nTest == 0 {
		nTest = mnistTest
	}
	trainSet, testSet, err = data.LoadMNIST[float32](dir, data.MNISTOptions{Flatten: flat, Limit: max(nTrain, nTest)})
	if err != nil {
		return nil, nil, err
	}
	return prefix(trainSet, nTrain), prefix(testSet, nTest), nil
}

// prefix returns the first n cases of s, or s itself if it has no more.
func prefix(s *data.Set[float32], n int) *data.Set[float32] {
	if s.Len() <= n {
		return s
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return s.Subset(idx)
}
