package nn

import "github.com/kiso-go/kiso/tensor"

// im2col unrolls the windows of one image x [c, ih, iw] into col
// [c·g.H·g.W, oh·ow]: row (ch, i, j) holds, for every output position
// (oy, ox), the input cell at kernel offset (i, j) of channel ch, or 0 where
// that cell is padding. The row order matches a convolution weight
// [out, c, g.H, g.W] viewed as [out, c·g.H·g.W], so the convolution of the
// image is weight·col. (The book's im2col builds the transpose, one row per
// output position, for the whole batch at once.)
func im2col[T tensor.Float](col, x []T, c, ih, iw int, g Window, oh, ow int) {
	p, s := oh*ow, g.Stride
	r := 0
	for ch := 0; ch < c; ch++ {
		plane := x[ch*ih*iw : (ch+1)*ih*iw]
		for i := 0; i < g.H; i++ {
			ylo, yhi := span(ih, i, s, g.Pad, oh)
			for j := 0; j < g.W; j++ {
				xlo, xhi := span(iw, j, s, g.Pad, ow)
				row := col[r*p : (r+1)*p]
				r++
				clear(row[:ylo*ow])
				clear(row[yhi*ow:])
				for oy := ylo; oy < yhi; oy++ {
					dst := row[oy*ow : (oy+1)*ow]
					clear(dst[:xlo])
					clear(dst[xhi:])
					src := plane[(oy*s-g.Pad+i)*iw:]
					ix := xlo*s - g.Pad + j
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

// col2im is the transpose of im2col: it sets x [c, ih, iw] to the sum, over
// every window, of the entries of col [c·g.H·g.W, oh·ow] that came from each
// input cell (entries for padding are dropped). It is how the gradient with
// respect to the columns flows back to the image.
func col2im[T tensor.Float](x, col []T, c, ih, iw int, g Window, oh, ow int) {
	clear(x[:c*ih*iw])
	p, s := oh*ow, g.Stride
	r := 0
	for ch := 0; ch < c; ch++ {
		plane := x[ch*ih*iw : (ch+1)*ih*iw]
		for i := 0; i < g.H; i++ {
			ylo, yhi := span(ih, i, s, g.Pad, oh)
			for j := 0; j < g.W; j++ {
				xlo, xhi := span(iw, j, s, g.Pad, ow)
				row := col[r*p : (r+1)*p]
				r++
				for oy := ylo; oy < yhi; oy++ {
					src := row[oy*ow : (oy+1)*ow]
					dst := plane[(oy*s-g.Pad+i)*iw:]
					ix := xlo*s - g.Pad + j
					for ox := xlo; ox < xhi; ox++ {
						dst[ix] += src[ox]
						ix += s
					}
				}
			}
		}
	}
}
