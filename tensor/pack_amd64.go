//go:build amd64 && !purego

package tensor

// packT8x8 is the 8×8 float32 transpose of pack_amd64.s (see packT32);
// blocks must be at least 1.
//
//go:noescape
func packT8x8(dst *float32, ds int, src *float32, ss int, blocks int)
