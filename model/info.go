package model

// Info records how a model was trained, for whoever loads it later: what
// data it expects and how well it did. Every field is optional; zero values
// are left out of the file. (The shape of one input is the architecture's:
// nn.Spec.Input.)
type Info struct {
	// Dataset names the training data ("mnist", "xor", a CSV file name).
	Dataset string `json:"dataset,omitempty"`
	// Classes is the number of classes of a classifier, and ClassNames
	// their names in output order, when known.
	Classes    int      `json:"classes,omitempty"`
	ClassNames []string `json:"class_names,omitempty"`
	// Optimizer and LearningRate describe the update rule ("adam", 0.001).
	Optimizer    string  `json:"optimizer,omitempty"`
	LearningRate float64 `json:"lr,omitempty"`
	// Epochs is the number of passes over the training data.
	Epochs int `json:"epochs,omitempty"`
	// Accuracy is the final accuracy on held-out data, in [0, 1].
	Accuracy float64 `json:"accuracy,omitempty"`
	// Seed is the random seed of the run, nil if not recorded (a pointer
	// because 0 is a seed).
	Seed *uint64 `json:"seed,omitempty"`
	// Mean and Std are the per-feature standardization of CSV inputs,
	// x' = (x - Mean) / Std, to apply to new inputs before prediction.
	Mean []float64 `json:"mean,omitempty"`
	Std  []float64 `json:"std,omitempty"`
	// Split records how a toy set or CSV was divided into the training
	// and test parts, nil for a fixed split (MNIST) or when not recorded.
	Split *Split `json:"split,omitempty"`
	// Extra holds anything else, as strings.
	Extra map[string]string `json:"extra,omitempty"`
}

// Split records how a dataset was divided into training and test parts,
// so that the same parts can be drawn again (kiso eval --split): a
// permutation from rng.NewNumpy(Seed) puts round(TestFrac·n) cases in the
// test part (data.Split). For a generated toy set, Points and Noise are its
// settings (its generator is seeded with Info.Seed); both are 0 for a CSV.
type Split struct {
	TestFrac float64 `json:"test_frac"`
	Seed     uint64  `json:"seed"`
	Points   int     `json:"points,omitempty"`
	Noise    float64 `json:"noise,omitempty"`
}
