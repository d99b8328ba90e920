package autograd

import "github.com/kiso-go/kiso/tensor"

// Embedding returns the rows of the table W [V, D] at the token ids, shaped
// idShape + [D] (one id per position; with no idShape, [len(ids), D]):
// DeZero's embed_id, W[x]. The gradient adds into every row used, as many
// times as it is used.
func Embedding[T tensor.Float](W *Variable[T], ids []int, idShape ...int) *Variable[T] {
	if W.Rank() != 2 {
		panicf("Embedding", "table must be [V, D], got shape %v", W.Shape())
	}
	if len(idShape) > 0 && inner(idShape) != len(ids) {
		panicf("Embedding", "%d ids do not fill shape %v (table %v)", len(ids), idShape, W.Shape())
	}
	for _, id := range ids {
		if id < 0 || id >= W.Shape()[0] {
			panicf("Embedding", "id %d out of range for table %v", id, W.Shape())
		}
	}
	y := Rows(W, ids...)
	if len(idShape) > 0 {
		y = Reshape(y, append(append([]int(nil), idShape...), W.Shape()[1])...)
	}
	return y
}
