package kisofile

import (
	"bytes"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/model"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

var kind = Kind{Format: "kiso-test", Version: "1", Name: "a test file", Writer: "kiso test"}

// file returns a safetensors file with meta and one tensor "w" [2, 2].
func file(t *testing.T, meta map[string]string, w []float32) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := model.WriteSafetensors(&b, []model.Named{model.FromTensor("w", tensor.FromSlice(w, 2, 2))}, meta); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func read(t *testing.T, b []byte) (*model.File, error) {
	t.Helper()
	return Read(bytes.NewReader(b), int64(len(b)), kind)
}

func TestRead(t *testing.T) {
	good := map[string]string{"format": "kiso-test", "version": "1", "config": `{"a":1}`, "vocab": `["x","y"]`}
	sf, err := read(t, file(t, good, []float32{1, 2, 3, 4}))
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct{ A int }
	if err := Strict(sf, "config", &cfg); err != nil || cfg.A != 1 {
		t.Fatalf("config %+v, %v", cfg, err)
	}
	if w, err := Words(sf, "vocab", 2); err != nil || len(w) != 2 {
		t.Fatalf("words %v, %v", w, err)
	}
	p := nn.NewParam("w", tensor.New[float64](2, 2), true)
	if err := Params(sf, []*nn.Param[float64]{p}); err != nil || p.Value.Data[3] != 4 {
		t.Fatalf("params %v, %v", p.Value.Data, err)
	}
	for _, c := range []struct {
		name string
		err  func() error
		want string
	}{
		{"unknown field", func() error { var v struct{ B int }; return Strict(sf, "config", &v) }, `config: json: unknown field "a"`},
		{"missing field", func() error { var v struct{}; return Strict(sf, "nothing", &v) }, "nothing: missing"},
		{"word count", func() error { _, err := Words(sf, "vocab", 3); return err }, "vocab: 2 words, the config says 3"},
		{"shape", func() error { _, err := Tensor[float32](sf, "w", []int{4}); return err }, "tensor w has the shape [2 2], want [4]"},
		{"missing tensor", func() error { _, err := Tensor[float32](sf, "v", []int{4}); return err }, "no tensor v"},
		{"parameter count", func() error { return Params[float32](sf, nil) }, "1 tensors, the config's model has 0"},
	} {
		if err := c.err(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	bad := func(k, v string) map[string]string {
		m := map[string]string{}
		for a, b := range good {
			m[a] = b
		}
		m[k] = v
		return m
	}
	sf, _ = read(t, file(t, bad("vocab", `["x","x"]`), []float32{1, 2, 3, 4}))
	if _, err := Words(sf, "vocab", 2); err == nil || !strings.Contains(err.Error(), `"x" twice`) {
		t.Errorf("a repeated word: %v", err)
	}
	sf, _ = read(t, file(t, good, []float32{1, float32(math.Inf(1)), 3, 4}))
	if _, err := Tensor[float32](sf, "w", []int{2, 2}); err == nil || !strings.Contains(err.Error(), "holds +Inf (value 1)") {
		t.Errorf("an infinite value: %v", err)
	}
	for _, c := range []struct {
		meta map[string]string
		want string
	}{
		{bad("format", model.Format), "network's model file"},
		{bad("format", "kiso-other"), `not a test file: format "kiso-other"`},
		{bad("version", "2"), `version "2"`},
	} {
		if _, err := read(t, file(t, c.meta, []float32{1, 2, 3, 4})); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.meta, err, c.want)
		}
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.kiso")
	if err := os.WriteFile(path, []byte("12345"), 0o644); err != nil {
		t.Fatal(err)
	}
	n, err := Load(path, func(r io.Reader, size int64) (int64, error) {
		b, err := io.ReadAll(r)
		return size + int64(len(b)), err
	})
	if err != nil || n != 10 {
		t.Fatalf("Load: %d, %v", n, err)
	}
	size := func(r io.Reader, size int64) (int64, error) { return size, nil }
	for p, want := range map[string]string{
		dir:                        "load " + dir + ": it is a folder",
		filepath.Join(dir, "none"): "load " + filepath.Join(dir, "none") + ": no such file",
	} {
		if _, err := Load(p, size); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("Load(%s): %v, want %q", p, err, want)
		}
	}
}
