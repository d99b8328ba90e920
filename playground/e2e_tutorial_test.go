package playground

import (
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kiso-go/kiso/data"
)

// presetState is what TestBrowserTutorialPreset reads from the page.
type presetState struct {
	Frames int     `json:"frames"`
	Points int     `json:"points"`
	Step   int     `json:"step"`
	Loss   float64 `json:"loss"`
	Draws  string  `json:"draws"`
	Data   string  `json:"data"`
	Grad   string  `json:"grad"`
	Shown  string  `json:"shown"`
	Drawn  string  `json:"drawn"`
	URL    string  `json:"url"`
}

const readPreset = `(() => {
  const a = window.kisoPlayground, f = a.frame, c = a.config || {};
  return {frames: a.frames, points: a.points ? a.points.length : -1, step: f ? f.step : -1, loss: f ? f.train.loss : -1,
    draws: c.draws, data: c.data, grad: c.grad,
    shown: document.getElementById('trainLoss').textContent, drawn: document.getElementById('stepCount').textContent,
    url: location.search};
})()`

// TestBrowserTutorialPreset opens the playground on its default data,
// clicks "Start from the tutorial's network", takes three steps with the
// step button, and checks that the page shows the loss of kiso xor after
// three steps (package tutorial, seed 0), and that the link keeps the
// preset.
func TestBrowserTutorialPreset(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped with -short: starts a browser")
	}
	ctx := browser(t)
	pg := New(Options{LoopbackOnly: true})
	srv := httptest.NewServer(pg)
	defer func() { pg.Close(); srv.Close() }()

	page := pageReader[presetState]{t, ctx, readPreset, 15 * time.Second}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("heat"))); err != nil {
		t.Fatalf("opening the playground: %v", err)
	}
	page.waitFor("the first frame", func(s presetState) bool { return s.Frames > 0 })
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("tutorialPreset"))); err != nil {
		t.Fatalf("clicking the preset: %v", err)
	}
	// The page's config changes with the server's answer to the click, but
	// the frame it holds may still be the default data's (at step 0 too,
	// on a slow machine); the preset's four points come with its first
	// frame.
	st := page.waitFor("the preset", func(s presetState) bool {
		return s.Draws == "tutorial" && s.Data == "xor4" && s.Points == 4 && s.Step == 0
	})
	if st.Grad != "numerical" {
		t.Errorf("the preset's gradient is %q, want numerical", st.Grad)
	}
	net, _ := tutorialRun(t, 0, 0)
	xs := data.XOR[float64]()
	y := data.OneHot(xs.Y, xs.Classes)
	if want := round5(net.Loss(xs.X, y)); st.Loss != want {
		t.Errorf("loss at step 0: the page shows %v, kiso xor's is %v", st.Loss, want)
	}
	for i := 1; i <= 3; i++ {
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("step"))); err != nil {
			t.Fatalf("clicking step: %v", err)
		}
		st = page.waitFor("step "+strconv.Itoa(i), func(s presetState) bool { return s.Step == i })
	}
	// The page keeps a frame as it comes and writes its figures in the
	// next animation frame, so the text can lag the frame it holds: wait
	// until the step counter shows step 3 too.
	st = page.waitFor("the frame of step 3, drawn", func(s presetState) bool { return s.Step == 3 && s.Loss > 0 && s.Drawn == "3" })
	net, _ = tutorialRun(t, 0, 3)
	want := net.Loss(xs.X, y)
	if st.Loss != round5(want) {
		t.Errorf("loss after 3 steps: the page has %v, kiso xor's is %.17g", st.Loss, want)
	}
	if shown := strconv.FormatFloat(want, 'f', 3, 64); st.Shown != shown {
		t.Errorf("the page shows a training loss of %q, want %q", st.Shown, shown)
	}
	t.Logf("after 3 steps the page shows loss %s (%v); kiso xor's is %.17g; link %s", st.Shown, st.Loss, want, st.URL)
	if !strings.Contains(st.URL, "draws=tutorial") || !strings.Contains(st.URL, "grad=numerical") {
		t.Errorf("the page's link %q does not keep the preset", st.URL)
	}
}

// round5 returns x rounded to 5 significant digits, as a frame's Num.
func round5(x float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 5, 64), 64)
	return v
}
