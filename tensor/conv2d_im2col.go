package tensor

import "unsafe"

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
				if s == 1 {
					copyRows(row[ylo*ow:yhi*ow], plane[(ylo-pad+i)*iw+xlo-pad+j:], ow, iw, xlo, xhi)
					continue
				}
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

// copyRows fills dst, rows of ow elements, from src, rows iw apart: in
// each row, elements xlo..xhi-1 come from the source row's first xhi-xlo
// elements and the others are zero. It is im2colImage's inner loop for
// stride 1, where a row is a few dozen elements: 32 bytes at a time by
// word moves, without the calls of copy and clear that cost as much as the
// moves at these lengths.
func copyRows[T Float](dst, src []T, ow, iw, xlo, xhi int) {
	n := xhi - xlo
	rows := len(dst) / ow
	if rows == 0 {
		return
	}
	if (rows-1)*iw+n > len(src) || xlo < 0 || xlo > xhi || xhi > ow {
		panic("tensor: copyRows: rows out of range")
	}
	size := int(unsafe.Sizeof(T(0)))
	words := n * size / 8    // whole 8-byte words of a row's copy
	tail := n - words*8/size // elements after them (one float32 at most)
	for r := range rows {
		d := dst[r*ow : r*ow+ow]
		for k := range xlo {
			d[k] = 0
		}
		dp := unsafe.Pointer(unsafe.SliceData(d[xlo:]))
		sp := unsafe.Pointer(unsafe.SliceData(src[r*iw:]))
		w := 0
		for ; w+4 <= words; w += 4 {
			dw, sw := (*[4]uint64)(unsafe.Add(dp, 8*w)), (*[4]uint64)(unsafe.Add(sp, 8*w))
			dw[0], dw[1], dw[2], dw[3] = sw[0], sw[1], sw[2], sw[3]
		}
		for ; w < words; w++ {
			*(*uint64)(unsafe.Add(dp, 8*w)) = *(*uint64)(unsafe.Add(sp, 8*w))
		}
		if tail > 0 {
			d[xhi-1] = src[r*iw+n-1]
		}
		for k := xhi; k < ow; k++ {
			d[k] = 0
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
