package nn_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
)

// TestNamedArchitectures checks that a spec naming simplecnn or deepcnn
// builds the same network as the chain, remembers its name through JSON,
// and that an unknown name or field is an error.
func TestNamedArchitectures(t *testing.T) {
	for name, chain := range map[string]nn.Spec{"simplecnn": nn.SimpleConvNet(), "deepcnn": nn.DeepConvNet()} {
		var s nn.Spec
		if err := json.Unmarshal([]byte(`{"arch":"`+name+`","config":{}}`), &s); err != nil {
			t.Fatal(err)
		}
		a, err := nn.Build[float32](s, nn.He, rng.NewNumpy(1))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := nn.Build[float32](chain, nn.He, rng.NewNumpy(1))
		pa, pb := a.Params(), b.Params()
		if len(pa) != len(pb) {
			t.Fatalf("%s: %d parameters, the chain %d", name, len(pa), len(pb))
		}
		for i := range pa {
			if pa[i].Name != pb[i].Name || !equal32(pa[i].Value.Data, pb[i].Value.Data) {
				t.Errorf("%s: parameter %s differs from the chain's", name, pa[i].Name)
			}
		}
		got, err := nn.SpecOf(a)
		if err != nil || got.Arch != name {
			t.Errorf("%s: SpecOf gives %+v, %v", name, got, err)
		}
	}
	for _, bad := range []struct{ json, want string }{
		{`{"arch":"resnet50"}`, `unknown architecture "resnet50"`},
		{`{"arch":"simplecnn","config":{"depth":3}}`, `unknown field "depth"`},
	} {
		var s nn.Spec
		if err := json.Unmarshal([]byte(bad.json), &s); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Validate(nil); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s: %v, want an error containing %q", bad.json, err, bad.want)
		}
	}
}

func equal32(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
