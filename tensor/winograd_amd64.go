//go:build amd64 && !purego

package tensor

// winoIn32 and winoOut32 are the AVX2 transforms of winograd_amd64.s:
// winoInGo and winoOutGo on blocks of 8 tiles, with the same bits. Their
// callers (winoIn, winoOut) check the bounds.
//
//go:noescape
func winoIn32(src *float32, ws, ntx, nty int, dst *float32, ds int)

//go:noescape
func winoOut32(m *float32, ds, ntx, nty int, dst *float32, wide int, bias float32)

//go:noescape
func winoDy32(src *float32, ws, ntx, nty int, dst *float32, ds int)
