//go:build !amd64 || purego

package tensor

// Without assembly useSIMD is false and these are never called.

func winoIn32(src *float32, ws, ntx, nty int, dst *float32, ds int) { panic("tensor: no winoIn32") }

func winoOut32(m *float32, ds, ntx, nty int, dst *float32, wide int, bias float32) {
	panic("tensor: no winoOut32")
}

func winoDy32(src *float32, ws, ntx, nty int, dst *float32, ds int) { panic("tensor: no winoDy32") }
