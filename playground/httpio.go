package playground

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"strings"
	"time"
)

// readJSON decodes one JSON object from r's body into v, rejecting unknown
// fields, trailing data and bodies over the size limit.
func (s *Server) readJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if err := needJSON(r); err != nil {
		return err
	}
	bodyDeadline(w)
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, s.opts.Limits.MaxBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, terr := dec.Token(); terr != io.EOF {
			err = errors.New("invalid JSON: data after the object")
		}
	} else {
		err = jsonError(err)
	}
	return bodyError(err, s.opts.Limits.MaxBody)
}

// bodyTimeout is how long a client has to send a request body.
const bodyTimeout = 30 * time.Second

// bodyDeadline gives the client bodyTimeout from now to send the request's
// body, so that a slow sender cannot hold a handler for long. (A server
// wide ReadTimeout would also cut the event streams.)
func bodyDeadline(w http.ResponseWriter) {
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(bodyTimeout)) // not every writer has deadlines
}

// httpError is an error with its HTTP status.
type httpError struct {
	status int
	err    error
}

func (e *httpError) Error() string { return e.err.Error() }
func (e *httpError) Unwrap() error { return e.err }

// statusOf returns the HTTP status for err: its own for an httpError, 404
// for an ended session, 503 for a cancelled request, 500 for an internal
// error, 400 otherwise.
func statusOf(err error) int {
	var he *httpError
	switch {
	case errors.As(err, &he):
		return he.status
	case errors.Is(err, errEnded):
		return http.StatusNotFound
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable
	case errors.Is(err, errInternal):
		return http.StatusInternalServerError
	}
	return http.StatusBadRequest
}

// bodyError turns a body over the limit into a 413 that says the limit.
func bodyError(err error, limit int64) error {
	var mbe *http.MaxBytesError
	if err != nil && (errors.As(err, &mbe) || strings.Contains(err.Error(), "request body too large")) {
		return &httpError{http.StatusRequestEntityTooLarge, fmt.Errorf("request body too large: at most %d bytes", limit)}
	}
	return err
}

// needJSON requires a JSON content type: besides telling the client what
// is expected, it keeps other web sites' forms from posting (a JSON post
// from another origin needs a preflight this server never grants).
func needJSON(r *http.Request) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return &httpError{http.StatusUnsupportedMediaType, errors.New("the body must be JSON, with Content-Type: application/json")}
	}
	return nil
}

// writeJSON writes v as JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeError(w, http.StatusInternalServerError, errInternal)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// ErrorBody is the JSON body of every error response.
type ErrorBody struct {
	Error string `json:"error"`
}

// writeError writes err's message as JSON with the given status.
func writeError(w http.ResponseWriter, status int, err error) {
	b, _ := json.Marshal(ErrorBody{err.Error()})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// loopbackHost reports whether host (a Host header, with or without a
// port) names the loopback interface.
func loopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
