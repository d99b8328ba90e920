//go:build amd64 && !purego

package tensor

// The AVX2 passes of ChannelNormalize and ChannelNormGrad over float32
// values (batchnorm_amd64.s), blocks of four; blocks must be at least 1.
//
//go:noescape
func bnNormalize32(y, xhat, x *float32, mean, inv, gamma, beta float64, blocks int)

//go:noescape
func bnNormGrad32(dx, dy, xhat *float32, km, m, sdy, sdyx float64, blocks int)
