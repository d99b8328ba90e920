package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kiso-go/kiso/model"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/playground"
	"github.com/kiso-go/kiso/rng"
)

// saveMLP saves a model of in inputs and classes outputs with random
// weights and returns its path.
func saveMLP(t *testing.T, in, classes int, dataset string) string {
	t.Helper()
	net, err := nn.Build[float64](nn.MLP(in, []int{8}, classes, nn.ReLU, nn.MLPOptions{}), nn.He, rng.NewNumpy(1))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), dataset+".kiso")
	if err := model.Save(path, net, model.Info{Dataset: dataset, Classes: classes}); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestServeDigitModel serves with --model and reads a drawing through the
// digit page's API; a model of other inputs and a missing file are
// refused before the server starts.
func TestServeDigitModel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addrc := make(chan string, 1)
	o := &serveOptions{Addr: "127.0.0.1:0", MaxSessions: 3, IdleTimeout: time.Minute,
		Model: saveMLP(t, 784, 10, "mnist"), ready: func(a string) { addrc <- a }}
	var stdout, stderr bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- runServe(ctx, o, &stdout, &stderr) }()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-done:
		t.Fatalf("serve ended: %v", err)
	case <-time.After(5 * time.Second):
		t.Fatal("serve did not start")
	}
	ink := make([]byte, 28*28)
	for y := 4; y < 24; y++ {
		ink[y*28+14] = 255
	}
	body, _ := json.Marshal(playground.DigitRequest{Side: 28, Ink: base64.StdEncoding.EncodeToString(ink)})
	res, err := http.Post("http://"+addr+"/api/digits/predict", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	var p playground.DigitPrediction
	if res.StatusCode != http.StatusOK || json.Unmarshal(b, &p) != nil || len(p.Probabilities) != 10 {
		t.Errorf("predict: %d %s", res.StatusCode, b)
	}
	for _, path := range []string{"/digits.html", "/digits.js"} {
		res, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", path, res.StatusCode)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve returned %v", err)
	}
	if !strings.Contains(stdout.String(), "/digits.html") {
		t.Errorf("stdout %q does not name the digit page", stdout.String())
	}

	for _, c := range []struct{ model, want string }{
		{saveMLP(t, 2, 2, "xor"), "28x28"},
		{filepath.Join(t.TempDir(), "none.kiso"), "none.kiso"},
	} {
		o := &serveOptions{Addr: "127.0.0.1:0", MaxSessions: 3, IdleTimeout: time.Minute, Model: c.model}
		if err := runServe(context.Background(), o, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("--model %s: %v, want an error with %q", c.model, err, c.want)
		}
	}
}
