package playground

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/optim"
)

// Config is everything that defines a playground run: the data, the
// network and how it learns. The page keeps it in its URL, so that a link
// reproduces a run; the same Config (seed included) gives the same bits.
//
// Its JSON form uses the tags below; DecodeConfig fills the fields a
// document leaves out from DefaultConfig.
type Config struct {
	// Problem is "classification" (the default: points of classes, a
	// softmax output and cross-entropy) or "regression" (points carrying
	// a real value, one linear output and the mean squared error), as the
	// TensorFlow Playground has.
	Problem string `json:"problem"`
	// Data names the data set: for regression one of RegressionSets;
	// for classification "xor4" (the tutorial's four XOR cases),
	// one of data.ToyNames ("circle", "xor", "gauss", "spiral"), or
	// "custom" (the points in Custom, added by clicking or from a CSV
	// file).
	Data string `json:"data"`
	// Points is the number of points a toy set draws, train and test
	// together, from 10 to Limits.MaxPoints; other sets ignore it.
	Points int `json:"points"`
	// Noise is the toy sets' noise fraction, in [0, 1] (the page's slider
	// stops at 0.5, as the TensorFlow Playground's does).
	Noise float64 `json:"noise"`
	// TestRatio is the fraction of a toy set's points held out for testing,
	// in [0, 0.9]. "xor4" trains on its four cases and has no test set;
	// "custom" points carry their own Test flags.
	TestRatio float64 `json:"test_ratio"`
	// Seed seeds the data, the initial weights and the batch order, each
	// from its own generator, so adding a point changes neither the
	// weights nor the batches drawn from the points that were there. It is
	// in [0, 4294967295].
	Seed int64 `json:"seed"`
	// Custom holds the points of the "custom" set (at most
	// Limits.MaxPoints); it is ignored otherwise.
	Custom []Point `json:"custom,omitempty"`
	// View is the square [View[0], View[1]]² the page draws and the
	// heatmaps cover, in data units. Zero means the data set's own:
	// [-0.5, 1.5] for "xor4", [-6, 6] (the TensorFlow Playground's) for
	// the rest.
	View [2]float64 `json:"view,omitzero"`

	// Features are the network's inputs, computed from each point's
	// coordinates: one to all of FeatureNames, each once ("x1" and "x2" by
	// default; "x1sq" and "x2sq" let a network without hidden layers
	// learn the circle).
	Features []string `json:"features"`
	// Layers are the hidden layers, input side first (at most
	// Limits.MaxLayers, each of 1 to Limits.MaxNeurons neurons). None
	// at all gives softmax regression, which cannot learn XOR.
	Layers []Layer `json:"layers"`
	// Init names the weight initializer as nn.ParseInit reads it:
	// "xavier", "he" or a standard deviation such as "0.1".
	Init string `json:"init"`

	// Optimizer is one of optim.Names; LR its learning rate, in (0, 10].
	Optimizer string  `json:"optimizer"`
	LR        float64 `json:"lr"`
	// Batch is the number of training points per step, at least 1 (a
	// batch larger than the training set takes all of it).
	Batch int `json:"batch"`
	// Reg is "none", "l1" or "l2"; RegRate its coefficient λ in [0, 10].
	// L2 adds ½λ‖W‖² to the loss (the optimizer's weight decay), L1 adds
	// λ‖W‖₁ (λ·sign(w) added to each weight's gradient); biases are
	// never regularized.
	Reg     string  `json:"reg"`
	RegRate float64 `json:"reg_rate"`
	// Grad is how gradients are taken: "backprop" or "numerical" (central
	// differences, two evaluations of the loss per parameter: the
	// tutorial's lesson in why networks learn by backpropagation).
	Grad string `json:"grad"`
	// Speed is the number of training steps per update of the page, 0 to
	// MaxSpeed; 0 means as many as the server's time budget allows.
	Speed int `json:"speed"`
	// Draws is how the run draws its random numbers: "kiso" (the
	// default: the data, the weights and the batches each from their own
	// generator, see newRand) or "tutorial", as the tutorial's Python and
	// kiso xor draw them: the initial weights, W1 then W2 row by row, from
	// np.random.seed(Seed), and each step's cases, one by one with
	// replacement, by random.randrange after random.seed(Seed). With the
	// tutorial's settings (TutorialConfig) a run then follows kiso xor
	// step for step.
	Draws string `json:"draws"`
}

// Layer is one hidden layer: Neurons units followed by the activation
// named by Activation (as nn.ParseFunc reads it).
type Layer struct {
	Neurons    int    `json:"neurons"`
	Activation string `json:"activation"`
}

// Point is one labelled point of a data set: its coordinates, its class
// index (0 to Limits.MaxClasses-1), whether it is held out for testing,
// and in a regression its value.
type Point struct {
	X     float64 `json:"x"`
	Y     float64 `json:"y"`
	Label int     `json:"label"`
	Test  bool    `json:"test,omitempty"`
	// Value is the point's value in a regression (Config.Problem); its
	// Label is then 1 where Value is positive.
	Value float64 `json:"value,omitempty"`
}

// Limits caps what one server accepts, so that no request can make it run
// out of memory or time. Every cap is reported in the error that enforces
// it.
type Limits struct {
	// MaxSessions is the number of sessions held at once.
	MaxSessions int `json:"max_sessions"`
	// MaxLayers and MaxNeurons cap the hidden layers and their width.
	MaxLayers  int `json:"max_layers"`
	MaxNeurons int `json:"max_neurons"`
	// MaxPoints caps the points of a data set; MaxClasses its classes.
	MaxPoints  int `json:"max_points"`
	MaxClasses int `json:"max_classes"`
	// MaxBody caps the size in bytes of a JSON or CSV request body;
	// MaxModelBody that of an uploaded .kiso file.
	MaxBody      int64 `json:"max_body"`
	MaxModelBody int64 `json:"max_model_body"`
	// MaxUploads caps the uploads (POST /api/model and /api/csv) read and
	// parsed at once; past it a new upload is answered 503 with a
	// Retry-After of UploadRetryAfter seconds, before its body is read.
	// Each costs memory in proportion to its body: 100 model uploads of
	// 4 MB at once once held 3 GB.
	MaxUploads int `json:"max_uploads"`
}

// DefaultLimits are the caps of kiso serve: the TensorFlow Playground's 6
// hidden layers of 8 neurons, 2000 points, 8 classes, 200 sessions, and 4
// uploads being read at once.
var DefaultLimits = Limits{
	MaxSessions:  200,
	MaxLayers:    6,
	MaxNeurons:   8,
	MaxPoints:    2000,
	MaxClasses:   8,
	MaxBody:      1 << 20,
	MaxModelBody: 4 << 20,
	MaxUploads:   4,
}

// Ranges of the numeric settings.
const (
	MaxLR       = 10
	MaxRegRate  = 10
	MaxTest     = 0.9
	MaxSpeed    = 1000
	maxSeed     = math.MaxUint32
	maxViewSpan = 1e6
	// MaxInitStd caps a fixed standard deviation of the initial weights
	// (Config.Init as a number): at 10 a tanh layer is already saturated.
	MaxInitStd = 10
	minPoints  = 10
)

// DefaultConfig returns the configuration a newcomer sees: the noisy XOR
// set, two tanh layers of four neurons, Adam at 0.03, batches of 10 and
// 10 steps per update, so that XOR is learned in a few seconds.
func DefaultConfig() Config {
	return Config{
		Problem:   "classification",
		Data:      "xor",
		Points:    200,
		Noise:     0,
		TestRatio: 0.5,
		Seed:      1,
		Features:  []string{"x1", "x2"},
		Layers:    []Layer{{4, "tanh"}, {4, "tanh"}},
		Init:      "xavier",
		Optimizer: "adam",
		LR:        0.03,
		Batch:     10,
		Reg:       "none",
		Grad:      "backprop",
		Speed:     10,
		Draws:     "kiso",
	}
}

// TutorialConfig returns the tutorial's network, the playground's preset
// "the tutorial's network": the four XOR points, one hidden layer of two
// sigmoid units (the output is a softmax, as always here), weights from
// N(0, 0.1²), zero biases, SGD at 0.1 on one case a step, the numerical
// gradient, seed 0, and the tutorial's random draws. Its steps are those
// of kiso xor (same weights and losses, to the bit, for the same seed);
// 50 steps an update play the tutorial's 30000 steps in about 20 seconds.
func TutorialConfig() Config {
	c := DefaultConfig()
	c.Data, c.Seed, c.TestRatio = "xor4", 0, 0
	c.Layers = []Layer{{2, "sigmoid"}}
	c.Init, c.Optimizer, c.LR, c.Batch = "0.1", "sgd", 0.1, 1
	c.Grad, c.Speed, c.Draws = "numerical", 50, "tutorial"
	return c
}

// DecodeConfig reads one JSON object from r into a copy of DefaultConfig
// and validates it against lim. Unknown fields, trailing data, malformed
// JSON and out-of-range settings are errors whose message names the field.
func DecodeConfig(r io.Reader, lim Limits) (Config, error) {
	c := DefaultConfig()
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return Config{}, jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Config{}, errors.New("invalid JSON: data after the configuration object")
	}
	if err := c.Validate(lim); err != nil {
		return Config{}, err
	}
	return c, nil
}

// jsonError rewords an encoding/json error for a user.
func jsonError(err error) error {
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &te):
		return fmt.Errorf("invalid JSON: %s must be a %s, got %s", fieldName(te), te.Type, te.Value)
	case errors.Is(err, io.EOF):
		return errors.New("invalid JSON: empty body")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("invalid JSON: the document ends early")
	}
	return fmt.Errorf("invalid JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
}

func fieldName(te *json.UnmarshalTypeError) string {
	if te.Field == "" {
		return "the configuration"
	}
	return te.Field
}

// Validate returns an error naming the first setting of c that is unknown
// or out of range under lim.
func (c *Config) Validate(lim Limits) error {
	if err := c.validateData(lim); err != nil {
		return err
	}
	if err := c.validateNet(lim); err != nil {
		return err
	}
	return c.validateTraining()
}

// isFinite reports whether x is neither infinite nor NaN.
func isFinite(x float64) bool { return !math.IsInf(x, 0) && !math.IsNaN(x) }

func (c *Config) validateData(lim Limits) error {
	switch {
	case c.Problem != "classification" && c.Problem != "regression":
		return fmt.Errorf("problem %q: want classification or regression", c.Problem)
	case c.Problem == "regression" && !slices.Contains(RegressionSets, c.Data):
		return fmt.Errorf("data %q: a regression takes %s", c.Data, strings.Join(RegressionSets, " or "))
	case c.Problem == "regression" && (c.Points < minPoints || c.Points > lim.MaxPoints):
		return fmt.Errorf("points %d: must be between %d and %d", c.Points, minPoints, lim.MaxPoints)
	case c.Problem == "classification" && slices.Contains(RegressionSets, c.Data):
		return fmt.Errorf("data %q is a regression set: choose problem regression", c.Data)
	case c.Problem == "classification" && c.Data != "xor4" && c.Data != "custom" && !slices.Contains(data.ToyNames(), c.Data):
		return fmt.Errorf("data %q: want xor4, %s or custom", c.Data, strings.Join(data.ToyNames(), ", "))
	case slices.Contains(data.ToyNames(), c.Data) && (c.Points < minPoints || c.Points > lim.MaxPoints):
		return fmt.Errorf("points %d: must be between %d and %d", c.Points, minPoints, lim.MaxPoints)
	case !(c.Noise >= 0 && c.Noise <= 1):
		return fmt.Errorf("noise %v: must be between 0 and 1", c.Noise)
	case !(c.TestRatio >= 0 && c.TestRatio <= MaxTest):
		return fmt.Errorf("test_ratio %v: must be between 0 and %v", c.TestRatio, MaxTest)
	case c.Seed < 0 || c.Seed > maxSeed:
		return fmt.Errorf("seed %d: must be between 0 and %d", c.Seed, int64(maxSeed))
	case c.View != [2]float64{} && !(isFinite(c.View[0]) && isFinite(c.View[1]) &&
		c.View[0] < c.View[1] && math.Abs(c.View[0]) <= maxViewSpan && math.Abs(c.View[1]) <= maxViewSpan):
		return fmt.Errorf("view %v: want two finite numbers lo < hi within ±%g", c.View, maxViewSpan)
	case len(c.Custom) > lim.MaxPoints:
		return fmt.Errorf("custom: %d points, at most %d allowed", len(c.Custom), lim.MaxPoints)
	}
	if c.Data != "custom" {
		c.Custom = nil
		return nil
	}
	for i, p := range c.Custom {
		switch {
		case !isFinite(p.X) || !isFinite(p.Y) || math.Abs(p.X) > maxViewSpan || math.Abs(p.Y) > maxViewSpan:
			return fmt.Errorf("custom point %d: coordinates (%v, %v) must be finite and within ±%g", i, p.X, p.Y, maxViewSpan)
		case p.Label < 0 || p.Label >= lim.MaxClasses:
			return fmt.Errorf("custom point %d: label %d must be between 0 and %d", i, p.Label, lim.MaxClasses-1)
		}
	}
	return nil
}

func (c *Config) validateNet(lim Limits) error {
	if err := validateFeatures(c.Features); err != nil {
		return err
	}
	if len(c.Layers) > lim.MaxLayers {
		return fmt.Errorf("layers: %d hidden layers, at most %d allowed", len(c.Layers), lim.MaxLayers)
	}
	for i, l := range c.Layers {
		if l.Neurons < 1 || l.Neurons > lim.MaxNeurons {
			return fmt.Errorf("layer %d: %d neurons, must be between 1 and %d", i+1, l.Neurons, lim.MaxNeurons)
		}
		if _, err := nn.ParseFunc(l.Activation); err != nil {
			return fmt.Errorf("layer %d: %w", i+1, err)
		}
	}
	init, err := nn.ParseInit(c.Init)
	if err != nil {
		return fmt.Errorf("init: %w", err)
	}
	if std := init.Std(1); std > MaxInitStd { // a fixed std is the same for every fan-in
		return fmt.Errorf("init %q: a standard deviation must be between 0 and %v", c.Init, MaxInitStd)
	}
	return nil
}

func (c *Config) validateTraining() error {
	if !slices.Contains(optim.Names(), c.Optimizer) {
		return fmt.Errorf("optimizer %q: want one of %s", c.Optimizer, strings.Join(optim.Names(), ", "))
	}
	switch {
	case !(c.LR > 0 && c.LR <= MaxLR):
		return fmt.Errorf("lr %v: must be greater than 0 and at most %v", c.LR, MaxLR)
	case c.Batch < 1:
		return fmt.Errorf("batch %d: must be at least 1", c.Batch)
	case c.Reg != "none" && c.Reg != "l1" && c.Reg != "l2":
		return fmt.Errorf("reg %q: want none, l1 or l2", c.Reg)
	case !(c.RegRate >= 0 && c.RegRate <= MaxRegRate):
		return fmt.Errorf("reg_rate %v: must be between 0 and %v", c.RegRate, MaxRegRate)
	case c.Grad != "backprop" && c.Grad != "numerical":
		return fmt.Errorf("grad %q: want backprop or numerical", c.Grad)
	case c.Speed < 0 || c.Speed > MaxSpeed:
		return fmt.Errorf("speed %d: must be between 0 (as fast as allowed) and %d steps per update", c.Speed, MaxSpeed)
	case c.Draws != "kiso" && c.Draws != "tutorial":
		return fmt.Errorf("draws %q: want kiso or tutorial", c.Draws)
	}
	return nil
}

// view returns the square the page draws, [lo, hi]² in data units.
func (c *Config) view() (lo, hi float64) {
	switch {
	case c.View != [2]float64{}:
		return c.View[0], c.View[1]
	case c.Data == "xor4":
		return -0.5, 1.5
	}
	return -6, 6
}

// classes returns the number of classes: 2 for the built-in sets, and for
// custom points the largest label plus one, at least 2.
func (c *Config) classes() int {
	if c.Problem == "regression" {
		return 1 // one output, the value
	}
	k := 2
	for _, p := range c.Custom {
		k = max(k, p.Label+1)
	}
	return k
}

// sameModel reports whether c and d describe the same data and network
// from the same seed, so that switching from one to the other needs no
// reset: only the way of training differs.
func (c *Config) sameModel(d *Config) bool {
	a, b := *c, *d
	a.Optimizer, a.LR, a.Batch, a.Reg, a.RegRate, a.Grad, a.Speed = "", 0, 0, "", 0, "", 0
	b.Optimizer, b.LR, b.Batch, b.Reg, b.RegRate, b.Grad, b.Speed = "", 0, 0, "", 0, "", 0
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}
