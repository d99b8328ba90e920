//go:build race

package main

// raceEnabled: the race detector slows training ten times or more. The
// tests that train on MNIST or Fashion-MNIST for an accuracy floor (minutes
// under it on two cores) skip under it, as in -short mode: the race
// detector checks the same training code in the tests of train, nn and
// tensor, and the other command tests run the CLI paths on small data.
const raceEnabled = true
