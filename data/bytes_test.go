package data

import (
	"math"
	"runtime"
	"slices"
	"testing"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// byteSets returns the same n cases of cols values (every byte value
// occurs) twice: as bytes, and converted to T in X the way LoadMNIST
// converts them.
func byteSets[T tensor.Float](n, cols int, div255 bool) (b, x *Set[T]) {
	px := make([]uint8, n*cols)
	r := rng.NewNumpy(4)
	for i := range px {
		px[i] = uint8(r.Below(256))
	}
	px[0], px[1] = 0, 255
	in := &ByteInputs{Data: px, Shape: []int{n, cols}, Div255: div255}
	y := tensor.New[T](n)
	for i := range y.Data {
		y.Data[i] = T(i % 10)
	}
	xs := tensor.New[T](n, cols)
	for i, p := range px {
		if div255 {
			xs.Data[i] = T(p) / 255
		} else {
			xs.Data[i] = T(p)
		}
	}
	return &Set[T]{XBytes: in, Y: y, Classes: 10}, &Set[T]{X: xs, Y: y, Classes: 10}
}

func TestGatherBytesSameBits(t *testing.T) {
	// Bytes converted as they are gathered give the bits of floats
	// converted once, for batches below and past gatherSplit (cut into
	// chunks on tensor.Parallel).
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	t.Run("float32", func(t *testing.T) { testGatherBytes[float32](t) })
	t.Run("float64", func(t *testing.T) { testGatherBytes[float64](t) })
}

func testGatherBytes[T tensor.Float](t *testing.T) {
	for _, div255 := range []bool{true, false} {
		bs, xs := byteSets[T](300, 784, div255)
		if bs.Len() != 300 || !slices.Equal(bs.InputShape(), []int{784}) || bs.Check() != nil {
			t.Fatalf("Len %d, InputShape %v, Check %v", bs.Len(), bs.InputShape(), bs.Check())
		}
		r := rng.NewNumpy(2)
		for _, size := range []int{1, 3, 100, 299} {
			idx := r.Perm(300)[:size]
			bx, by := bs.GatherTo(nil, nil, idx)
			fx, fy := xs.GatherTo(nil, nil, idx)
			if !slices.Equal(bx.Shape(), fx.Shape()) || !slices.Equal(by.Data, fy.Data) {
				t.Fatalf("batch of %d: shapes %v and %v", size, bx.Shape(), fx.Shape())
			}
			for i := range bx.Data {
				if math.Float64bits(float64(bx.Data[i])) != math.Float64bits(float64(fx.Data[i])) {
					t.Fatalf("div255 %v, batch of %d: value %d is %v, want %v", div255, size, i, bx.Data[i], fx.Data[i])
				}
			}
			if a := testing.AllocsPerRun(20, func() { bx, by = bs.GatherTo(bx, by, idx) }); a != 0 && !raceEnabled {
				t.Errorf("batch of %d: GatherTo from bytes allocates %v times", size, a)
			}
			sub := bs.Subset(idx)
			if sub.X == nil || !slices.Equal(sub.X.Data, fx.Data) {
				t.Errorf("batch of %d: Subset of a byte set does not hold the converted inputs in X", size)
			}
		}
	}
}

func TestLoaderOverBytesNoAllocations(t *testing.T) {
	bs, _ := byteSets[float32](1000, 784, true)
	l := NewLoader(bs, 100, rng.NewNumpy(1))
	l.Next()
	if a := testing.AllocsPerRun(200, func() { l.Next() }); a != 0 && !raceEnabled {
		t.Errorf("Loader.Next over bytes allocates %v times per batch", a)
	}
}

// BenchmarkLoaderNextBytes is BenchmarkLoaderNext over bytes converted as
// they are gathered.
func BenchmarkLoaderNextBytes(b *testing.B) {
	px := make([]uint8, 60000*784)
	for i := range px {
		px[i] = uint8(i) // written: pages never written would all read the kernel's one zero page
	}
	s := &Set[float32]{XBytes: &ByteInputs{Data: px, Shape: []int{60000, 784}, Div255: true}, Y: tensor.New[float32](60000)}
	l := NewLoader(s, 100, rng.NewNumpy(1))
	b.ReportAllocs()
	for b.Loop() {
		l.Next()
	}
}
