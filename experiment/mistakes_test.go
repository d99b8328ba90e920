package experiment

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestMistakes(t *testing.T) {
	for _, net := range []string{"mlp", "simpleconvnet"} {
		t.Run(net, func(t *testing.T) {
			o := DefaultMistakes()
			o.Common = common(t)
			o.Net, o.Limit, o.Epochs, o.Show = net, 1000, 1, 12
			if net == "simpleconvnet" {
				o.Limit = 300
			}
			res, err := Mistakes(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			checkFiles(t, o.Out, res.Files, "history.csv", "mistakes.csv", "mistakes.png")
			t.Logf("%s: test accuracy %.3f, %d mistakes", net, res.TestAcc, len(res.Mistakes))
			if got := 1 - float64(len(res.Mistakes))/10000; got != res.TestAcc {
				t.Errorf("%d mistakes in 10000 but test accuracy %v", len(res.Mistakes), res.TestAcc)
			}
			if len(res.Mistakes) < o.Show {
				t.Fatalf("only %d mistakes; the test needs %d", len(res.Mistakes), o.Show)
			}
			for i, m := range res.Mistakes {
				if m.Label == m.Pred || m.Label < 0 || m.Label > 9 || m.Pred < 0 || m.Pred > 9 || !(m.Prob >= 0.1 && m.Prob <= 1) {
					t.Fatalf("mistake %+v", m)
				}
				if i > 0 && m.Index <= res.Mistakes[i-1].Index {
					t.Fatalf("mistakes out of test-set order at %d", i)
				}
			}
			want := gridSize(t, o.Show, 28, 28, 10, true)
			if got := decodePNG(t, filepath.Join(o.Out, "mistakes.png")); got != want {
				t.Errorf("mistakes.png is %v, want %v (%d digits in rows of 10, captioned)", got, want, o.Show)
			}
			recs := readCSV(t, filepath.Join(o.Out, "mistakes.csv"))
			if len(recs) != 1+len(res.Mistakes) || strings.Join(recs[0], ",") != "index,label,prediction,probability" {
				t.Errorf("mistakes.csv has %d rows headed %v", len(recs), recs[0])
			}
			total := 0
			for i, c := range res.Confusions {
				total += c.Count
				if i > 0 && c.Count > res.Confusions[i-1].Count {
					t.Errorf("confusions not sorted: %+v", res.Confusions)
				}
			}
			if total > len(res.Mistakes) || len(res.Confusions) == 0 {
				t.Errorf("confusions %+v count more than the %d mistakes", res.Confusions, len(res.Mistakes))
			}
		})
	}
}
