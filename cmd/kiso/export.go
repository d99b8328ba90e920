package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kiso-go/kiso/internal/atomicfile"
	"github.com/kiso-go/kiso/model"
)

func init() { extraCommands = append(extraCommands, newExportCmd) }

// exportOptions are the flags of kiso export.
type exportOptions struct {
	Model   string
	Format  string
	Out     string
	DType   string
	Softmax bool
}

func newExportCmd(stdout, stderr io.Writer) *cobra.Command {
	o := &exportOptions{}
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Export a saved model for ONNX Runtime or PyTorch",
		Long: `Export a .kiso model for inference elsewhere.

--format onnx writes an ONNX model (IR version 8, opset 13, or 17 for a
model with LayerNorm such as a GPT) with the input
"input" [batch, ...] and the output "logits"; --softmax adds the output
"probabilities". Dropout, the identity at inference, is left out.

--format torch writes OUT.safetensors, the state_dict of the matching
torch.nn.Sequential, and OUT.py, the Python that builds that Sequential and
loads it (load() in that file returns the model in evaluation mode).

Weights are exported as float32 unless --dtype float64 is given; ONNX
Runtime has no float64 kernels for Conv and LeakyRelu, so convolutional
networks run there only as float32. --out defaults to the model's name:
mnist.kiso gives mnist.onnx, or mnist.safetensors and mnist.py; a file
already there under that name is replaced only when named with --out.`,
		Example: `  kiso export --model mnist.kiso --format onnx --out mnist.onnx
  kiso export --model mnist.kiso --format onnx --softmax --out mnist.onnx
  kiso export --model mnist.kiso --format torch --out mnist_torch`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runExport(cmd.Context(), o, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Model, "model", "", "the .kiso model file")
	f.StringVar(&o.Format, "format", "onnx", "onnx or torch")
	f.StringVar(&o.Out, "out", "", "output file (onnx) or base name of the two files (torch); default from --model")
	f.StringVar(&o.DType, "dtype", "float32", "element type of the exported weights: float32 or float64")
	f.BoolVar(&o.Softmax, "softmax", false, `onnx: add the output "probabilities", the softmax of the logits`)
	return cmd
}

func runExport(ctx context.Context, o *exportOptions, stdout, stderr io.Writer) error {
	dtypes := map[string]string{"float32": "F32", "float64": "F64"}
	switch {
	case o.Model == "":
		return usagef("--model is required: a .kiso file written by kiso train")
	case o.Format != "onnx" && o.Format != "torch":
		return usagef("--format %q: want onnx or torch", o.Format)
	case dtypes[o.DType] == "":
		return usagef("--dtype %q: must be float32 or float64", o.DType)
	case o.Softmax && o.Format != "onnx":
		return usagef("--softmax applies to --format onnx; in PyTorch apply torch.softmax(logits, 1)")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	out := o.Out
	if out == "" {
		out = strings.TrimSuffix(o.Model, filepath.Ext(o.Model))
		if o.Format == "onnx" {
			out += ".onnx"
		}
	}
	files := []string{out}
	if o.Format == "torch" {
		// The files are OUT.safetensors and OUT.py: an --out naming
		// either stands for both.
		out = strings.TrimSuffix(strings.TrimSuffix(out, ".safetensors"), ".py")
		files = []string{out + ".safetensors", out + ".py"}
	}
	for _, f := range files {
		if f == o.Model {
			return usagef("--out %s would overwrite the model", f)
		}
		if err := atomicfile.CheckWritable(f); err != nil {
			return fmt.Errorf("--out: %w", err)
		}
		if _, err := os.Lstat(f); err == nil && o.Out == "" {
			return usagef("%s exists and --out was not given: name the output with --out (--out %s replaces it)", f, shellQuote(out))
		}
	}
	m, err := model.Load[float64](o.Model)
	if err != nil {
		return err
	}
	dtype := dtypes[o.DType]
	if o.Format == "torch" {
		if err := model.ExportTorch(out, m.Net, m.Info, model.TorchOptions{DType: dtype}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s (%s weights) and %s, which builds the torch.nn.Sequential and loads them\n", files[0], o.DType, files[1])
		return nil
	}
	if err := model.ExportONNX(out, m.Net, m.Info, model.ONNXOptions{DType: dtype, Softmax: o.Softmax}); err != nil {
		return err
	}
	opset, err := model.ONNXOpset(m.Net)
	if err != nil {
		return err
	}
	outputs := `"logits"`
	if o.Softmax {
		outputs += ` and "probabilities"`
	}
	fmt.Fprintf(stdout, "wrote %s (ONNX opset %d, %s): input \"input\", outputs %s\n", out, opset, o.DType, outputs)
	return nil
}
