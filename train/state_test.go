package train

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// resumable builds a trainer whose every piece of state matters to a
// resumed run: a network with its own generator (dropout) and a buffer, Adam's
// moments, a per-step schedule and per-step losses. initSeed sets the
// initial weights and the dropout generator's seed, which Restore must
// override.
func resumable[T tensor.Float](initSeed uint32) (*Trainer[T], *nn.Sequential[T], *runningMean[T]) {
	return resumableAug[T](initSeed, data.Augment{})
}

// resumableAug is resumable with the inputs (two features, taken as 1×1×2
// images) augmented as aug says.
func resumableAug[T tensor.Float](initSeed uint32, aug data.Augment) (*Trainer[T], *nn.Sequential[T], *runningMean[T]) {
	r := rng.NewNumpy(initSeed)
	l1, l2 := nn.NewLinear[T](2, 12), nn.NewLinear[T](12, 2)
	l1.Reset(nn.He, r)
	l2.Reset(nn.He, r)
	rm := &runningMean[T]{mean: tensor.New[T](12)}
	net := nn.NewSequential[T](l1, nn.NewActivation[T](nn.ReLU), newDropout[T](initSeed+100), rm, l2)
	trn := New[T](net, &loss.SoftmaxCrossEntropy[T]{}, optim.NewAdam[T](0.01, 0.9, 0.999), Config{
		Epochs: 4, BatchSize: 16, Seed: 9, RecordSteps: true,
		Schedule: optim.Cosine{Base: 0.02, Min: 0.001, Total: 30}, SchedulePerStep: true,
		Augment: aug, ImageShape: [3]int{1, 1, 2},
	})
	return trn, net, rm
}

func TestResumeBitIdentical(t *testing.T) {
	t.Run("float64", func(t *testing.T) { testResume[float64](t, data.Augment{}) })
	t.Run("float32", func(t *testing.T) { testResume[float32](t, data.Augment{}) })
	t.Run("augmented", func(t *testing.T) { testResume[float64](t, data.Augment{FlipH: true, Shift: 1}) })
}

func testResume[T tensor.Float](t *testing.T, aug data.Augment) {
	ctx := context.Background()
	tr, te := circle[T](200) // 150 training cases: 10 steps per epoch

	straight, net, rm := resumableAug[T](1, aug)
	want, err := straight.Fit(ctx, tr, te)
	if err != nil {
		t.Fatal(err)
	}
	wantParams, wantBuf := paramBits[T](net), bitsOfT(rm.mean.Data)

	for _, tc := range []struct {
		name        string
		epoch, step int // where the first run stops
		viaFile     bool
	}{
		{"epoch boundary", 2, 0, false},
		{"mid-epoch", 3, 4, true},
		{"after last step before evaluation", 2, 10, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			first, _, _ := resumableAug[T](1, aug)
			cctx, cancel := context.WithCancel(ctx)
			defer cancel()
			first.Observers = []Observer{Funcs{
				Step: func(e, s, _ int, _ float64) {
					if e == tc.epoch && s == tc.step {
						cancel()
					}
				},
				Epoch: func(h *History) error {
					if tc.step == 0 && h.Last().Epoch == tc.epoch {
						cancel()
					}
					return nil
				},
			}}
			if _, err := first.Fit(cctx, tr, te); err != context.Canceled {
				t.Fatalf("first run: %v", err)
			}
			s, err := first.Snapshot()
			if err != nil {
				t.Fatal(err)
			}
			wantEpoch := tc.epoch - 1 // epochs completed
			if tc.step == 0 {
				wantEpoch = tc.epoch
			}
			if s.Epoch != wantEpoch || s.Step != tc.step {
				t.Fatalf("stopped after epoch %d step %d, want %d and %d", s.Epoch, s.Step, wantEpoch, tc.step)
			}
			if tc.viaFile {
				path := filepath.Join(t.TempDir(), "run.state")
				if err := SaveState(path, s); err != nil {
					t.Fatal(err)
				}
				if s, err = LoadState(path); err != nil {
					t.Fatal(err)
				}
			} else {
				b, err := s.MarshalBinary()
				if err != nil {
					t.Fatal(err)
				}
				s = new(State)
				if err := s.UnmarshalBinary(b); err != nil {
					t.Fatal(err)
				}
			}

			resumed, net, rm := resumableAug[T](2, aug) // other weights and dropout seed
			if err := resumed.Restore(s); err != nil {
				t.Fatal(err)
			}
			got, err := resumed.Fit(ctx, tr, te)
			if err != nil {
				t.Fatal(err)
			}
			if !sameHistory(got, want) {
				t.Errorf("resumed history differs:\n got %+v\nwant %+v", got.Epochs, want.Epochs)
			}
			if !slices.Equal(paramBits[T](net), wantParams) || !slices.Equal(bitsOfT(rm.mean.Data), wantBuf) {
				t.Error("resumed parameters or buffers differ from the uninterrupted run's")
			}
		})
	}
}

func bitsOfT[T tensor.Float](v []T) []uint64 {
	f := make([]float64, len(v))
	for i, x := range v {
		f[i] = float64(x)
	}
	return bitsOf(f)
}

func TestRestoreMismatch(t *testing.T) {
	src, _, _ := resumable[float64](1)
	s, _ := src.Snapshot()
	for _, tc := range []struct {
		name string
		trn  func() Restorer
		edit func(s *State)
		want string
	}{
		{"dtype", func() Restorer { t, _, _ := resumable[float32](1); return t }, nil, "float64 parameters, the network is float32"},
		{"shape", func() Restorer {
			return New(mlp[float64](1, 2, 13, 2), &loss.SoftmaxCrossEntropy[float64]{}, optim.NewAdam[float64](0.1, 0.9, 0.999), Config{})
		}, nil, `parameter 0 is "0.weight" [2 12] in the state, "0.weight" [2 13]`},
		{"optimizer", func() Restorer {
			net, _, _ := resumable[float64](1)
			return New(net.Net(), net.Loss(), optim.NewSGD[float64](0.1), Config{})
		}, nil, `optimizer "adam", the trainer has "sgd"`},
		{"generators", nil, func(s *State) { s.RNGs = nil }, "0 generators, the network has 1"},
		{"history", nil, func(s *State) { s.Epoch = 1 }, "history holds 0 epochs"},
		{"buffer", nil, func(s *State) { s.Buffers[0].Shape = []int{3, 4} }, `buffer 0 is "3.running_mean" [3 4] in the state`},
	} {
		s := s
		if tc.edit != nil {
			c := *s
			c.Buffers = slices.Clone(s.Buffers)
			tc.edit(&c)
			s = &c
		}
		var dst Restorer
		var before []uint64
		if tc.trn != nil {
			dst = tc.trn()
		} else {
			trn, net, _ := resumable[float64](3)
			dst, before = trn, paramBits[float64](net)
		}
		err := dst.Restore(s)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
		if tr, ok := dst.(*Trainer[float64]); ok && before != nil && !slices.Equal(paramBits(tr.Net()), before) {
			t.Errorf("%s: a failed Restore changed the parameters", tc.name)
		}
	}
}

// Restorer is what TestRestoreMismatch needs of a Trainer of either type.
type Restorer interface{ Restore(*State) error }

func TestStateFileCorrupt(t *testing.T) {
	trn, _, _ := resumable[float64](1)
	tr, _ := circle[float64](40)
	trn.cfg.Epochs = 1
	if _, err := trn.Fit(context.Background(), tr, nil); err != nil {
		t.Fatal(err)
	}
	s, _ := trn.Snapshot()
	dir := t.TempDir()
	path := filepath.Join(dir, "good.state")
	if err := SaveState(path, s); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(path)
	flipped := slices.Clone(good)
	flipped[len(flipped)/2] ^= 0x10
	for _, tc := range []struct {
		name     string
		data     []byte
		checksum bool
		want     string
	}{
		{"flipped bit", flipped, true, "checksum mismatch"},
		{"truncated", good[:len(good)-100], true, "checksum mismatch"},
		{"not a state", []byte("hello, this is some other file altogether, long enough for a checksum"), false, "not a kiso training state"},
		{"version", append([]byte("kiso-train\x00\x07"), make([]byte, 40)...), false, "version 7"},
	} {
		p := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-"))
		if err := os.WriteFile(p, tc.data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := LoadState(p)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), p) ||
			errors.Is(err, ErrChecksum) != tc.checksum {
			t.Errorf("%s: error %v, want one naming the file and containing %q", tc.name, err, tc.want)
		}
	}
	// The intact file still loads and re-encodes to the same bytes.
	s2, err := LoadState(path)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := s2.MarshalBinary()
	if !slices.Equal(b, good) {
		t.Error("a loaded state re-encodes to other bytes")
	}
}
