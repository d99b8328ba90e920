package layers

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/kiso-go/kiso/internal/atomicfile"
	"github.com/kiso-go/kiso/model"
	"github.com/kiso-go/kiso/tensor"
)

// Format is the "format" entry of the metadata Save writes, telling a
// parameters file from a kiso model file (whose format is "kiso" and which
// carries an architecture; model.Load reads those).
const Format = "kiso-autograd-params"

// Save writes l's parameters to path as a safetensors file (DeZero's
// save_weights, which writes an .npz), atomically: a failed save leaves
// any existing file untouched. Each parameter is a tensor named by its
// path ("l0.W"), of dtype F32 for parameters registered with Param32 (they
// hold float32 values: no bits are lost) and of T's dtype otherwise. A
// lazily shaped parameter that has no value yet is left out. Errors start
// with "layers: save <path>: ".
func Save[T tensor.Float](path string, l Layer[T]) error {
	var ts []model.Named
	for _, n := range NamedParams(l) {
		if n.V.Data == nil {
			continue
		}
		if n.Float32 {
			ts = append(ts, model.FromTensor(n.Path, toFloat32(n.V.Data)))
		} else {
			ts = append(ts, model.FromTensor(n.Path, n.V.Data))
		}
	}
	err := atomicfile.Write(path, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		if err := model.WriteSafetensors(bw, ts, map[string]string{"format": Format}); err != nil {
			return err
		}
		return bw.Flush()
	})
	if err != nil {
		return fmt.Errorf("layers: save %s: %w", path, err)
	}
	return nil
}

func toFloat32[T tensor.Float](t *tensor.Tensor[T]) *tensor.Tensor[float32] {
	out := tensor.New[float32](t.Shape()...)
	for i, v := range t.Data {
		out.Data[i] = float32(v)
	}
	return out
}

// Load reads the parameters Save wrote for a layer of the same structure
// into l (DeZero's load_weights): every parameter of l with a value must
// find a tensor of its path and shape in the file; a lazily shaped one
// without a value yet takes the file's tensor and shape. The file is
// checked as model.ReadSafetensors checks any (lengths capped by the
// file's size); a missing or extra tensor, a shape that differs, a value
// that is not finite, or a dtype other than F32 or F64 is an error naming
// the tensor, and then l is left unchanged. Errors start with
// "layers: load <path>: ".
func Load[T tensor.Float](path string, l Layer[T]) error {
	wrap := func(err error) error { return fmt.Errorf("layers: load %s: %w", path, err) }
	f, err := os.Open(path)
	if err != nil {
		return wrap(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return wrap(err)
	}
	if fi.IsDir() {
		return wrap(fmt.Errorf("it is a folder"))
	}
	file, err := model.ReadSafetensors(bufio.NewReader(f), fi.Size())
	if err != nil {
		return wrap(err)
	}
	params := NamedParams(l)
	values := make([]*tensor.Tensor[T], len(params))
	seen := map[string]bool{}
	for i, n := range params {
		nt, ok := file.Tensor(n.Path)
		if !ok {
			return wrap(fmt.Errorf("no tensor %q", n.Path))
		}
		seen[n.Path] = true
		t, err := model.ToTensor[T](nt)
		if err != nil {
			return wrap(err)
		}
		if n.V.Data != nil && !tensor.EqualShape(t.Shape(), n.V.Shape()) {
			return wrap(fmt.Errorf("tensor %q has shape %v, the parameter %v", n.Path, t.Shape(), n.V.Shape()))
		}
		if err := finite(t); err != nil {
			return wrap(fmt.Errorf("tensor %q: %v", n.Path, err))
		}
		values[i] = t
	}
	for _, nt := range file.Tensors {
		if !seen[nt.Name] {
			return wrap(fmt.Errorf("tensor %q is not a parameter of the layer", nt.Name))
		}
	}
	for i, n := range params {
		n.V.Data = values[i]
	}
	return nil
}

func finite[T tensor.Float](t *tensor.Tensor[T]) error {
	for i, v := range t.Data {
		if v != v || v-v != 0 {
			return fmt.Errorf("element %d is %v", i, v)
		}
	}
	return nil
}
