package train

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func TestHistoryCSV(t *testing.T) {
	h := &History{Epochs: []EpochStats{
		{Epoch: 1, TrainLoss: 0.5, TrainAcc: 0.75, TestLoss: 0.25, TestAcc: 1, Seconds: 1.5, LR: 0.01},
		{Epoch: 2, TrainLoss: 0.1, TrainAcc: nan, TestLoss: nan, TestAcc: nan, Seconds: 2, LR: 1e-5},
	}}
	var b strings.Builder
	if err := h.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	want := "epoch,train_loss,train_acc,test_loss,test_acc,seconds,lr\n" +
		"1,0.5,0.75,0.25,1,1.5,0.01\n" +
		"2,0.1,,,,2,1e-05\n"
	if b.String() != want {
		t.Errorf("CSV:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestHistoryJSON(t *testing.T) {
	h := &History{
		Epochs: []EpochStats{
			{Epoch: 1, TrainLoss: 0.5, TrainAcc: nan, TestLoss: math.Inf(1), TestAcc: 0.5, Seconds: 1, LR: 0.1},
		},
		StepLosses: []float64{0.7, 0.3},
	}
	b, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"epochs":[{"epoch":1,"train_loss":0.5,"train_acc":null,"test_loss":null,"test_acc":0.5,"seconds":1,"lr":0.1}],"step_losses":[0.7,0.3]}`
	if string(b) != want {
		t.Errorf("JSON %s\nwant %s", b, want)
	}
	var back History
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	// Non-finite figures come back as NaN; the rest exactly.
	h.Epochs[0].TestLoss = nan
	if !sameHistory(&back, h) || back.Epochs[0].Seconds != 1 {
		t.Errorf("round trip gave %+v, want %+v", back, h)
	}
}
