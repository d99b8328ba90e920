package playground

import (
	"context"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tutorial"
)

// tutorialRun trains the tutorial's network as kiso xor does for steps
// steps from seed, and returns it with the loss of every step (the case's
// loss after its update, as the tutorial records it).
func tutorialRun(t *testing.T, seed int64, steps int) (*tutorial.TwoLayerNet[float64], []float64) {
	t.Helper()
	xs := data.XOR[float64]()
	x, y := xs.X, data.OneHot(xs.Y, xs.Classes)
	net := tutorial.NewTwoLayerNet[float64](2, 2, 2, 0.1, rng.NewNumpy(uint32(seed)))
	var losses []float64
	err := net.Learn(context.Background(), x, y, steps, 0.1, tutorial.Numerical, rng.NewPython(uint64(seed)),
		func(_ int, l float64) { losses = append(losses, l) })
	if err != nil {
		t.Fatal(err)
	}
	return net, losses
}

// TestTutorialPresetFollowsKisoXOR checks that the preset "the tutorial's
// network" takes the very steps of kiso xor (package tutorial): after each
// of the first 300 steps the loss of the step's case is the tutorial's to
// the bit, and after 1, 10, 300 and 3000 steps so are all four parameters
// and the mean loss over the four cases, which the page shows; for seeds
// 0 (the preset's) and 7.
func TestTutorialPresetFollowsKisoXOR(t *testing.T) {
	for _, seed := range []int64{0, 7} {
		cfg := TutorialConfig()
		cfg.Seed = seed
		if err := cfg.Validate(DefaultLimits); err != nil {
			t.Fatalf("the preset is invalid: %v", err)
		}
		l, err := newLearner(cfg)
		if err != nil {
			t.Fatal(err)
		}
		_, want := tutorialRun(t, seed, 300)
		for i, w := range want {
			if _, err := l.step(); err != nil {
				t.Fatal(err)
			}
			got := l.lossFn.Forward(l.net.Forward(l.px, false), l.py)
			if got != w {
				t.Fatalf("seed %d, step %d: the case's loss after the update is %.17g, kiso xor's %.17g", seed, i, got, w)
			}
		}
		for _, n := range []int{1, 10, 300, 3000} {
			l, err := newLearner(cfg)
			if err != nil {
				t.Fatal(err)
			}
			for range n {
				if _, err := l.step(); err != nil {
					t.Fatal(err)
				}
			}
			net, _ := tutorialRun(t, seed, n)
			for k, p := range net.Params() {
				q := l.net.Params()[k]
				for j, v := range p.Value.Data {
					if q.Value.Data[j] != v {
						t.Fatalf("seed %d after %d steps: %s[%d] = %.17g, kiso xor's %.17g", seed, n, p.Name, j, q.Value.Data[j], v)
					}
				}
			}
			xs := data.XOR[float64]()
			wantLoss := net.Loss(xs.X, data.OneHot(xs.Y, xs.Classes))
			if got, _ := l.evaluate(l.train); got != wantLoss || math.IsNaN(got) {
				t.Fatalf("seed %d after %d steps: mean loss %.17g, kiso xor's final_loss %.17g", seed, n, got, wantLoss)
			}
		}
	}
}

// TestInfoOffersTheTutorialPreset checks that GET /api/info offers the
// preset the page's button applies, and that a session accepts it and
// refuses draws it does not know.
func TestInfoOffersTheTutorialPreset(t *testing.T) {
	_, srv := testServer(t, Options{})
	code, body := do(t, "GET", srv.URL+"/api/info", "", nil)
	if code != 200 {
		t.Fatalf("GET /api/info: %d %s", code, body)
	}
	var info Info
	if err := json.Unmarshal(body, &info); err != nil {
		t.Fatal(err)
	}
	got, ok := info.Presets["tutorial"]
	if !ok || !reflect.DeepEqual(got, TutorialConfig()) {
		t.Fatalf("presets.tutorial = %+v (present %v), want %+v", got, ok, TutorialConfig())
	}
	if info.Default.Draws != "kiso" {
		t.Errorf("the default draws %q, want kiso", info.Default.Draws)
	}
	id := create(t, srv.URL, got)
	if id == "" {
		t.Fatal("no session from the preset")
	}
	code, body = post(t, srv.URL+"/api/session", map[string]any{"draws": "numpy"})
	if code != 400 || !strings.Contains(errorOf(t, body), `draws "numpy"`) {
		t.Errorf("draws numpy: %d %s, want 400 naming draws", code, body)
	}
}
