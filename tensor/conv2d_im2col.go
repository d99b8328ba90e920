package tensor

// im2colImage unrolls the windows of one image x [c, ih, iw] into col
// [c·kh·kw, oh·ow]: row (ch, i, j) holds, for every output position
// (oy, ox), the input cell at kernel offset (i, j) of channel ch, or 0 where
// that cell is padding. The row order matches a convolution weight
// [out, c, kh, kw] viewed as [out, c·kh·kw], so the convolution of the
// image is weight·col. (Im2col, as the book's im2col, builds the
// transpose, one row per output position, for the whole batch at once.)
func im2colImage[T Float](col, x []T, c, ih, iw, kh, kw, s, pad, oh, ow int) {
	p := oh * ow
	r := 0
	for ch := 0; ch < c; ch++ {
		plane := x[ch*ih*iw : (ch+1)*ih*iw]
		for i := 0; i < kh; i++ {
			ylo, yhi := span(ih, i, s, pad, oh)
			for j := 0; j < kw; j++ {
				xlo, xhi := span(iw, j, s, pad, ow)
				row := col[r*p : (r+1)*p]
				r++
				clear(row[:ylo*ow])
				clear(row[yhi*ow:])
				for oy := ylo; oy < yhi; oy++ {
					dst := row[oy*ow : (oy+1)*ow]
					clear(dst[:xlo])
					clear(dst[xhi:])
					src := plane[(oy*s-pad+i)*iw:]
					ix := xlo*s - pad + j
					if s == 1 {
						copy(dst[xlo:xhi], src[ix:])
						continue
					}
					for ox := xlo; ox < xhi; ox++ {
						dst[ox] = src[ix]
						ix += s
					}
				}
			}
		}
	}
}

// col2imImage is the transpose of im2colImage: it sets x [c, ih, iw] to the
// sum, over every window, of the entries of col [c·kh·kw, oh·ow] that came
// from each input cell (entries for padding are dropped). It is how the
// gradient with respect to the columns flows back to the image.
func col2imImage[T Float](x, col []T, c, ih, iw, kh, kw, s, pad, oh, ow int) {
	clear(x[:c*ih*iw])
	p := oh * ow
	r := 0
	for ch := 0; ch < c; ch++ {
		plane := x[ch*ih*iw : (ch+1)*ih*iw]
		for i := 0; i < kh; i++ {
			ylo, yhi := span(ih, i, s, pad, oh)
			for j := 0; j < kw; j++ {
				xlo, xhi := span(iw, j, s, pad, ow)
				row := col[r*p : (r+1)*p]
				r++
				for oy := ylo; oy < yhi; oy++ {
					src := row[oy*ow : (oy+1)*ow]
					dst := plane[(oy*s-pad+i)*iw:]
					ix := xlo*s - pad + j
					for ox := xlo; ox < xhi; ox++ {
						dst[ix] += src[ox]
						ix += s
					}
				}
			}
		}
	}
}

// span returns the range [lo, hi) of output positions o (0 ≤ o < out) whose
// window cell at kernel offset k lands inside an input axis of n cells, that
// is 0 ≤ o·stride - pad + k < n.
func span(n, k, stride, pad, out int) (lo, hi int) {
	if d := pad - k; d > 0 {
		lo = (d + stride - 1) / stride
	}
	if d := n - 1 + pad - k; d >= 0 {
		hi = d/stride + 1
	}
	hi = min(hi, out)
	return min(lo, hi), hi
}
