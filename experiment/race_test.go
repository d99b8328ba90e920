//go:build race

package experiment

// raceEnabled: the race detector slows training by ten times or more; the
// slowest experiments run smaller under it, checking their files and
// shapes, and leave their statistical claims to the run without -race.
const raceEnabled = true
