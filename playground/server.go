package playground

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure a Server. The zero value of any field means its
// default.
type Options struct {
	// Limits caps what requests may ask for; zero fields take
	// DefaultLimits' values.
	Limits Limits
	// Tick is the interval between a playing session's updates: 33 ms by
	// default, 30 updates per second.
	Tick time.Duration
	// IdleTimeout ends a session that has received no command for this
	// long, even with its page open (30 minutes by default).
	IdleTimeout time.Duration
	// DetachGrace ends a session this long after its last event stream
	// closed (10 seconds by default), time enough for a page to reconnect.
	DetachGrace time.Duration
	// BodyTimeout is how long a client has to send a request, body
	// included, counted from when its handler starts (30 seconds by
	// default); a request still arriving then is answered and its
	// connection closed. Event streams are exempt.
	BodyTimeout time.Duration
	// LoopbackOnly rejects requests whose Host header is not a loopback
	// name (localhost, 127.0.0.1, [::1]), which keeps web pages elsewhere
	// from reaching a server on the loopback interface by DNS rebinding.
	LoopbackOnly bool
	// Digits, if set, is the model the digit page (/digits.html) runs on
	// what the reader draws (kiso serve --model); without it the page says
	// how to start the server with one.
	Digits *DigitModel
	// Logf, if set, receives the server's internal errors (panics with
	// their stacks). The package never prints.
	Logf func(format string, args ...any)
}

// Defaults of Options.
const (
	DefaultTick        = 33 * time.Millisecond
	DefaultIdleTimeout = 30 * time.Minute
	DefaultDetachGrace = 10 * time.Second
	DefaultBodyTimeout = 30 * time.Second
)

// trainShare is the fraction of the machine's cores that playing sessions
// share for training; the rest is left for frames, HTTP and other work.
const trainShare = 0.4

// heavyShare is the fraction of the cores that playing sessions share for
// the heavy part of their frames (heatmaps and evaluation), and
// maxHeavyEvery the most frames between two heavy ones (25: more than one
// a second at the default tick).
const (
	heavyShare    = 0.3
	maxHeavyEvery = 25
)

// Bounds of one session's training time per tick.
const (
	minBudget = 50 * time.Microsecond
	maxBudget = 20 * time.Millisecond
)

// Server is the playground's HTTP handler: the embedded page, its assets
// and the session API (see the package doc). Its sessions end when their
// page closes, when idle, or at Close.
type Server struct {
	opts    Options
	mux     *http.ServeMux
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	playing atomic.Int64 // sessions playing, sharing the training budget
	// uploads holds a token for each upload being read and parsed
	// (Limits.MaxUploads).
	uploads chan struct{}

	mu       sync.Mutex
	sessions map[string]*session
	closed   bool
}

// New returns a Server with the given options.
func New(opts Options) *Server {
	def := DefaultLimits
	lim := &opts.Limits
	for _, f := range []struct{ v, d *int }{
		{&lim.MaxSessions, &def.MaxSessions}, {&lim.MaxLayers, &def.MaxLayers},
		{&lim.MaxNeurons, &def.MaxNeurons}, {&lim.MaxPoints, &def.MaxPoints}, {&lim.MaxClasses, &def.MaxClasses},
		{&lim.MaxUploads, &def.MaxUploads},
	} {
		if *f.v <= 0 {
			*f.v = *f.d
		}
	}
	if lim.MaxBody <= 0 {
		lim.MaxBody = def.MaxBody
	}
	if lim.MaxModelBody <= 0 {
		lim.MaxModelBody = def.MaxModelBody
	}
	lim.MaxClasses = min(lim.MaxClasses, 256) // a class is a byte of the heatmap
	if opts.Tick <= 0 {
		opts.Tick = DefaultTick
	}
	if opts.IdleTimeout <= 0 {
		opts.IdleTimeout = DefaultIdleTimeout
	}
	if opts.DetachGrace <= 0 {
		opts.DetachGrace = DefaultDetachGrace
	}
	if opts.BodyTimeout <= 0 {
		opts.BodyTimeout = DefaultBodyTimeout
	}
	s := &Server{opts: opts, sessions: map[string]*session{}, uploads: make(chan struct{}, lim.MaxUploads)}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.mux = s.routes()
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.logf("playground: %s %s: panic: %v", r.Method, r.URL.Path, v)
			writeError(w, http.StatusInternalServerError, errInternal)
		}
	}()
	if s.opts.LoopbackOnly && !loopbackHost(r.Host) {
		writeError(w, http.StatusForbidden, fmt.Errorf("host %q: this server answers only to localhost, 127.0.0.1 and [::1]", r.Host))
		return
	}
	if changes(r.Method) {
		if err := sameOrigin(r); err != nil {
			writeError(w, statusOf(err), err)
			return
		}
	}
	// Every request, body included, must arrive within BodyTimeout, even
	// one whose handler never reads its body: the server reads what is left
	// of it after the handler. (A ReadTimeout of the http.Server would do
	// the same, but would also cut the event streams, which clear this
	// deadline.)
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(s.opts.BodyTimeout)) // not every writer has deadlines
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	// same-origin: the page's own requests carry its origin (with
	// no-referrer a beacon's Origin is "null"); other sites get nothing.
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	s.mux.ServeHTTP(w, r)
}

// Close ends every session and waits for their goroutines; the Server
// accepts no new session afterwards. Event streams still open are ended
// too; shut the http.Server down first to stop accepting requests.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.cancel()
	s.wg.Wait()
}

// Sessions returns the number of sessions held.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

// Limits returns the caps in force.
func (s *Server) Limits() Limits { return s.opts.Limits }

// errClosed is the error of a session started after Close.
var errClosed = errors.New("the server is shutting down")

// start starts a session training l (built from cfg) and returns it.
func (s *Server) start(cfg Config, l *learner) (*session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, errClosed
	}
	if len(s.sessions) >= s.opts.Limits.MaxSessions {
		return nil, fmt.Errorf("too many sessions: the limit is %d; close other playground pages or try again later", s.opts.Limits.MaxSessions)
	}
	ss := &session{
		id:          newID(),
		srv:         s,
		cmds:        make(chan command),
		subscribe:   make(chan *subscriber),
		unsubscribe: make(chan *subscriber),
		done:        make(chan struct{}),
	}
	st := newState(ss, cfg, l, time.Now())
	s.sessions[ss.id] = ss
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		ss.run(s.ctx, st)
	}()
	return ss, nil
}

// get returns the session with the given id, or nil.
func (s *Server) get(id string) *session {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions[id]
}

// remove forgets ss.
func (s *Server) remove(ss *session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sessions, ss.id)
}

// budget returns one playing session's training time per tick: its share
// of trainShare of the cores over the tick, within [minBudget, maxBudget].
func (s *Server) budget() time.Duration {
	n := max(s.playing.Load(), 1)
	b := time.Duration(float64(s.opts.Tick) * trainShare * float64(runtime.GOMAXPROCS(0)) / float64(n))
	return min(max(b, minBudget), maxBudget)
}

// heavyEvery returns every how many frames a playing session redoes the
// heavy part of its frame, which takes about cost: every frame, unless the
// playing sessions would then together spend more than heavyShare of the
// cores on it; and at least every maxHeavyEvery frames.
func (s *Server) heavyEvery(cost time.Duration) int {
	n := max(s.playing.Load(), 1)
	allowed := float64(s.opts.Tick) * heavyShare * float64(runtime.GOMAXPROCS(0)) / float64(n)
	k := int(math.Ceil(float64(cost) / allowed))
	return min(max(k, 1), maxHeavyEvery)
}

// timingEvery returns how often a playing session times its two gradient
// methods: every second, less often with more than 50 sessions playing.
func (s *Server) timingEvery() time.Duration {
	return max(time.Second, time.Duration(s.playing.Load())*20*time.Millisecond)
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Logf != nil {
		s.opts.Logf(format, args...)
	}
}

// UploadRetryAfter is the Retry-After, in seconds, of an upload refused
// because Limits.MaxUploads others are being read.
const UploadRetryAfter = 2

// startUpload takes one of the Limits.MaxUploads upload slots and returns
// the function that gives it back; if none is free it answers 503 with a
// Retry-After and returns nil.
func (s *Server) startUpload(w http.ResponseWriter) (done func()) {
	select {
	case s.uploads <- struct{}{}:
		return func() { <-s.uploads }
	default:
	}
	w.Header().Set("Retry-After", strconv.Itoa(UploadRetryAfter))
	writeError(w, http.StatusServiceUnavailable, fmt.Errorf("busy: %d uploads are being read, the most at once; try again in %d seconds", s.opts.Limits.MaxUploads, UploadRetryAfter))
	return nil
}

// newID returns a random session id of 32 hex digits: unguessable, so that
// one page cannot drive another's session.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	return hex.EncodeToString(b[:])
}
