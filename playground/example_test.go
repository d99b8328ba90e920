package playground_test

import (
	"fmt"
	"strings"

	"github.com/kiso-go/kiso/playground"
)

// A configuration as the page sends it: unset fields take the defaults,
// and an out-of-range setting is an error that names it.
func ExampleDecodeConfig() {
	c, err := playground.DecodeConfig(strings.NewReader(`{"data": "spiral", "noise": 0.1,
		"layers": [{"neurons": 8, "activation": "relu"}, {"neurons": 8, "activation": "tanh"}]}`), playground.DefaultLimits)
	fmt.Println(c.Data, c.Noise, len(c.Layers), c.Optimizer, c.LR, err)

	_, err = playground.DecodeConfig(strings.NewReader(`{"layers": [{"neurons": 20, "activation": "relu"}]}`), playground.DefaultLimits)
	fmt.Println(err)
	// Output:
	// spiral 0.1 2 adam 0.03 <nil>
	// layer 1: 20 neurons, must be between 1 and 8
}
