package playground

import (
	"encoding/json"
	"net/http"
	"time"
)

// Event-stream timing: a comment every pingEvery keeps proxies and the
// browser from timing the stream out while a session is paused, and a
// write that takes longer than writeTimeout ends the stream (the page
// reconnects).
const (
	pingEvery    = 15 * time.Second
	writeTimeout = 10 * time.Second
)

// handleEvents streams the session's frames as server-sent events: a
// "frame" event (data: a Frame as JSON) whenever something changed, and a
// final "end" event (data: {"reason": ...}) when the session ends. The
// session ends DetachGrace after its last stream closes.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	ss := s.session(w, r)
	if ss == nil {
		return
	}
	sub := &subscriber{frames: make(chan []byte, 1)}
	if !ss.attach(r.Context(), sub) {
		writeError(w, http.StatusNotFound, errEnded)
		return
	}
	defer ss.detach(sub)
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Time{}) // the stream lasts; see Server.ServeHTTP
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	send := func(parts ...[]byte) bool {
		_ = rc.SetWriteDeadline(time.Now().Add(writeTimeout)) // not every writer supports deadlines
		for _, p := range parts {
			if _, err := w.Write(p); err != nil {
				return false
			}
		}
		return rc.Flush() == nil
	}
	if !send([]byte("retry: 1000\n\n")) {
		return
	}
	ping := time.NewTicker(pingEvery)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case b, ok := <-sub.frames:
			if !ok {
				reason, _ := json.Marshal(map[string]string{"reason": ss.endReason})
				send([]byte("event: end\ndata: "), reason, []byte("\n\n"))
				return
			}
			if !send([]byte("event: frame\ndata: "), b, []byte("\n\n")) {
				return
			}
		case <-ping.C:
			if !send([]byte(": ping\n\n")) {
				return
			}
		}
	}
}
