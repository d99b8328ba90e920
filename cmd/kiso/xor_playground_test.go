package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/model"
	"github.com/kiso-go/kiso/playground"
)

// TestPlaygroundTutorialPresetIsKisoXOR checks the playground's preset
// "the tutorial's network" against kiso xor --json itself: after the same
// number of steps from the same seed, the model the page downloads holds
// the parameters of kiso xor's JSON to the bit, and its mean loss over the
// four cases is kiso xor's final_loss.
func TestPlaygroundTutorialPresetIsKisoXOR(t *testing.T) {
	pg := playground.New(playground.Options{})
	srv := httptest.NewServer(pg)
	defer func() { pg.Close(); srv.Close() }()
	post := func(path string, body any) []byte {
		t.Helper()
		b, _ := json.Marshal(body)
		res, err := http.Post(srv.URL+path, "application/json", bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		out, _ := io.ReadAll(res.Body)
		if res.StatusCode >= 300 {
			t.Fatalf("POST %s: %s: %s", path, res.Status, out)
		}
		return out
	}
	for _, steps := range []int{1, 25, 500} {
		var created playground.Created
		if err := json.Unmarshal(post("/api/session", playground.TutorialConfig()), &created); err != nil {
			t.Fatal(err)
		}
		post("/api/session/"+created.ID+"/control", playground.Control{Action: "step", Steps: steps})
		res, err := http.Get(srv.URL + "/api/session/" + created.ID + "/model.kiso")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		path := filepath.Join(t.TempDir(), "m.kiso")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		m, err := model.Load[float64](path)
		if err != nil {
			t.Fatalf("the downloaded model: %v", err)
		}

		want := xorRun(t, "--steps", fmt.Sprint(steps), "--seed", "0")
		params := m.Net.Params()
		for k, name := range []string{"W1", "b1", "W2", "b2"} {
			var flat []float64
			switch v := want.Params[name].(type) {
			case []any:
				for _, e := range v {
					switch e := e.(type) {
					case float64:
						flat = append(flat, e)
					case []any:
						for _, x := range e {
							flat = append(flat, x.(float64))
						}
					}
				}
			}
			got := params[k].Value.Data
			if len(flat) != len(got) {
				t.Fatalf("%d steps: %s has %d numbers in the playground, %d in kiso xor", steps, name, len(got), len(flat))
			}
			for j := range got {
				if got[j] != flat[j] {
					t.Fatalf("%d steps: %s[%d] = %.17g in the playground, %.17g in kiso xor --json", steps, name, j, got[j], flat[j])
				}
			}
		}
		xs := data.XOR[float64]()
		var ce loss.SoftmaxCrossEntropy[float64]
		if l := ce.Forward(m.Net.Forward(xs.X, false), xs.Y); l != want.FinalLoss {
			t.Errorf("%d steps: mean loss %.17g in the playground, final_loss %.17g in kiso xor --json", steps, l, want.FinalLoss)
		}
	}
}
