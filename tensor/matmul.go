package tensor

import "fmt"

// MatMul returns the matrix product a·b of a [m, k] and b [k, n] as [m, n].
func MatMul[T Float](a, b *Tensor[T]) *Tensor[T] {
	return MatMulTo(New[T](a.Dim(0), b.Dim(1)), a, b, false, false)
}

// MatMulTo sets dst = op(a)·op(b), where op transposes its argument when the
// matching flag is set, and returns dst. a and b are rank 2; op(a) is
// [m, k], op(b) is [k, n] and dst must be [m, n]. dst must not share storage
// with a or b. It panics on mismatched shapes.
func MatMulTo[T Float](dst, a, b *Tensor[T], transA, transB bool) *Tensor[T] {
	return Gemm(transA, transB, 1, a, b, 0, dst)
}

// Gemm computes c = alpha·op(a)·op(b) + beta·c (BLAS gemm) and returns c.
// With beta = 0, c's previous contents are ignored (NaNs included). Shapes
// are as in MatMulTo.
func Gemm[T Float](transA, transB bool, alpha T, a, b *Tensor[T], beta T, c *Tensor[T]) *Tensor[T] {
	if a.Rank() != 2 || b.Rank() != 2 || c.Rank() != 2 {
		panic(fmt.Sprintf("tensor: matrix product needs rank-2 tensors, got %v, %v and %v", a.shape, b.shape, c.shape))
	}
	m, k := a.shape[0], a.shape[1]
	if transA {
		m, k = k, m
	}
	kb, n := b.shape[0], b.shape[1]
	if transB {
		kb, n = n, kb
	}
	if k != kb || c.shape[0] != m || c.shape[1] != n {
		panic(fmt.Sprintf("tensor: matrix product shape mismatch: %s%v · %s%v -> %v",
			tname(transA), a.shape, tname(transB), b.shape, c.shape))
	}
	if small(n, k) || alpha == 0 { // gemm's choice, without its call: tiny products are common
		gemmSmall(transA, transB, m, n, k, alpha, a.Data, a.shape[1], b.Data, b.shape[1], beta, c.Data, n)
		return c
	}
	gemm(transA, transB, m, n, k, alpha, a.Data, a.shape[1], b.Data, b.shape[1], beta, c.Data, n)
	return c
}

func tname(t bool) string {
	if t {
		return "T"
	}
	return ""
}
