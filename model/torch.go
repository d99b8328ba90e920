package model

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/kiso-go/kiso/internal/atomicfile"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

// TorchOptions are the choices of ExportTorch.
type TorchOptions struct {
	// DType is the element type of the exported weights: "F32" (the
	// default when empty; PyTorch's default dtype) or "F64", for which the
	// script converts the module with .to(torch.float64). Weights of the
	// other width are converted (float64 to float32 rounds to nearest).
	DType string
}

// ExportTorch writes net for PyTorch as two files: base+".safetensors", the state_dict of the
// matching torch.nn.Sequential (see WriteTorchState), and base+".py", the
// Python that builds that Sequential and loads the weights into it from
// beside the script (see WriteTorchScript). Each file is written
// atomically; if the second cannot be written, the first is removed, so
// that a failed export leaves neither.
func ExportTorch[T tensor.Float](base string, net *nn.Sequential[T], info Info, opts TorchOptions) error {
	weights, script := base+".safetensors", base+".py"
	var w, s bytes.Buffer
	if err := WriteTorchState(&w, net, opts); err != nil {
		return fmt.Errorf("export %s: %w", weights, err)
	}
	if err := WriteTorchScript(&s, net, info, filepath.Base(weights), opts); err != nil {
		return fmt.Errorf("export %s: %w", script, err)
	}
	if err := atomicfile.WriteBytes(weights, w.Bytes()); err != nil {
		return err
	}
	if err := atomicfile.WriteBytes(script, s.Bytes()); err != nil {
		if rerr := os.Remove(weights); rerr != nil {
			err = errors.Join(err, rerr)
		}
		return err
	}
	return nil
}

// WriteTorchState writes net's state_dict to w as a safetensors file that
// the torch.nn.Sequential of WriteTorchScript loads with load_state_dict
// in strict mode: the tensors of the kiso model file (parameters and
// buffers by state_dict name, Linear weights as PyTorch's [out, in],
// Conv2d's [out, in, kh, kw] as kiso holds them), converted to opts.DType,
// and for every BatchNorm the "num_batches_tracked" counter PyTorch keeps,
// an I64 scalar 0 (PyTorch reads it only in training without a momentum).
// The metadata is {"format": "pt"}, as safetensors' PyTorch writer gives.
//
// It returns an error, writing nothing, if net cannot be exported (see
// WriteTorchScript) or opts.DType is not F32 or F64.
func WriteTorchState[T tensor.Float](w io.Writer, net *nn.Sequential[T], opts TorchOptions) error {
	dtype, err := exportDType(opts.DType)
	if err != nil {
		return err
	}
	if _, _, err := exportPlan(net); err != nil {
		return err
	}
	var tensors []Named
	for _, s := range state(net) {
		v := s.value
		if s.transposed {
			v = transpose(v)
		}
		tensors = append(tensors, Named{Name: s.name, DType: dtype, Shape: v.Shape(), Data: encodeAs(dtype, v.Data)})
	}
	walk("", nn.Layer[T](net), func(path string, l nn.Layer[T]) {
		if x, ok := l.(nn.TorchExtraState); ok {
			for _, name := range x.TorchExtraState() {
				tensors = append(tensors, Named{Name: path + "." + name, DType: "I64", Data: make([]byte, 8)})
			}
		}
	})
	return WriteSafetensors(w, tensors, map[string]string{"format": "pt"})
}
