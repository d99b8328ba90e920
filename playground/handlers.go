package playground

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/optim"
)

// routes returns the server's request multiplexer.
func (s *Server) routes() *http.ServeMux {
	m := http.NewServeMux()
	m.Handle("/", staticHandler())
	m.HandleFunc("GET /api/info", s.handleInfo)
	m.HandleFunc("POST /api/session", s.handleCreate)
	m.HandleFunc("GET /api/session/{id}/events", s.handleEvents)
	m.HandleFunc("POST /api/session/{id}/control", s.handleControl)
	m.HandleFunc("POST /api/session/{id}/config", s.handleConfig)
	m.HandleFunc("POST /api/session/{id}/points", s.handlePoints)
	m.HandleFunc("GET /api/session/{id}/history.csv", s.handleHistory)
	m.HandleFunc("GET /api/session/{id}/model.kiso", s.handleModel)
	m.HandleFunc("POST /api/session/{id}/close", s.handleClose)
	m.HandleFunc("DELETE /api/session/{id}", s.handleClose)
	m.HandleFunc("POST /api/model", s.handleUpload)
	m.HandleFunc("POST /api/csv", s.handleCSV)
	m.HandleFunc("GET /api/digits", s.handleDigitInfo)
	m.HandleFunc("POST /api/digits/predict", s.handleDigitPredict)
	m.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, fmt.Errorf("no API endpoint %s %s", r.Method, r.URL.Path))
	})
	return m
}

// Info is the answer of GET /api/info: what the page may offer.
type Info struct {
	Limits      Limits   `json:"limits"`
	Default     Config   `json:"default"`
	DataSets    []string `json:"data_sets"`
	Activations []string `json:"activations"`
	Optimizers  []string `json:"optimizers"`
	Inits       []string `json:"inits"`
	TickMillis  float64  `json:"tick_ms"`
	// Presets are configurations the page offers in one click, by name:
	// "tutorial" is TutorialConfig.
	Presets map[string]Config `json:"presets"`
	// Features are the input features a network may take (FeatureNames).
	Features []string `json:"features"`
	// RegressionSets are the data sets of a regression.
	RegressionSets []string `json:"regression_sets"`
}

func (s *Server) handleInfo(w http.ResponseWriter, r *http.Request) {
	var acts []string
	// The activations are the nn.Func values from Identity up to the first
	// whose name nn.ParseFunc does not know.
	for f := nn.Identity; ; f++ {
		if _, err := nn.ParseFunc(f.String()); err != nil {
			break
		}
		acts = append(acts, f.String())
	}
	writeJSON(w, http.StatusOK, Info{
		Limits:         s.opts.Limits,
		Default:        DefaultConfig(),
		DataSets:       append([]string{"xor4"}, data.ToyNames()...),
		Activations:    acts,
		Optimizers:     optim.Names(),
		Inits:          []string{"xavier", "he", "1", "0.1", "0.01"},
		TickMillis:     float64(s.opts.Tick) / float64(time.Millisecond),
		Presets:        map[string]Config{"tutorial": TutorialConfig()},
		Features:       FeatureNames,
		RegressionSets: RegressionSets,
	})
}

// Created is the answer of POST /api/session and POST /api/model: the new
// session's id and its configuration with every default filled in.
type Created struct {
	ID     string `json:"id"`
	Config Config `json:"config"`
}

func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request) {
	cfg, err := s.readConfig(w, r)
	if err != nil {
		writeError(w, statusOf(err), err)
		return
	}
	l, err := newLearner(cfg)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	ss, err := s.start(cfg, l)
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, err)
		return
	}
	writeJSON(w, http.StatusCreated, Created{ID: ss.id, Config: cfg})
}

// readConfig decodes and validates the configuration in r's body.
func (s *Server) readConfig(w http.ResponseWriter, r *http.Request) (Config, error) {
	if err := needJSON(r); err != nil {
		return Config{}, err
	}
	body := s.body(w, r, s.opts.Limits.MaxBody)
	cfg, err := DecodeConfig(body, s.opts.Limits)
	return cfg, body.check(err)
}

// session returns the session named by the request's path, or writes a
// 404 and returns nil.
func (s *Server) session(w http.ResponseWriter, r *http.Request) *session {
	ss := s.get(r.PathValue("id"))
	if ss == nil {
		writeError(w, http.StatusNotFound, fmt.Errorf("no session %q: it may have ended (page closed or idle); reload the page", r.PathValue("id")))
	}
	return ss
}

func (s *Server) handleControl(w http.ResponseWriter, r *http.Request) {
	ss := s.session(w, r)
	if ss == nil {
		return
	}
	var c Control
	if err := s.readJSON(w, r, &c); err != nil {
		writeError(w, statusOf(err), err)
		return
	}
	if err := c.validate(); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	// The steps of "step" are taken in slices, each a command of the
	// session, so that the session serves its other requests and frames in
	// between; they stop when the client goes away (r's context), the
	// session or the server ends (do's errEnded), or another control action
	// comes (see state.steps).
	gen, left, first := 0, 0, true
	var out any
	for first || left > 0 {
		err := ss.do(r.Context(), func(st *state) error {
			if first {
				if err := st.control(c); err != nil {
					return err
				}
				if c.Action == "step" {
					gen, left = st.controls, max(c.Steps, 1)
				}
			}
			if left > 0 {
				st.steps(&left, gen)
			}
			out = map[string]any{"step": st.l.steps, "playing": st.playing}
			return nil
		})
		if err != nil {
			writeError(w, statusOf(err), err)
			return
		}
		first = false
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleConfig(w http.ResponseWriter, r *http.Request) {
	ss := s.session(w, r)
	if ss == nil {
		return
	}
	cfg, err := s.readConfig(w, r)
	if err != nil {
		writeError(w, statusOf(err), err)
		return
	}
	s.reply(w, r, ss, func(st *state) (any, error) {
		reset, err := st.setConfig(cfg)
		return map[string]any{"reset": reset, "config": st.cfg}, err
	})
}

func (s *Server) handlePoints(w http.ResponseWriter, r *http.Request) {
	ss := s.session(w, r)
	if ss == nil {
		return
	}
	var e PointEdit
	if err := s.readJSON(w, r, &e); err != nil {
		writeError(w, statusOf(err), err)
		return
	}
	s.reply(w, r, ss, func(st *state) (any, error) {
		reset, err := st.editPoints(e)
		return map[string]any{"reset": reset, "points": len(st.l.points), "config": st.cfg}, err
	})
}

func (s *Server) handleHistory(w http.ResponseWriter, r *http.Request) {
	ss := s.session(w, r)
	if ss == nil {
		return
	}
	var b []byte
	err := ss.do(r.Context(), func(st *state) error { b = st.historyCSV(); return nil })
	if err != nil {
		writeError(w, statusOf(err), err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="kiso-history.csv"`)
	w.Write(b)
}

func (s *Server) handleClose(w http.ResponseWriter, r *http.Request) {
	ss := s.session(w, r)
	if ss == nil {
		return
	}
	err := ss.do(r.Context(), func(st *state) error {
		st.s.endReason = "the page closed it"
		return nil
	})
	if err != nil && !errors.Is(err, errEnded) {
		writeError(w, statusOf(err), err)
		return
	}
	<-ss.done
	w.WriteHeader(http.StatusNoContent)
}

// reply runs f on ss and writes its result as JSON, or its error.
func (s *Server) reply(w http.ResponseWriter, r *http.Request, ss *session, f func(st *state) (any, error)) {
	var out any
	err := ss.do(r.Context(), func(st *state) error {
		var err error
		out, err = f(st)
		return err
	})
	if err != nil {
		writeError(w, statusOf(err), err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}
