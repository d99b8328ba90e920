package tensor

import "fmt"

// ConvOut returns the output size of a window of k cells moved by stride
// over n cells padded by pad on both sides: (n + 2·pad - k)/stride + 1.
func ConvOut(n, k, stride, pad int) int { return (n+2*pad-k)/stride + 1 }

func im2colShape(op string, shape []int, kh, kw, stride, pad int) (n, c, h, w, oh, ow int) {
	if len(shape) != 4 || kh < 1 || kw < 1 || stride < 1 || pad < 0 {
		panic(fmt.Sprintf("tensor: %s: needs [N, C, H, W] and a positive kernel and stride, got %v, kernel %dx%d, stride %d, pad %d", op, shape, kh, kw, stride, pad))
	}
	n, c, h, w = shape[0], shape[1], shape[2], shape[3]
	if h+2*pad < kh || w+2*pad < kw {
		panic(fmt.Sprintf("tensor: %s: kernel %dx%d larger than the padded input %v (pad %d)", op, kh, kw, shape, pad))
	}
	return n, c, h, w, ConvOut(h, kh, stride, pad), ConvOut(w, kw, stride, pad)
}

// Im2col unrolls the windows of a batch of images x [N, C, H, W] as the
// book's im2col does (to_matrix=True): one row per output position
// (n, oy, ox), [N·OH·OW, C·KH·KW], each row the window's cells in the order
// (channel, kernel row, kernel column), zeros where the window covers
// padding.
func Im2col[T Float](x *Tensor[T], kh, kw, stride, pad int) *Tensor[T] {
	n, c, h, w, oh, ow := im2colShape("Im2col", x.shape, kh, kw, stride, pad)
	cols := c * kh * kw
	col := New[T](n*oh*ow, cols)
	for b := 0; b < n; b++ {
		img := x.Data[b*c*h*w : (b+1)*c*h*w]
		for oy := 0; oy < oh; oy++ {
			for ox := 0; ox < ow; ox++ {
				row := col.Data[((b*oh+oy)*ow+ox)*cols:]
				k := 0
				for ch := 0; ch < c; ch++ {
					plane := img[ch*h*w : (ch+1)*h*w]
					for i := 0; i < kh; i++ {
						y := oy*stride - pad + i
						for j := 0; j < kw; j++ {
							xx := ox*stride - pad + j
							if y >= 0 && y < h && xx >= 0 && xx < w {
								row[k] = plane[y*w+xx]
							}
							k++
						}
					}
				}
			}
		}
	}
	return col
}

// Col2im is the transpose of Im2col: it returns the images of the given
// shape [N, C, H, W] in which every cell is the sum of the entries of col
// that Im2col copied from it (entries of padding are dropped).
func Col2im[T Float](col *Tensor[T], shape []int, kh, kw, stride, pad int) *Tensor[T] {
	n, c, h, w, oh, ow := im2colShape("Col2im", shape, kh, kw, stride, pad)
	cols := c * kh * kw
	if len(col.shape) != 2 || col.shape[0] != n*oh*ow || col.shape[1] != cols {
		panic(fmt.Sprintf("tensor: Col2im: columns %v do not fit images %v with kernel %dx%d, stride %d, pad %d", col.shape, shape, kh, kw, stride, pad))
	}
	x := New[T](shape...)
	for b := 0; b < n; b++ {
		img := x.Data[b*c*h*w : (b+1)*c*h*w]
		for oy := 0; oy < oh; oy++ {
			for ox := 0; ox < ow; ox++ {
				row := col.Data[((b*oh+oy)*ow+ox)*cols:]
				k := 0
				for ch := 0; ch < c; ch++ {
					plane := img[ch*h*w : (ch+1)*h*w]
					for i := 0; i < kh; i++ {
						y := oy*stride - pad + i
						for j := 0; j < kw; j++ {
							xx := ox*stride - pad + j
							if y >= 0 && y < h && xx >= 0 && xx < w {
								plane[y*w+xx] += row[k]
							}
							k++
						}
					}
				}
			}
		}
	}
	return x
}
