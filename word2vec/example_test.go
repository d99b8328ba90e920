package word2vec_test

import (
	"fmt"

	"github.com/kiso-go/kiso/tensor"
	"github.com/kiso-go/kiso/word2vec"
)

// Vectors in which woman - man = queen - king: the analogy finds queen
// (king, man and woman themselves are left out).
func ExampleVectors_Analogy() {
	words := []string{"man", "woman", "king", "queen", "apple"}
	v := word2vec.NewVectors(words, tensor.FromRows([][]float64{
		{1, 0, 0}, {1, 1, 0}, {1, 0, 1}, {1, 1, 1}, {0, 0, -1},
	}))
	q, _ := word2vec.ParseQuery([]string{"king - man + woman"})
	top, _ := v.Analogy(q.A, q.B, q.C, 2)
	for _, n := range top {
		fmt.Printf("%s %.4f\n", n.Word, n.Cosine)
	}
	// Output:
	// queen 0.9753
	// apple -0.6533
}

// A sampler of the book's distribution: counts raised to the power 0.75.
func ExampleSampler() {
	s, _ := word2vec.NewSampler([]int{100, 10, 1}, 0.75)
	for w := range s.Len() {
		fmt.Printf("word %d: %.4f\n", w, s.P(w))
	}
	// Output:
	// word 0: 0.8268
	// word 1: 0.1470
	// word 2: 0.0261
}
