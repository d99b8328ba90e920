package tensor

import "github.com/kiso-go/kiso/internal/crmath"

// Exp returns e^x correctly rounded to nearest: the float64 closest to the
// exact value (math.Exp is within 1 ulp, and off by one for about 1
// argument in 8). Layers and losses use it for sigmoid, tanh and softmax.
func Exp(x float64) float64 { return crmath.Exp(x) }

// Log returns the natural logarithm of x correctly rounded to nearest.
func Log(x float64) float64 { return crmath.Log(x) }
