package train

import (
	"bufio"
	"encoding/json"
	"io"
	"math"
	"slices"
	"strconv"
)

// EpochStats is what one epoch of training measured. Losses are the mean
// loss per case as the loss function defines it; accuracies are fractions
// in [0, 1]. A figure that was not measured (accuracies for regression,
// test figures without a test set) is NaN; JSON writes it as null and
// WriteCSV as an empty field.
type EpochStats struct {
	// Epoch counts from 1.
	Epoch int
	// TrainLoss and TrainAcc are the running means over the epoch's steps,
	// or with Config.EvalTrain an evaluation of the whole training set.
	TrainLoss, TrainAcc float64
	// TestLoss and TestAcc evaluate the held-out set at the end of the
	// epoch.
	TestLoss, TestAcc float64
	// Seconds is the wall-clock time of the epoch, evaluation included.
	Seconds float64
	// LR is the learning rate of the epoch's last step.
	LR float64
}

// History is the record of a training run: one EpochStats per epoch, and
// with Config.RecordSteps the loss of every step. It encodes to JSON with
// encoding/json and to CSV with WriteCSV.
type History struct {
	Epochs []EpochStats `json:"epochs"`
	// StepLosses holds the training loss of each step, in order over all
	// epochs, when Config.RecordSteps is set.
	StepLosses []float64 `json:"step_losses,omitempty"`
}

// Last returns the stats of the last epoch recorded, or the zero
// EpochStats if there is none.
func (h *History) Last() EpochStats {
	if len(h.Epochs) == 0 {
		return EpochStats{}
	}
	return h.Epochs[len(h.Epochs)-1]
}

// Clone returns a deep copy of h.
func (h *History) Clone() *History {
	return &History{Epochs: slices.Clone(h.Epochs), StepLosses: slices.Clone(h.StepLosses)}
}

// csvHeader is the header line of WriteCSV; the JSON keys are the same.
const csvHeader = "epoch,train_loss,train_acc,test_loss,test_acc,seconds,lr\n"

// WriteCSV writes h's epochs as CSV: the header line
//
//	epoch,train_loss,train_acc,test_loss,test_acc,seconds,lr
//
// then one line per epoch, numbers in the shortest form that reads back to
// the same float64 and unmeasured (NaN) figures as empty fields.
func (h *History) WriteCSV(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(csvHeader)
	var line []byte
	for _, e := range h.Epochs {
		line = strconv.AppendInt(line[:0], int64(e.Epoch), 10)
		for _, v := range e.figures() {
			line = append(line, ',')
			if !math.IsNaN(v) {
				line = strconv.AppendFloat(line, v, 'g', -1, 64)
			}
		}
		line = append(line, '\n')
		bw.Write(line)
	}
	return bw.Flush()
}

// figures returns the measured values of e in CSV column order.
func (e *EpochStats) figures() [6]float64 {
	return [6]float64{e.TrainLoss, e.TrainAcc, e.TestLoss, e.TestAcc, e.Seconds, e.LR}
}

// epochJSON is EpochStats as JSON: non-finite values, which JSON cannot
// hold, become null.
type epochJSON struct {
	Epoch     int      `json:"epoch"`
	TrainLoss *float64 `json:"train_loss"`
	TrainAcc  *float64 `json:"train_acc"`
	TestLoss  *float64 `json:"test_loss"`
	TestAcc   *float64 `json:"test_acc"`
	Seconds   *float64 `json:"seconds"`
	LR        *float64 `json:"lr"`
}

// MarshalJSON encodes e as an object with the keys of the CSV header;
// NaN and infinite values are written as null.
func (e EpochStats) MarshalJSON() ([]byte, error) {
	finite := func(v float64) *float64 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return &v
	}
	return json.Marshal(epochJSON{
		Epoch: e.Epoch, TrainLoss: finite(e.TrainLoss), TrainAcc: finite(e.TrainAcc),
		TestLoss: finite(e.TestLoss), TestAcc: finite(e.TestAcc), Seconds: finite(e.Seconds), LR: finite(e.LR),
	})
}

// UnmarshalJSON decodes what MarshalJSON writes; null or missing values
// become NaN.
func (e *EpochStats) UnmarshalJSON(b []byte) error {
	var j epochJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	val := func(p *float64) float64 {
		if p == nil {
			return math.NaN()
		}
		return *p
	}
	*e = EpochStats{
		Epoch: j.Epoch, TrainLoss: val(j.TrainLoss), TrainAcc: val(j.TrainAcc),
		TestLoss: val(j.TestLoss), TestAcc: val(j.TestAcc), Seconds: val(j.Seconds), LR: val(j.LR),
	}
	return nil
}
