package playground

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/kiso-go/kiso/model"
	"github.com/kiso-go/kiso/nn"
)

// extraConfig is the key of model.Info.Extra under which a downloaded
// model keeps the playground configuration it was trained with (JSON), and
// extraSteps the number of steps it was trained for.
const (
	extraConfig = "playground_config"
	extraSteps  = "playground_steps"
)

// modelFile returns the session's network as a kiso model file.
func (st *state) modelFile() ([]byte, error) {
	c := st.cfg
	cfgJSON, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	seed := uint64(c.Seed)
	info := model.Info{
		Dataset:      c.Data,
		Classes:      st.l.classes, // 0 (a regression) below
		Optimizer:    c.Optimizer,
		LearningRate: c.LR,
		Seed:         &seed,
		Extra:        map[string]string{extraConfig: string(cfgJSON), extraSteps: strconv.Itoa(st.l.steps)},
	}
	if c.Problem == "regression" {
		info.Classes = 0
	}
	if m := st.testM; m != nil && float64(m.Accuracy) == float64(m.Accuracy) {
		info.Accuracy = float64(m.Accuracy)
	}
	var b bytes.Buffer
	if err := model.SaveWriter(&b, st.l.net, info); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func (s *Server) handleModel(w http.ResponseWriter, r *http.Request) {
	ss := s.session(w, r)
	if ss == nil {
		return
	}
	var b []byte
	err := ss.do(r.Context(), func(st *state) error {
		var err error
		b, err = st.modelFile()
		return err
	})
	if err != nil {
		writeError(w, statusOf(err), err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Disposition", `attachment; filename="kiso-playground.kiso"`)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.Write(b)
}

// handleUpload starts a session from an uploaded model: a multipart form
// with the .kiso file in the part "model" and, optionally, the page's
// configuration (JSON) in the part "config". The data and training
// settings come from the configuration stored in the file by the
// playground, else from the part "config", else from DefaultConfig; the
// hidden layers always come from the file. The session starts paused at
// the step count stored in the file, with a fresh optimizer; its reset
// goes back to step 0 and the seed's initial weights.
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		writeError(w, http.StatusUnsupportedMediaType, errors.New("send the model as multipart/form-data with the file in the part \"model\""))
		return
	}
	done := s.startUpload(w)
	if done == nil {
		return
	}
	defer done()
	cfg, l, err := s.readModel(w, r, params["boundary"])
	if err != nil {
		writeError(w, statusOf(err), err)
		return
	}
	ss, err := s.start(cfg, l)
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, err)
		return
	}
	writeJSON(w, http.StatusCreated, Created{ID: ss.id, Config: cfg})
}

// readModel reads and parses the uploaded model of r, a multipart body
// with the given boundary.
func (s *Server) readModel(w http.ResponseWriter, r *http.Request, boundary string) (Config, *learner, error) {
	lim := s.opts.Limits
	body := s.body(w, r, lim.MaxModelBody+lim.MaxBody)
	file, base, err := readUpload(body, boundary, lim)
	if err = body.check(err); err != nil {
		return Config{}, nil, err
	}
	return fromModel(file, base, lim)
}

// readUpload reads the parts "model" (at most lim.MaxModelBody bytes) and
// "config" (a Config as JSON, validated) of a multipart body; config is
// nil if the part is missing.
func readUpload(body io.Reader, boundary string, lim Limits) (file []byte, config *Config, err error) {
	mr := multipart.NewReader(body, boundary)
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("reading the form: %w", err)
		}
		switch part.FormName() {
		case "model":
			file, err = io.ReadAll(io.LimitReader(part, lim.MaxModelBody+1))
			if err != nil {
				return nil, nil, fmt.Errorf("reading the model: %w", err)
			}
			if int64(len(file)) > lim.MaxModelBody {
				return nil, nil, &httpError{http.StatusRequestEntityTooLarge, fmt.Errorf("model file too large: at most %d bytes", lim.MaxModelBody)}
			}
		case "config":
			c, err := DecodeConfig(io.LimitReader(part, lim.MaxBody), lim)
			if err != nil {
				return nil, nil, fmt.Errorf("config: %w", err)
			}
			config = &c
		}
		part.Close()
	}
	if file == nil {
		return nil, nil, errors.New("no model file: the form has no part \"model\"")
	}
	return file, config, nil
}

// fromModel reads a kiso model file and returns the configuration and
// learner of a session continuing from it.
func fromModel(file []byte, base *Config, lim Limits) (Config, *learner, error) {
	m, err := model.LoadReader[float64](bytes.NewReader(file), int64(len(file)))
	if err != nil {
		return Config{}, nil, fmt.Errorf("the model file: %w", err)
	}
	cfg := DefaultConfig()
	if base != nil {
		cfg = *base
	}
	if s, ok := m.Info.Extra[extraConfig]; ok {
		c, err := DecodeConfig(strings.NewReader(s), lim)
		if err != nil {
			return Config{}, nil, fmt.Errorf("the model's playground configuration: %w", err)
		}
		cfg = c
	}
	layers, classes, err := playgroundLayers(m.Spec, lim, len(cfg.Features), cfg.Problem == "regression")
	if err != nil {
		return Config{}, nil, fmt.Errorf("the model cannot be shown here: %w", err)
	}
	cfg.Layers = layers
	if err := cfg.Validate(lim); err != nil {
		return Config{}, nil, err
	}
	if k := cfg.classes(); k != classes {
		return Config{}, nil, fmt.Errorf("the model has %d outputs but the data has %d classes; choose data with %d classes first", classes, k, classes)
	}
	pts, err := makePoints(&cfg)
	if err != nil {
		return Config{}, nil, err
	}
	l, err := assemble(cfg, m.Spec, m.Net, classes, pts)
	if err != nil {
		return Config{}, nil, err
	}
	if s, ok := m.Info.Extra[extraSteps]; ok {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 || n > MaxSteps {
			return Config{}, nil, fmt.Errorf("the model's step count %.40q: want a whole number from 0 to %d", s, int64(MaxSteps))
		}
		l.steps = int(n) // the step count goes on; the optimizer's state starts afresh
	}
	return cfg, l, nil
}

// playgroundLayers returns the hidden layers and the number of classes of
// a network the playground can show and train: Linear layers from inputs
// inputs (the configuration's features) to 2 or more outputs, an
// activation after each but the last, within lim.
func playgroundLayers(spec nn.Spec, lim Limits, inputs int, regression bool) ([]Layer, int, error) {
	ls := spec.Layers
	if spec.Arch != "" || len(ls) == 0 || len(ls)%2 == 0 {
		return nil, 0, errors.New("want linear layers with an activation between each two")
	}
	var layers []Layer
	in := inputs
	for i := 0; i < len(ls); i += 2 {
		lin, ok := ls[i].(nn.LinearSpec)
		if !ok {
			return nil, 0, fmt.Errorf("layer %d is %s, want linear", i, ls[i].Type())
		}
		if lin.In != in {
			return nil, 0, fmt.Errorf("layer %d has %d inputs, want %d", i, lin.In, in)
		}
		in = lin.Out
		if i+1 == len(ls) {
			break
		}
		act := ls[i+1].Type()
		if _, ok := ls[i+1].(nn.ActivationSpec); !ok {
			return nil, 0, fmt.Errorf("layer %d is %s, want an activation", i+1, act)
		}
		layers = append(layers, Layer{Neurons: lin.Out, Activation: act})
	}
	if regression {
		if in != 1 {
			return nil, 0, fmt.Errorf("%d outputs, want 1 for a regression", in)
		}
		return layers, 1, nil
	}
	if in < 2 || in > lim.MaxClasses {
		return nil, 0, fmt.Errorf("%d outputs, want 2 to %d classes", in, lim.MaxClasses)
	}
	return layers, in, nil
}
