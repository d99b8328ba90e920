package tensor

import "fmt"

// AffineTo sets dst = x·w + row, the vector row broadcast over every row of
// the product (a layer's x·W + b), and returns dst. x is [m, k], w is
// [k, n], row has n elements and dst must be [m, n], not sharing storage
// with x or w. It panics on mismatched shapes.
//
// The result has the bits of MatMulTo followed by AddRowTo: the bias is
// added once each product element is summed, as numpy's np.dot(x, W) + b
// does. It saves the second pass, which matters for tiny layers.
func AffineTo[T Float](dst, x, w, row *Tensor[T]) *Tensor[T] {
	if len(x.shape) != 2 || len(w.shape) != 2 || len(dst.shape) != 2 ||
		x.shape[1] != w.shape[0] || dst.shape[0] != x.shape[0] || dst.shape[1] != w.shape[1] {
		panic(fmt.Sprintf("tensor: AffineTo: shape mismatch %v · %v -> %v", x.shape, w.shape, dst.shape))
	}
	m, k, n := x.shape[0], x.shape[1], w.shape[1]
	if len(row.Data) != n {
		panic(fmt.Sprintf("tensor: AffineTo: row of shape %v does not match %v", row.shape, dst.shape))
	}
	if small(n, k) {
		affineSmall(m, n, k, x.Data, w.Data, row.Data, dst.Data)
		return dst
	}
	gemm(false, false, m, n, k, 1, x.Data, k, w.Data, n, 0, dst.Data, n)
	r := row.Data
	for i := 0; i < m; i++ {
		out := dst.Data[i*n : (i+1)*n]
		for j := range out {
			out[j] += r[j]
		}
	}
	return dst
}
