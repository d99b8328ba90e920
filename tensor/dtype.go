package tensor

import "unsafe"

// This file holds what a generic function outside tensor needs to know or
// do about its element type T, so that type specialization stays here:
// callers never use unsafe or type assertions on T.

// DTypeName returns "float32" or "float64", the name of T's underlying
// type (numpy's and PyTorch's name for it).
func DTypeName[T Float]() string {
	if unsafe.Sizeof(T(0)) == 4 {
		return "float32"
	}
	return "float64"
}

// Size returns the size of an element of type T in bytes, 4 or 8.
func Size[T Float]() int { return int(unsafe.Sizeof(T(0))) }

// PerType holds one value of V for each underlying element type. Go has no
// generic package-level variables; a PerType is how a generic function
// keeps state per element type, such as a sync.Pool of scratch memory:
//
//	var pools tensor.PerType[sync.Pool]
//	sc, _ := tensor.Of[T](&pools).Get().(*scratch[T])
type PerType[V any] struct{ f32, f64 V }

// Of returns T's value in p.
func Of[T Float, V any](p *PerType[V]) *V {
	if unsafe.Sizeof(T(0)) == 4 {
		return &p.f32
	}
	return &p.f64
}

// SameBits reports whether a and b have the same length and hold the same
// bits (so a NaN equals itself, and 0 differs from -0).
func SameBits[T Float](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	if unsafe.Sizeof(T(0)) == 8 {
		return equalWords(bitsOf[uint64](a), bitsOf[uint64](b))
	}
	return equalWords(bitsOf[uint32](a), bitsOf[uint32](b))
}

func equalWords[W uint32 | uint64](a, b []W) bool {
	b = b[:len(a)]
	for i, v := range a {
		if v != b[i] {
			return false
		}
	}
	return true
}

// AsFloat64 returns s viewed as a []float64 (the same memory, no copy):
// the way a generic function hands its data to code written for float64.
// It panics if T's underlying type is float32.
func AsFloat64[T Float](s []T) []float64 {
	if unsafe.Sizeof(T(0)) != 8 {
		panic("tensor: AsFloat64 of a float32 slice")
	}
	return unsafe.Slice((*float64)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}

// Bytes returns s viewed as its bytes in memory order (the same memory,
// no copy), Size[T]() bytes per element.
func Bytes[T Float](s []T) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), len(s)*int(unsafe.Sizeof(T(0))))
}

// bitsOf views a slice of floats as their bits, U of the same size as T.
func bitsOf[U uint32 | uint64, T Float](s []T) []U {
	return unsafe.Slice((*U)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}
