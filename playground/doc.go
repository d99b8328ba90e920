// Package playground serves the kiso playground: a page where a network
// learns in front of you, trained live in Go on the server.
//
// A [Server] is an http.Handler. It serves the page, embedded in the binary
// (plain HTML, CSS and JavaScript modules under web/, nothing fetched from
// elsewhere), and a JSON API. Each page has a session: a goroutine that owns
// a network (a Sequential of Linear and activation layers with a softmax
// output), its data, its optimizer and its history, trains it while
// playing, and streams a [Frame] to the page as server-sent events about
// 30 times a second (Options.Tick).
//
//	GET  /api/info                        limits, defaults and names the page offers (Info)
//	POST /api/session                     a Config as JSON → 201 Created{id, config}
//	GET  /api/session/{id}/events         the event stream: "frame" events (Frame), a final "end"
//	POST /api/session/{id}/control        Control{action: play|pause|step|reset}
//	POST /api/session/{id}/config         a Config: applied live, or a restart if the data or network changed
//	POST /api/session/{id}/points         PointEdit{action: add|remove|clear}
//	GET  /api/session/{id}/model.kiso     the network as a kiso model file
//	GET  /api/session/{id}/history.csv    step, train and test loss and accuracy
//	POST /api/session/{id}/close          end the session (DELETE /api/session/{id} too)
//	POST /api/model                       a form with a .kiso file → a new session from it
//	POST /api/csv                         a CSV table of x, y, label → points (CSVPoints)
//	GET  /api/digits                      the digit page's model, if any (DigitInfo)
//	POST /api/digits/predict              a drawing (DigitRequest) → the model's probabilities (DigitPrediction)
//
// The digit page, /digits.html, lets the reader draw a digit and shows
// what a trained MNIST model (Options.Digits, kiso serve --model) reads,
// as they draw: the drawing is prepared as MNIST's digits were
// (data.PrepareDigit) and the probabilities come back with the 28x28
// image the model saw.
//
// Requests that change something (every method but GET and HEAD) are taken
// only from the server's own page or from clients that are not browsers:
// one whose Origin (or, without it, Sec-Fetch-Site or Referer) names
// another origin, another port of the same host included, gets a 403
// before its body is read, so that other web sites cannot start sessions
// or upload files. Bodies must have their content type (application/json,
// text/csv, multipart/form-data for a model) and arrive within
// Options.BodyTimeout.
//
// Every request is checked: bodies are capped (Limits.MaxBody), JSON must
// be well formed with known fields only, every setting in range; a bad
// request gets a 4xx status and {"error": "..."} naming the problem. A
// panic in a handler or a session becomes a 500 or a stopped session, never
// a crash. Sessions end when their page closes (Options.DetachGrace after
// the last event stream closed), after Options.IdleTimeout without a
// command, or at [Server.Close]; at most Limits.MaxSessions are held.
//
// Training is throttled so that many sessions share the machine fairly:
// each tick a playing session takes at most Config.Speed steps, within its
// share of 40% of the cores; with many sessions playing, each also redoes
// its heatmaps less often; and a session whose frames fall behind (the
// machine busy with other work) trains and redraws less until they keep up
// again. Every page keeps its full update rate; the training slows first.
//
// The same Config, seed included, gives the same run bit for bit: the data,
// the initial weights and the batch order each come from their own
// generator seeded from Config.Seed.
package playground
