package playground

import (
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// featState is what TestBrowserFeatures reads from the page.
type featState struct {
	Features []string `json:"features"`
	Inputs   []string `json:"inputs"`
	Step     int      `json:"step"`
	Acc      float64  `json:"acc"`
}

const readFeatures = `(() => {
  const a = window.kisoPlayground, f = a.frame;
  return {features: a.config ? a.config.features : [], inputs: [...document.querySelectorAll('#net .inlabel')].map((e) => e.textContent),
    step: f ? f.step : -1, acc: f && f.test ? f.test.accuracy : -1};
})()`

// TestBrowserFeatures opens the circle with no hidden layer, swaps the
// input features x₁, x₂ for x₁², x₂² with their buttons, and checks that
// the network's inputs follow and that it then learns the circle (at
// least 95% test accuracy), which it cannot from the coordinates.
func TestBrowserFeatures(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped with -short: starts a browser")
	}
	ctx := browser(t)
	pg := New(Options{LoopbackOnly: true})
	srv := httptest.NewServer(pg)
	defer func() { pg.Close(); srv.Close() }()
	page := pageReader[featState]{t, ctx, readFeatures, 20 * time.Second}
	url := srv.URL + "/?data=circle&n=200&test=0.5&seed=1&layers=&feat=x1,x2&opt=adam&lr=0.03&batch=10&speed=20"
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.ID("heat"))); err != nil {
		t.Fatalf("opening %s: %v", url, err)
	}
	page.waitFor("the first frame", func(s featState) bool { return s.Step == 0 && len(s.Inputs) == 2 })
	for i, name := range []string{"x1sq", "x2sq", "x1", "x2"} {
		if err := chromedp.Do(ctx, chromedp.Click(`#features button[data-name="`+name+`"]`)); err != nil {
			t.Fatalf("clicking %s: %v", name, err)
		}
		on := i < 2 // the squares are switched on, the coordinates off
		page.waitFor("the answer to "+name, func(s featState) bool { return slices.Contains(s.Features, name) == on })
	}
	st := page.waitFor("the squares as inputs", func(s featState) bool {
		return strings.Join(s.Features, ",") == "x1sq,x2sq" && strings.Join(s.Inputs, ",") == "x₁²,x₂²"
	})
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("play"))); err != nil {
		t.Fatal(err)
	}
	st = page.waitFor("the circle learned", func(s featState) bool { return s.Acc >= 0.95 })
	t.Logf("inputs %v: test accuracy %.3f at step %d", st.Inputs, st.Acc, st.Step)
}

// TestBrowserRegression opens the regression of the plane with no hidden
// layer and checks what the reader sees: only the regression sets offered,
// no accuracy, and the test loss falling below 0.001 as the network fits
// the plane.
func TestBrowserRegression(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped with -short: starts a browser")
	}
	ctx := browser(t)
	pg := New(Options{LoopbackOnly: true})
	srv := httptest.NewServer(pg)
	defer func() { pg.Close(); srv.Close() }()
	type regState struct {
		Shown    []string `json:"shown"`
		Loss     float64  `json:"loss"`
		Acc      string   `json:"acc"`
		Step     int      `json:"step"`
		OutLabel string   `json:"out_label"`
	}
	const read = `(() => {
  const f = window.kisoPlayground.frame;
  return {shown: [...document.querySelectorAll('#datasets .dataset')].filter((b) => b.style.display !== 'none').map((b) => b.dataset.name),
    loss: f && f.test ? f.test.loss : -1, acc: document.getElementById('testAcc').textContent, step: f ? f.step : -1,
    out_label: (document.querySelector('#net .outlabel') || {}).textContent || ''};
})()`
	url := srv.URL + "/?problem=regression&data=plane&n=200&test=0.5&seed=1&layers=&opt=adam&lr=0.03&batch=10&speed=20&play=1"
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.ID("heat"))); err != nil {
		t.Fatalf("opening %s: %v", url, err)
	}
	deadline := time.Now().Add(20 * time.Second)
	var st regState
	for {
		var err error
		if st, err = chromedp.Run(ctx, chromedp.Evaluate[regState](read)); err != nil {
			t.Fatal(err)
		}
		// The network's drawing (its output label) follows the frame
		// that carries the loss: on a loaded machine it can come a
		// moment later.
		if st.Step > 0 && st.Loss >= 0 && st.Loss < 0.001 && st.OutLabel != "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for the plane to be fitted and drawn: %+v", st)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if strings.Join(st.Shown, ",") != "plane,waves" || st.Acc != "–" || st.OutLabel != "value" {
		t.Errorf("data sets offered %v, test accuracy %q, output %q; want plane and waves, –, value", st.Shown, st.Acc, st.OutLabel)
	}
	t.Logf("the plane fitted: test loss %.3g at step %d", st.Loss, st.Step)
}
