package playground

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/model"
	"github.com/kiso-go/kiso/tensor"
)

// MaxDigitSide caps the side, in pixels, of a drawing sent to POST
// /api/digits/predict.
const MaxDigitSide = 512

// DigitModel is a trained classifier of 28x28 grayscale images (a model
// of kiso train on MNIST or Fashion-MNIST) that the page /digits.html runs
// on what the reader draws. It is safe for concurrent use: predictions
// take turns.
type DigitModel struct {
	mu     sync.Mutex
	m      *model.Loaded[float64]
	name   string
	labels []string
}

// NewDigitModel returns m, loaded from the file name, as a DigitModel, or
// an error if m is not a classifier of 784 inputs (shaped [784] or
// [1, 28, 28]).
func NewDigitModel(m *model.Loaded[float64], name string) (*DigitModel, error) {
	n := 1
	for _, d := range m.Spec.Input {
		n *= d
	}
	if len(m.Spec.Input) == 0 || n != data.DigitSide*data.DigitSide {
		return nil, fmt.Errorf("%s takes inputs of shape %v: the digit page needs a model of 28x28 images (kiso train --data mnist)", name, m.Spec.Input)
	}
	if m.Info.Classes < 2 {
		return nil, fmt.Errorf("%s is not a classifier: the digit page needs a model of kiso train --data mnist", name)
	}
	zero := tensor.New[float64](append([]int{1}, m.Spec.Input...)...)
	if out := m.Net.Forward(zero, false); out.Len() != m.Info.Classes {
		return nil, fmt.Errorf("%s has %d outputs but records %d classes", name, out.Len(), m.Info.Classes)
	}
	labels := m.Info.ClassNames
	if len(labels) != m.Info.Classes {
		labels = make([]string, m.Info.Classes)
		for i := range labels {
			labels[i] = strconv.Itoa(i)
		}
	}
	return &DigitModel{m: m, name: name, labels: labels}, nil
}

// DigitInfo is the answer of GET /api/digits: whether the server has a
// model for the digit page, and what it is.
type DigitInfo struct {
	Model bool `json:"model"`
	// Name is the model's file name; Dataset, Classes and Accuracy (its
	// test accuracy, 0 if not recorded) come from the file.
	Name     string   `json:"name,omitempty"`
	Dataset  string   `json:"dataset,omitempty"`
	Classes  []string `json:"classes,omitempty"`
	Accuracy float64  `json:"accuracy,omitempty"`
	// MaxSide is the largest drawing POST /api/digits/predict takes.
	MaxSide int `json:"max_side"`
}

// DigitRequest is the body of POST /api/digits/predict: a Side×Side
// drawing (Side from 28 to MaxDigitSide), Ink its pixels row by row as
// base64 bytes, 0 for the background and 255 for full ink. Raw skips
// MNIST's preparation: the drawing, which must then be 28x28, goes to the
// model as it is.
type DigitRequest struct {
	Side int    `json:"side"`
	Ink  string `json:"ink"`
	Raw  bool   `json:"raw,omitempty"`
}

// DigitPrediction is the answer of POST /api/digits/predict.
type DigitPrediction struct {
	// Probabilities holds one probability per class, Labels their names;
	// Class is the most probable.
	Probabilities []float64 `json:"probabilities"`
	Labels        []string  `json:"labels"`
	Class         int       `json:"class"`
	// Input is the 28x28 image the model saw, row by row, base64 bytes
	// (0 background, 255 ink).
	Input string `json:"input"`
	// Warnings say what makes the drawing unlike the training data
	// (data.DigitWarnings).
	Warnings []string `json:"warnings,omitempty"`
}

func (s *Server) handleDigitInfo(w http.ResponseWriter, r *http.Request) {
	info := DigitInfo{MaxSide: MaxDigitSide}
	if d := s.opts.Digits; d != nil {
		info.Model, info.Name, info.Dataset = true, d.name, d.m.Info.Dataset
		info.Classes, info.Accuracy = d.labels, d.m.Info.Accuracy
	}
	writeJSON(w, http.StatusOK, info)
}

// errNoDigitModel is the error of a prediction on a server without a model.
var errNoDigitModel = &httpError{http.StatusNotFound, errors.New("this server has no model for the digit page: start it with kiso serve --model mnist.kiso (train one with kiso train --data mnist --out mnist.kiso)")}

func (s *Server) handleDigitPredict(w http.ResponseWriter, r *http.Request) {
	d := s.opts.Digits
	if d == nil {
		writeError(w, statusOf(errNoDigitModel), errNoDigitModel)
		return
	}
	var req DigitRequest
	if err := s.readJSON(w, r, &req); err != nil {
		writeError(w, statusOf(err), err)
		return
	}
	ink, err := req.pixels()
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	p, err := d.Predict(ink, req.Side, req.Raw)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// pixels returns the request's ink as Side·Side values in [0, 1].
func (req *DigitRequest) pixels() ([]float64, error) {
	switch {
	case req.Side < data.DigitSide || req.Side > MaxDigitSide:
		return nil, fmt.Errorf("side %d: must be between %d and %d", req.Side, data.DigitSide, MaxDigitSide)
	case req.Raw && req.Side != data.DigitSide:
		return nil, fmt.Errorf("side %d: raw drawings must be %dx%d", req.Side, data.DigitSide, data.DigitSide)
	case base64.StdEncoding.DecodedLen(len(req.Ink)) > req.Side*req.Side+2:
		return nil, fmt.Errorf("ink: %d base64 characters, more than %d pixels", len(req.Ink), req.Side*req.Side)
	}
	b, err := base64.StdEncoding.DecodeString(req.Ink)
	if err != nil {
		return nil, fmt.Errorf("ink: not base64: %v", err)
	}
	if len(b) != req.Side*req.Side {
		return nil, fmt.Errorf("ink: %d pixels, want side² = %d", len(b), req.Side*req.Side)
	}
	ink := make([]float64, len(b))
	for i, v := range b {
		ink[i] = float64(v) / 255
	}
	return ink, nil
}

// Predict returns the model's probabilities for a side×side drawing, ink
// in [0, 1] (1 full ink), prepared as MNIST's digits were
// (data.PrepareDigit) unless raw is set (then side must be 28). An empty
// drawing is an error (data.ErrNoInk).
func (d *DigitModel) Predict(ink []float64, side int, raw bool) (*DigitPrediction, error) {
	img := ink
	var warn []string
	if !raw {
		var err error
		if img, err = data.PrepareDigit(ink, side, side); err != nil {
			return nil, err
		}
		warn = data.DigitWarnings(img, nil, 0, 0)
	}
	x := append([]float64(nil), img...)
	if info := d.m.Info; len(info.Mean) == len(x) && len(info.Std) == len(x) {
		for j := range x {
			x[j] = (x[j] - info.Mean[j]) / info.Std[j]
		}
	}
	d.mu.Lock()
	out := d.m.Net.Forward(tensor.FromSlice(x, append([]int{1}, d.m.Spec.Input...)...), false)
	probs := append([]float64(nil), loss.Softmax(out.Reshape(1, out.Len())).Data...)
	d.mu.Unlock()
	bytes := make([]byte, len(img))
	for i, v := range img {
		bytes[i] = byte(min(max(v, 0), 1)*255 + 0.5)
	}
	return &DigitPrediction{
		Probabilities: probs,
		Labels:        d.labels,
		Class:         tensor.ArgmaxRows(tensor.FromSlice(probs, 1, len(probs)))[0],
		Input:         base64.StdEncoding.EncodeToString(bytes),
		Warnings:      warn,
	}, nil
}
