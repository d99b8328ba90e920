package playground

import (
	"encoding/json"
	"math"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"
)

// waitSessions waits until pg holds n sessions.
func waitSessions(t *testing.T, pg *Server, n int, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for pg.Sessions() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d sessions after %v, want %d", pg.Sessions(), within, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// endReason reads events until the stream's "end" event and returns its
// reason.
func endReason(t *testing.T, s *stream) string {
	t.Helper()
	for {
		ev, ok := s.next(t, 5*time.Second)
		if !ok {
			t.Fatal("the stream closed without an end event")
		}
		if ev.name == "end" {
			var r struct{ Reason string }
			json.Unmarshal(ev.data, &r)
			return r.Reason
		}
	}
}

func TestSessionEndsWhenPageCloses(t *testing.T) {
	pg, srv := testServer(t, Options{DetachGrace: 100 * time.Millisecond})
	id := create(t, srv.URL, nil)
	s := openStream(t, srv.URL, id)
	s.frame(t)
	control(t, srv.URL, id, Control{Action: "play"})
	time.Sleep(300 * time.Millisecond) // longer than the grace: the open stream keeps it
	if pg.Sessions() != 1 {
		t.Fatal("the session ended while its page was open")
	}
	s.close()
	waitSessions(t, pg, 0, 2*time.Second)
	if n := pg.playing.Load(); n != 0 {
		t.Errorf("%d sessions counted as playing after the last ended", n)
	}
	if code, _ := post(t, srv.URL+"/api/session/"+id+"/control", Control{Action: "play"}); code != http.StatusNotFound {
		t.Errorf("control of an ended session: %d, want 404", code)
	}
}

func TestSessionReconnects(t *testing.T) {
	pg, srv := testServer(t, Options{DetachGrace: 500 * time.Millisecond})
	id := create(t, srv.URL, map[string]any{"data": "xor4"})
	control(t, srv.URL, id, Control{Action: "step", Steps: 3})
	s := openStream(t, srv.URL, id)
	s.frame(t)
	s.close()
	time.Sleep(100 * time.Millisecond)
	s = openStream(t, srv.URL, id) // as EventSource does after a dropped connection
	f := s.frame(t)
	if f.Step != 3 || !f.HistoryReset || f.Config == nil || f.Points == nil {
		t.Errorf("first frame after reconnecting: step %d, full %v", f.Step, f.HistoryReset && f.Config != nil && f.Points != nil)
	}
	if pg.Sessions() != 1 {
		t.Errorf("%d sessions", pg.Sessions())
	}
}

func TestSessionNeverOpenedEnds(t *testing.T) {
	pg, srv := testServer(t, Options{DetachGrace: 50 * time.Millisecond})
	create(t, srv.URL, nil)
	waitSessions(t, pg, 0, 2*time.Second)
}

func TestSessionIdleTimeout(t *testing.T) {
	pg, srv := testServer(t, Options{IdleTimeout: 200 * time.Millisecond})
	id := create(t, srv.URL, nil)
	s := openStream(t, srv.URL, id)
	control(t, srv.URL, id, Control{Action: "play"})
	start := time.Now()
	reason := endReason(t, s)
	if !strings.Contains(reason, "idle") || time.Since(start) < 150*time.Millisecond {
		t.Errorf("ended after %v: %q; want an idle timeout after 200ms", time.Since(start), reason)
	}
	waitSessions(t, pg, 0, time.Second)
}

func TestSessionClose(t *testing.T) {
	pg, srv := testServer(t, Options{})
	id := create(t, srv.URL, nil)
	s := openStream(t, srv.URL, id)
	code, _ := do(t, http.MethodPost, srv.URL+"/api/session/"+id+"/close", "text/plain", nil)
	if code != http.StatusNoContent {
		t.Errorf("close: %d", code)
	}
	if r := endReason(t, s); !strings.Contains(r, "closed") {
		t.Errorf("end reason %q", r)
	}
	if pg.Sessions() != 0 {
		t.Errorf("%d sessions after close", pg.Sessions())
	}
	if code, _ := do(t, http.MethodDelete, srv.URL+"/api/session/"+id, "", nil); code != http.StatusNotFound {
		t.Errorf("closing twice: %d, want 404", code)
	}
}

// TestServerClose checks that Close ends every session, its goroutine and
// its stream, and refuses new sessions.
func TestServerClose(t *testing.T) {
	before := runtime.NumGoroutine()
	pg, srv := testServer(t, Options{})
	var streams []*stream
	for range 5 {
		id := create(t, srv.URL, nil)
		control(t, srv.URL, id, Control{Action: "play"})
		streams = append(streams, openStream(t, srv.URL, id))
	}
	pg.Close()
	for _, s := range streams {
		if r := endReason(t, s); !strings.Contains(r, "shutting down") {
			t.Errorf("end reason %q", r)
		}
	}
	if pg.Sessions() != 0 || pg.playing.Load() != 0 {
		t.Errorf("%d sessions, %d playing after Close", pg.Sessions(), pg.playing.Load())
	}
	code, body := post(t, srv.URL+"/api/session", map[string]any{})
	if code != http.StatusServiceUnavailable {
		t.Errorf("new session after Close: %d %s", code, body)
	}
	for _, s := range streams {
		s.close()
	}
	srv.Close()
	http.DefaultClient.CloseIdleConnections()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before+2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before+2 {
		t.Errorf("%d goroutines after Close, %d before: a session leaked", n, before)
	}
}

// TestBudgetShared checks that the training time per tick shrinks as
// more sessions play, stays within its bounds, and that the sessions
// together stay within trainShare of the cores unless each is at the floor.
func TestBudgetShared(t *testing.T) {
	tick := 40 * time.Millisecond
	pg := New(Options{Tick: tick})
	defer pg.Close()
	share := time.Duration(float64(tick) * trainShare * float64(runtime.GOMAXPROCS(0)))
	prev := time.Duration(1 << 62)
	for _, n := range []int64{1, 2, 3, 10, 100, 1000, 100000} {
		pg.playing.Store(n)
		b := pg.budget()
		switch {
		case b < minBudget || b > maxBudget:
			t.Errorf("%d playing: budget %v outside [%v, %v]", n, b, minBudget, maxBudget)
		case b > prev:
			t.Errorf("%d playing: budget %v grew from %v", n, b, prev)
		case b > minBudget && time.Duration(n)*b > share+time.Duration(n):
			t.Errorf("%d playing × %v exceeds the share %v", n, b, share)
		}
		prev = b
	}
	pg.playing.Store(0)
}

// TestSpeedAndDegrade checks that a tick takes Speed steps, and fewer when
// the session has fallen behind.
func TestSpeedAndDegrade(t *testing.T) {
	pg, srv := testServer(t, Options{})
	id := create(t, srv.URL, map[string]any{"data": "xor4", "speed": 6})
	ss := pg.get(id)
	for _, tt := range []struct {
		degrade float64
		want    int
	}{{1, 6}, {2, 3}, {4, 1}, {16, 1}} {
		var got int
		ss.do(t.Context(), func(st *state) error {
			st.degrade = tt.degrade
			before := st.l.steps
			st.trainFor(time.Hour)
			got = st.l.steps - before
			st.degrade = 1
			return nil
		})
		if got != tt.want {
			t.Errorf("degrade %v: %d steps in a tick, want %d", tt.degrade, got, tt.want)
		}
	}
}

// TestAdapt checks that a session degrades when its frames fall behind
// and recovers when they keep up.
func TestAdapt(t *testing.T) {
	st := &state{s: &session{srv: New(Options{Tick: 40 * time.Millisecond})}, degrade: 1}
	defer st.s.srv.Close()
	for _, tt := range []struct{ ups, want float64 }{
		{25, 1}, {15, 2}, {10, 4}, {22, 4}, {25, 3.2}, {25, 2.56},
	} {
		st.adapt(tt.ups)
		if math.Abs(st.degrade-tt.want) > 1e-12 {
			t.Errorf("after %v updates/s: degrade %v, want %v", tt.ups, st.degrade, tt.want)
		}
	}
	for range 100 {
		st.adapt(1)
	}
	if st.degrade != maxDegrade {
		t.Errorf("degrade %v after falling far behind, want the cap %d", st.degrade, maxDegrade)
	}
}
