package data_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/rng"
)

func ExampleXOR() {
	s := data.XOR[float64]()
	for i := range s.Len() {
		fmt.Println(s.X.Row(i), "→ class", s.Y.Data[i])
	}
	fmt.Println(data.OneHot(s.Y, s.Classes))
	// Output:
	// [1 1] → class 0
	// [1 0] → class 1
	// [0 1] → class 1
	// [0 0] → class 0
	// [[1 0]
	//  [0 1]
	//  [0 1]
	//  [1 0]]
}

// The cases of each epoch come in the order Python's random.shuffle gives
// list(range(10)) after np.random.seed(1)'s state is loaded into it.
func ExampleLoader() {
	s, _ := data.Toy[float32]("spiral", 10, 0.1, rng.NewNumpy(0))
	loader := data.NewLoader(s, 4, rng.NewNumpy(1))
	for epoch := range 2 {
		for x, y := range loader.Epoch() {
			fmt.Println("epoch", epoch, "batch", x.Shape(), y.Shape(), "cases", loader.Indices())
		}
	}
	// Output:
	// epoch 0 batch [4 2] [4] cases [9 3 4 8]
	// epoch 0 batch [4 2] [4] cases [5 1 7 2]
	// epoch 0 batch [2 2] [2] cases [0 6]
	// epoch 1 batch [4 2] [4] cases [7 0 8 1]
	// epoch 1 batch [4 2] [4] cases [2 3 4 9]
	// epoch 1 batch [2 2] [2] cases [5 6]
}

func ExampleReadCSV() {
	const iris = `sepal_length,sepal_width,species
5.1,3.5,setosa
7.0,3.2,versicolor
6.3,3.3,virginica
4.9,3.0,setosa
`
	s, err := data.ReadCSV[float64](strings.NewReader(iris), "iris.csv", data.CSVOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.FeatureNames, s.ClassNames)
	fmt.Println(s.Y)

	train, test := data.Split(s, 0.25, rng.NewNumpy(0))
	st := data.FitStandardizer(train) // statistics of the training part only
	st.Apply(train)
	st.Apply(test)
	fmt.Println(train.Len(), "training cases,", test.Len(), "test case")

	_, err = data.ReadCSV[float64](strings.NewReader("a,b\n1,2\nx,3\n"), "bad.csv", data.CSVOptions{})
	fmt.Println(err)
	// Output:
	// [sepal_length sepal_width] [setosa versicolor virginica]
	// [0 1 2 0]
	// 3 training cases, 1 test case
	// bad.csv:3: column 1 (a): "x" is not a number
}

// FetchMNIST fills the cache once; LoadMNIST then reads it. (Not run as a
// test: TestMNIST does the same when the files can be fetched.)
func ExampleLoadMNIST() {
	dir, err := data.FetchMNIST(context.Background(), data.FetchOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	train, test, err := data.LoadMNIST[float32](dir, data.MNISTOptions{Flatten: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(train.X.Shape(), test.X.Shape(), train.Classes)
	yOneHot := data.OneHot(train.Y, train.Classes) // [60000 10]
	_ = yOneHot
}
