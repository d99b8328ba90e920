package main

import (
	"context"
	"testing"

	"github.com/kiso-go/kiso/tutorial"
)

// BenchmarkXOR trains the tutorial's network as kiso xor does, with each
// gradient method; its CPU profile is cmd/kiso/default.pgo (go test
// ./cmd/kiso -run '^$' -bench XOR -cpuprofile cmd/kiso/default.pgo).
func BenchmarkXOR(b *testing.B) {
	for _, m := range []tutorial.Method{tutorial.Numerical, tutorial.Backprop} {
		b.Run(m.String(), func(b *testing.B) {
			o := &xorOptions{Hidden: 2, InitStd: 0.1, LR: 0.1, Steps: 30000}
			for b.Loop() {
				if _, err := trainXOR(context.Background(), o, m, 0, true); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
