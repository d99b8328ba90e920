package model

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/kiso-go/kiso/internal/atomicfile"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// The "__metadata__" entries of a kiso model file. Format and Version
// identify it; the others hold JSON or a dtype.
const (
	Format  = "kiso"
	Version = "1"

	keyFormat       = "format"
	keyVersion      = "version"
	keyArchitecture = "architecture" // nn.Spec as JSON
	keyTraining     = "training"     // Info as JSON
	keyDType        = "dtype"        // "F32" or "F64", the tensors' dtype
)

// MaxLayers is the largest number of layers LoadReader builds: far more
// than any network kiso trains (the book's deepest has 21), and a bound on
// what a hostile architecture can make it allocate (a Dropout layer costs a
// 2.5 KB generator).
const MaxLayers = 10_000

// StateSlack is how many parameter and buffer values LoadReader lets an
// architecture ask for beyond those the file holds (2²⁰: 8 MB in float64)
// before it builds the network: past it, the file is refused at once, as a
// hostile file that would make it allocate far more than its own size;
// below it, building the network and comparing it with the file's tensors
// names the first tensor that differs.
const StateSlack = 1 << 20

// Loaded is a model read from a file.
type Loaded[T tensor.Float] struct {
	// Net is the network, built from Spec and filled with the file's
	// parameters and buffers.
	Net  *nn.Sequential[T]
	Spec nn.Spec
	Info Info
	// DType is the dtype of the file's tensors, "F32" or "F64"; Net holds
	// them converted to T.
	DType string
}

// Save writes net, its architecture and info to path as a kiso model
// file, atomically: a failed save leaves any existing file untouched. See
// SaveWriter for the contents and errors.
func Save[T tensor.Float](path string, net *nn.Sequential[T], info Info) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		if err := SaveWriter(bw, net, info); err != nil {
			return fmt.Errorf("save %s: %w", path, err)
		}
		if err := bw.Flush(); err != nil {
			return fmt.Errorf("save %s: %w", path, err)
		}
		return nil
	})
}

// SaveWriter writes net as a kiso model file to w: a safetensors file whose
// tensors are net's parameters and buffers under their state_dict names
// ("0.weight", "1.running_mean"), of dtype F32 or F64 as T, Linear weights
// transposed to PyTorch's [out, in]; its metadata holds format "kiso",
// version "1", the architecture (nn.SpecOf(net) as JSON: the spec net was
// built from, or its layers' own), training (info as JSON) and the dtype.
//
// It returns an error, writing nothing, if a layer of net cannot describe
// itself (nn.SpecOf names it) or its architecture is not valid.
func SaveWriter[T tensor.Float](w io.Writer, net *nn.Sequential[T], info Info) error {
	spec, err := nn.SpecOf(net)
	if err != nil {
		return err
	}
	if _, err := spec.Validate(nil); err != nil {
		return fmt.Errorf("bad architecture: %w", err)
	}
	arch, err := marshalJSON(spec)
	if err != nil {
		return err
	}
	training, err := marshalJSON(info)
	if err != nil {
		return fmt.Errorf("training info: %w", err) // a NaN or Inf
	}
	return WriteSafetensors(w, encodeState(net), map[string]string{
		keyFormat:       Format,
		keyVersion:      Version,
		keyArchitecture: string(arch),
		keyTraining:     string(training),
		keyDType:        DType[T](),
	})
}

// Load reads the kiso model file at path and rebuilds its network as
// *nn.Sequential[T], converting the file's dtype to T if they differ. See
// LoadReader for what is checked; errors start with "load <path>: ".
func Load[T tensor.Float](path string) (*Loaded[T], error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, unwrapPath(err))
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, unwrapPath(err))
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("load %s: it is a folder", path)
	}
	m, err := LoadReader[T](bufio.NewReader(f), fi.Size())
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	return m, nil
}

// LoadReader reads a kiso model file of size bytes from r. It needs no Go
// code describing the model: it checks the file as ReadSafetensors does,
// then that its metadata says format "kiso", version "1" and dtype F32 or
// F64, and that every tensor has that dtype; builds the network from the
// architecture with nn.Build (Dropout layers seeded from rng.NewNumpy(0));
// and fills every parameter and buffer from the tensor of the same name,
// which must have the shape the architecture gives it. A missing tensor or
// one that the architecture does not have is an error, and so is a value
// that is NaN or infinite (or, loaded as float32, beyond float32's range),
// named with its tensor. Before building, it
// refuses an architecture of more than MaxLayers layers, or one whose
// parameters and buffers would far outnumber the file's values, so that a
// hostile file cannot make it allocate much more than its own size; and
// nn.Build refuses an architecture past nn's limits (nn.MaxSize,
// nn.MaxParams, nn.MaxActivations), such as a convolution padded so widely
// that its first input would fill memory.
func LoadReader[T tensor.Float](r io.Reader, size int64) (*Loaded[T], error) {
	// A file that does not start as a safetensors file does (a text file,
	// an image) is named as such, rather than by the header length its
	// first bytes would make.
	start := make([]byte, min(size, 9))
	if _, err := io.ReadFull(r, start); err == nil && len(start) == 9 {
		if n := binary.LittleEndian.Uint64(start); n > MaxHeader || start[8] != '{' {
			return nil, fmt.Errorf("not a kiso model file: it starts with %q, not with the length of a safetensors header and its JSON", start[:8])
		}
	}
	r = io.MultiReader(bytes.NewReader(start), r)
	f, err := ReadSafetensors(r, size)
	if err != nil {
		return nil, err
	}
	h, err := parseMetadata(f.Metadata)
	if err != nil {
		return nil, fmt.Errorf("not a kiso model file: %w", err)
	}
	values := 0
	for _, t := range f.Tensors {
		if t.DType != h.DType {
			return nil, fmt.Errorf("tensor %q is %s but the file's dtype is %s", t.Name, t.DType, h.DType)
		}
		values += len(t.Data) / DTypeSize(t.DType)
	}
	if err := checkFinite(f.Tensors, DType[T]() == "F32"); err != nil {
		return nil, err
	}
	// Refuse to build a network far larger than the file before building
	// it; below StateSlack, Build and restore find and name the difference.
	chain, err := h.Spec.Chain()
	if err != nil {
		return nil, fmt.Errorf("bad architecture: %w", err)
	}
	if len(chain.Layers) > MaxLayers {
		return nil, fmt.Errorf("the architecture has %d layers, more than the limit of %d", len(chain.Layers), MaxLayers)
	}
	if n, ok := h.Spec.StateSize(); !ok {
		return nil, errors.New("the architecture's size overflows")
	} else if n > max(values, StateSlack) {
		return nil, fmt.Errorf("the architecture has %d parameter and buffer values but the file holds %d", n, values)
	}
	m := &Loaded[T]{Spec: h.Spec, Info: h.Info, DType: h.DType}
	if m.Net, err = nn.Build[T](m.Spec, nn.Normal(0), rng.NewNumpy(0)); err != nil {
		return nil, fmt.Errorf("bad architecture: %w", err)
	}
	if err := restore(m.Net, f.Tensors, true); err != nil {
		return nil, err
	}
	return m, nil
}

// header is what a kiso file's metadata holds.
type header struct {
	Spec  nn.Spec
	Info  Info
	DType string
}

// parseMetadata checks a kiso file's metadata and decodes it.
func parseMetadata(meta map[string]string) (*header, error) {
	if meta == nil {
		return nil, errors.New("no __metadata__ (a plain safetensors file?)")
	}
	if f := meta[keyFormat]; f != Format {
		return nil, fmt.Errorf("format %q, want %q", f, Format)
	}
	if v := meta[keyVersion]; v != Version {
		return nil, fmt.Errorf("version %q, this kiso reads version %s", v, Version)
	}
	m := &header{DType: meta[keyDType]}
	if m.DType != "F32" && m.DType != "F64" {
		return nil, fmt.Errorf("dtype %q, want F32 or F64", m.DType)
	}
	arch, ok := meta[keyArchitecture]
	if !ok {
		return nil, errors.New("no architecture")
	}
	dec := json.NewDecoder(strings.NewReader(arch))
	dec.DisallowUnknownFields() // a misspelt field would silently change the network
	if err := dec.Decode(&m.Spec); err != nil {
		return nil, fmt.Errorf("architecture: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("architecture: data after the JSON object")
	}
	if training, ok := meta[keyTraining]; ok {
		if err := json.Unmarshal([]byte(training), &m.Info); err != nil {
			return nil, fmt.Errorf("training info: %w", err)
		}
	}
	return m, nil
}

// unwrapPath drops the path from an *fs.PathError: messages name the path
// once, themselves.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
