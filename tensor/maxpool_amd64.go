//go:build amd64 && !purego

package tensor

// pool2x2f32 pools blocks of eight 2×2 windows of stride 2 of a float32
// plane (maxpool_amd64.s): top is the first cell of the first window's
// top row, whose bottom row is w cells on; base is top's index in the
// input, from which the indices stored in arg count (base plus the
// plane's size must stay below 2³¹). It writes 8·blocks values of y and
// of arg, and returns non-zero if a cell read was a NaN (y and arg are
// then not to be used). blocks must be at least 1.
//
//go:noescape
func pool2x2f32(y *float32, arg *int, top *float32, w, base, blocks int) int

// pool2x2f32x4 is pool2x2f32 for one block of four windows.
//
//go:noescape
func pool2x2f32x4(y *float32, arg *int, top *float32, w, base int) int
