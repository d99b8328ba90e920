package playground

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/model"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// digitModel returns a digit model as kiso serve --model loads it: a
// 784-16-10 network with random weights, saved and loaded again.
func digitModel(t testing.TB) *DigitModel {
	t.Helper()
	spec := nn.MLP(784, []int{16}, 10, nn.ReLU, nn.MLPOptions{})
	net, err := nn.Build[float64](spec, nn.He, rng.NewNumpy(3))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "digits.kiso")
	if err := model.Save(path, net, model.Info{Dataset: "mnist", Classes: 10, Accuracy: 0.5}); err != nil {
		t.Fatal(err)
	}
	m, err := model.Load[float64](path)
	if err != nil {
		t.Fatal(err)
	}
	d, err := NewDigitModel(m, "digits.kiso")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// bar returns a side×side drawing, base64, with a vertical bar of ink.
func bar(side int) string {
	b := make([]byte, side*side)
	for y := side / 4; y < 3*side/4; y++ {
		for x := side / 2; x < side/2+side/10; x++ {
			b[y*side+x] = 255
		}
	}
	return base64.StdEncoding.EncodeToString(b)
}

// TestDigitsPredict checks POST /api/digits/predict on a drawing of a bar:
// ten probabilities summing to 1, those of the model on the drawing
// prepared by data.PrepareDigit, and the 28x28 image it saw, with the
// bar 20 pixels high.
func TestDigitsPredict(t *testing.T) {
	d := digitModel(t)
	_, srv := testServer(t, Options{Digits: d})
	var info DigitInfo
	code, body := do(t, http.MethodGet, srv.URL+"/api/digits", "", nil)
	if jsonInto(t, body, &info); code != http.StatusOK || !info.Model || len(info.Classes) != 10 || info.Classes[7] != "7" || info.Dataset != "mnist" {
		t.Fatalf("GET /api/digits: %d %s", code, body)
	}

	code, body = post(t, srv.URL+"/api/digits/predict", DigitRequest{Side: 112, Ink: bar(112)})
	if code != http.StatusOK {
		t.Fatalf("predict: %d %s", code, body)
	}
	var p DigitPrediction
	jsonInto(t, body, &p)
	if len(p.Probabilities) != 10 || len(p.Labels) != 10 {
		t.Fatalf("%d probabilities and %d labels, want 10 each", len(p.Probabilities), len(p.Labels))
	}
	sum := 0.0
	for _, v := range p.Probabilities {
		sum += v
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("the probabilities sum to %v", sum)
	}

	// The same numbers as the model on the prepared drawing.
	raw, _ := base64.StdEncoding.DecodeString(bar(112))
	ink := make([]float64, len(raw))
	for i, v := range raw {
		ink[i] = float64(v) / 255
	}
	img, err := data.PrepareDigit(ink, 112, 112)
	if err != nil {
		t.Fatal(err)
	}
	want := loss.Softmax(d.m.Net.Forward(tensor.FromSlice(img, 1, 784), false)).Data
	for k := range want {
		if math.Abs(p.Probabilities[k]-want[k]) > 1e-12 {
			t.Fatalf("P(%d) = %v, the model on the prepared drawing gives %v", k, p.Probabilities[k], want[k])
		}
	}
	if best := tensor.ArgmaxRows(tensor.FromSlice(want, 1, 10))[0]; p.Class != best {
		t.Errorf("class %d, want the most probable, %d", p.Class, best)
	}
	seen, _ := base64.StdEncoding.DecodeString(p.Input)
	if len(seen) != 784 {
		t.Fatalf("the input the model saw has %d pixels, want 784", len(seen))
	}
	rows := 0
	for y := range 28 {
		for x := range 28 {
			if seen[y*28+x] >= 128 {
				rows++
				break
			}
		}
	}
	if rows != 20 {
		t.Errorf("the bar is %d pixels high in what the model saw, want 20", rows)
	}
}

// TestDigitsRefusesBadDrawings checks that every malformed request gets
// a 4xx naming the problem, and that a server without a model says how to
// start one with.
func TestDigitsRefusesBadDrawings(t *testing.T) {
	_, srv := testServer(t, Options{Digits: digitModel(t)})
	empty := base64.StdEncoding.EncodeToString(make([]byte, 64*64))
	for _, c := range []struct {
		name string
		body any
		want string
	}{
		{"too small", DigitRequest{Side: 10, Ink: ""}, "side 10"},
		{"too large", DigitRequest{Side: 4096, Ink: ""}, "side 4096"},
		{"not base64", DigitRequest{Side: 28, Ink: "!!!!"}, "not base64"},
		{"short", DigitRequest{Side: 64, Ink: bar(28)}, "784 pixels"},
		{"long", DigitRequest{Side: 28, Ink: bar(64)}, "base64 characters"},
		{"raw but large", DigitRequest{Side: 64, Ink: bar(64), Raw: true}, "raw drawings"},
		{"empty", DigitRequest{Side: 64, Ink: empty}, "holds no digit"},
		{"unknown field", `{"side": 28, "ink": "", "colour": 1}`, "colour"},
	} {
		code, body := post(t, srv.URL+"/api/digits/predict", c.body)
		if code != http.StatusBadRequest || !strings.Contains(errorOf(t, body), c.want) {
			t.Errorf("%s: %d %s, want 400 with %q", c.name, code, body, c.want)
		}
	}
	if code, body := do(t, http.MethodPost, srv.URL+"/api/digits/predict", "text/plain", strings.NewReader("{}")); code != http.StatusUnsupportedMediaType {
		t.Errorf("text/plain: %d %s, want 415", code, body)
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/digits/predict", strings.NewReader(`{"side":28,"ink":""}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", "http://evil.example")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("from another origin: %d, want 403", res.StatusCode)
	}

	_, bare := testServer(t, Options{})
	code, body := do(t, http.MethodGet, bare.URL+"/api/digits", "", nil)
	var info DigitInfo
	if jsonInto(t, body, &info); code != http.StatusOK || info.Model {
		t.Errorf("GET /api/digits without a model: %d %s", code, body)
	}
	code, body = post(t, bare.URL+"/api/digits/predict", DigitRequest{Side: 112, Ink: bar(112)})
	if code != http.StatusNotFound || !strings.Contains(errorOf(t, body), "kiso serve --model") {
		t.Errorf("predict without a model: %d %s, want 404 saying how to start one", code, body)
	}
}

// TestNewDigitModelRefusesOtherModels checks that a model of other inputs
// is refused with its shape named.
func TestNewDigitModelRefusesOtherModels(t *testing.T) {
	net, err := nn.Build[float64](nn.MLP(2, []int{4}, 2, nn.Tanh, nn.MLPOptions{}), nn.He, rng.NewNumpy(1))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "xor.kiso")
	if err := model.Save(path, net, model.Info{Dataset: "xor", Classes: 2}); err != nil {
		t.Fatal(err)
	}
	m, err := model.Load[float64](path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewDigitModel(m, "xor.kiso"); err == nil || !strings.Contains(err.Error(), "[2]") {
		t.Errorf("a model of 2 inputs: %v, want an error naming its shape", err)
	}
}

// jsonInto decodes body into v or fails t.
func jsonInto(t testing.TB, body []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("not JSON: %v: %s", err, body)
	}
}
