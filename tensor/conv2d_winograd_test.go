package tensor

import (
	"fmt"
	"math"
	"runtime"
	"testing"

	"github.com/kiso-go/kiso/rng"
)

// winoInGo is winoIn32 on one tile at a time, the operations in the same
// order: each of the 4 rows times B (d0-d2, d1+d2, d2-d1, d1-d3), then Bᵀ
// times the rows (w0-w2, w1+w2, w2-w1, w1-w3).
func winoInGo(src []float32, ws, ntx, nty int, dst []float32, ds int) {
	for ty := range nty {
		for tx := range ntx {
			var w [4][4]float32
			for r := range 4 {
				d := src[(2*ty+r)*ws+2*tx:]
				w[r] = [4]float32{d[0] - d[2], d[1] + d[2], d[2] - d[1], d[1] - d[3]}
			}
			for j := range 4 {
				v := [4]float32{w[0][j] - w[2][j], w[1][j] + w[2][j], w[2][j] - w[1][j], w[1][j] - w[3][j]}
				for i := range 4 {
					dst[(4*i+j)*ds+ty*ntx+tx] = v[i]
				}
			}
		}
	}
}

// winoOutGo is winoOut32 on one tile at a time, the operations in the
// same order: each of the 4 rows of m times A ((m0+m1)+m2, (m1-m2)-m3),
// then Aᵀ times the rows, plus the bias.
func winoOutGo(m []float32, ds, ntx, nty int, dst []float32, wide int, bias float32) {
	for ty := range nty {
		for tx := range ntx {
			var s [4][2]float32
			for i := range 4 {
				c := func(j int) float32 { return m[(4*i+j)*ds+ty*ntx+tx] }
				s[i] = [2]float32{c(0) + c(1) + c(2), c(1) - c(2) - c(3)}
			}
			for j := range 2 {
				dst[(2*ty)*wide+2*tx+j] = s[0][j] + s[1][j] + s[2][j] + bias
				dst[(2*ty+1)*wide+2*tx+j] = s[1][j] - s[2][j] - s[3][j] + bias
			}
		}
	}
}

// winoDyGo is winoDy32 on one tile at a time, the operations in the same
// order: each of the 2 rows (e, o) times Aᵀ's transpose (e, e+o, e-o,
// -o), then the rows combined the same way.
func winoDyGo(src []float32, ws, ntx, nty int, dst []float32, ds int) {
	for ty := range nty {
		for tx := range ntx {
			var w [2][4]float32
			for r := range 2 {
				e, o := src[(2*ty+r)*ws+2*tx], src[(2*ty+r)*ws+2*tx+1]
				w[r] = [4]float32{e, e + o, e - o, -o}
			}
			for j := range 4 {
				v := [4]float32{w[0][j], w[0][j] + w[1][j], w[0][j] - w[1][j], -w[1][j]}
				for i := range 4 {
					dst[(4*i+j)*ds+ty*ntx+tx] = v[i]
				}
			}
		}
	}
}

// TestWinogradTransformsSameBits checks the AVX2 transforms against
// winoInGo and winoOutGo, bit for bit, on every tile of rows of 1 to 17
// tiles (whole blocks of 8 and parts).
func TestWinogradTransformsSameBits(t *testing.T) {
	if !haveSIMD {
		t.Skip("no AVX2: the transforms run only with the SIMD kernels")
	}
	r := rng.NewNumpy(3)
	for _, ntx := range []int{1, 3, 7, 8, 9, 14, 16, 17} {
		for _, nty := range []int{1, 2, 5} {
			bx := roundUp(ntx, 8)
			ws := 2*ntx + 3
			src := RandN[float32](r, 1, (2*nty+2)*ws+2*bx+2).Data
			ds := nty*ntx + 8
			got, want := make([]float32, 16*ds), make([]float32, 16*ds)
			// samePlanes fails unless the 16 planes' first nty·ntx tiles
			// have the same bits.
			samePlanes := func(name string, got, want []float32) {
				for xi := range 16 {
					for p := range nty * ntx {
						if g, w := got[xi*ds+p], want[xi*ds+p]; math.Float32bits(g) != math.Float32bits(w) {
							t.Fatalf("ntx %d, nty %d: %s cell %d of tile %d = %v, want %v", ntx, nty, name, xi, p, g, w)
						}
					}
				}
			}
			winoIn(src, ws, ntx, nty, got, ds)
			winoInGo(src, ws, ntx, nty, want, ds)
			samePlanes("winoIn", got, want)
			dws := 2 * bx
			dsrc := RandN[float32](r, 1, 2*nty*dws).Data
			got, want = make([]float32, 16*ds), make([]float32, 16*ds)
			winoDy(dsrc, dws, ntx, nty, got, ds)
			winoDyGo(dsrc, dws, ntx, nty, want, ds)
			samePlanes("winoDy", got, want)
			m := RandN[float32](r, 1, 16*ds).Data
			wide := 2 * bx
			got, want = make([]float32, 2*nty*wide), make([]float32, 2*nty*wide)
			winoOut(m, ds, ntx, nty, got, wide, 0.25)
			winoOutGo(m, ds, ntx, nty, want, wide, 0.25)
			for row := range 2 * nty {
				for col := range 2 * ntx {
					if g, w := got[row*wide+col], want[row*wide+col]; math.Float32bits(g) != math.Float32bits(w) {
						t.Fatalf("ntx %d, nty %d: winoOut (%d, %d) = %v, want %v", ntx, nty, row, col, g, w)
					}
				}
			}
		}
	}
}

// TestConv2DWinograd compares the float32 forward pass through
// Winograd's algorithm with the convolution's sums in float64, on shapes
// with odd and even outputs, every padding up to 3, blocks of 8 tiles
// whole and cut, groups of images whole and cut, with and without a
// bias; and the backward pass's dw through it, and dx, the convolution of
// dy with the flipped filters, where the padding is at most 2. The
// products of the transformed cells round differently from the windows':
// 2e-6 of the sum of the products' magnitudes bounds the error (at most
// 2.6e-7 is seen, 1.6e-7 for dw). It also checks that a batch gives each image the bits
// it gets alone, whatever the groups and halves, and that too large an
// image keeps the windows' sums.
func TestConv2DWinograd(t *testing.T) {
	if !haveSIMD {
		t.Skip("no AVX2: Winograd's algorithm runs only with the SIMD kernels")
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	r := rng.NewNumpy(7)
	for _, g := range []struct{ n, in, out, h, w, pad int }{
		{3, 8, 4, 6, 7, 1},
		{2, 16, 16, 28, 28, 1},
		{5, 16, 32, 14, 14, 1},
		{4, 32, 32, 14, 14, 2},
		{7, 32, 64, 8, 8, 1},
		{13, 64, 64, 8, 8, 1},
		{2, 9, 5, 5, 9, 0},
		{3, 5, 9, 10, 6, 2},
		{2, 8, 7, 11, 4, 3},
		{1, 12, 6, 35, 3, 1},
		{40, 16, 16, 9, 9, 1},  // enough work to run the halves at once
		{1, 8, 8, 130, 130, 1}, // too large an image: the windows' sums
	} {
		big := !winoFits(g.in, g.out, g.h+2*g.pad-2, g.w+2*g.pad-2)
		t.Run(fmt.Sprintf("%+v", g), func(t *testing.T) {
			c := &Conv2D[float32]{Stride: 1, Pad: g.pad}
			x := RandN[float32](r, 1, g.n, g.in, g.h, g.w)
			w := RandN[float32](r, 1, g.out, g.in, 3, 3)
			b := RandN[float32](r, 1, g.out)
			oh, ow, _ := c.Out(g.h, g.w, 3, 3)
			y := New[float32](g.n, g.out, oh, ow)
			c.Forward(y, x, w, b)
			c.x, c.w = x, w
			c.kh, c.kw = 3, 3
			if wino := c.winograd(); wino != (g.in >= winogradMinIn && !big) {
				t.Fatalf("the forward pass through Winograd's algorithm: %v", wino)
			}
			c.x, c.w = nil, nil
			for i := range g.n {
				for f := range g.out {
					for oy := range oh {
						for ox := range ow {
							want, mag := float64(b.Data[f]), math.Abs(float64(b.Data[f]))
							for ch := range g.in {
								for ky := range 3 {
									for kx := range 3 {
										iy, ix := oy+ky-g.pad, ox+kx-g.pad
										if iy < 0 || iy >= g.h || ix < 0 || ix >= g.w {
											continue
										}
										p := float64(x.Data[((i*g.in+ch)*g.h+iy)*g.w+ix]) * float64(w.Data[((f*g.in+ch)*3+ky)*3+kx])
										want += p
										mag += math.Abs(p)
									}
								}
							}
							got := float64(y.Data[((i*g.out+f)*oh+oy)*ow+ox])
							if math.Abs(got-want) > 2e-6*mag {
								t.Fatalf("y[%d, %d, %d, %d] = %v, want %v (magnitude %v)", i, f, oy, ox, got, want, mag)
							}
						}
					}
				}
			}
			dy := RandN[float32](r, 1, y.Shape()...)
			dx, dw, db := New[float32](x.Shape()...), New[float32](w.Shape()...), New[float32](g.out)
			c.Backward(dx, dw, db, x, w, dy)
			c.x, c.w, c.dx = x, w, dx
			if wino := c.winogradDx(); wino != (g.pad <= 2 && g.out >= winogradMinIn && !big) {
				t.Fatalf("dx through Winograd's algorithm: %v", wino)
			}
			c.x, c.w, c.dx = nil, nil, nil
			for f := range g.out {
				for ch := range g.in {
					for ky := range 3 {
						for kx := range 3 {
							var want, mag float64
							for i := range g.n {
								for oy := range oh {
									for ox := range ow {
										iy, ix := oy+ky-g.pad, ox+kx-g.pad
										if iy < 0 || iy >= g.h || ix < 0 || ix >= g.w {
											continue
										}
										p := float64(x.Data[((i*g.in+ch)*g.h+iy)*g.w+ix]) * float64(dy.Data[((i*g.out+f)*oh+oy)*ow+ox])
										want += p
										mag += math.Abs(p)
									}
								}
							}
							got := float64(dw.Data[((f*g.in+ch)*3+ky)*3+kx])
							if math.Abs(got-want) > 2e-6*mag {
								t.Fatalf("dw[%d, %d, %d, %d] = %v, want %v (magnitude %v)", f, ch, ky, kx, got, want, mag)
							}
						}
					}
				}
			}
			for i := range g.n {
				for ch := range g.in {
					for iy := range g.h {
						for ix := range g.w {
							var want, mag float64
							for f := range g.out {
								for ky := range 3 {
									for kx := range 3 {
										oy, ox := iy+g.pad-ky, ix+g.pad-kx
										if oy < 0 || oy >= oh || ox < 0 || ox >= ow {
											continue
										}
										p := float64(dy.Data[((i*g.out+f)*oh+oy)*ow+ox]) * float64(w.Data[((f*g.in+ch)*3+ky)*3+kx])
										want += p
										mag += math.Abs(p)
									}
								}
							}
							got := float64(dx.Data[((i*g.in+ch)*g.h+iy)*g.w+ix])
							if math.Abs(got-want) > 2e-6*mag {
								t.Fatalf("dx[%d, %d, %d, %d] = %v, want %v (magnitude %v)", i, ch, iy, ix, got, want, mag)
							}
						}
					}
				}
			}
			one := New[float32](1, g.out, oh, ow)
			for i := range g.n {
				xi := FromSlice(x.Data[i*g.in*g.h*g.w:(i+1)*g.in*g.h*g.w], 1, g.in, g.h, g.w)
				c.Forward(one, xi, w, b)
				for j, v := range one.Data {
					if u := y.Data[i*len(one.Data)+j]; math.Float32bits(u) != math.Float32bits(v) {
						t.Fatalf("image %d alone: y[%d] = %v, in the batch %v", i, j, v, u)
					}
				}
			}
		})
	}
}
