// Package plot draws kiso's figures: loss and accuracy curves, grids of
// small accuracy charts (Panels), scatter plots of search results,
// decision boundaries of 2-D classifiers, optimizer paths over contour
// lines, histograms of activations, grids of small images (filters,
// digits) and labelled heatmaps (attention weights).
//
// Every function writes one file, PNG or SVG as the path's extension says
// (.png or .svg, in any letter case), and writes it atomically: a reader
// never sees a half-written figure, and a failed write leaves an existing
// file untouched. CheckPath tells, before a long run, whether a path would
// be accepted.
//
// The package takes plain slices and functions, not kiso's tensors or
// models, so it sits below everything that trains. Options that are the
// caller's mistake (slices of different lengths, an empty range) panic with
// a message starting "plot: "; failures of the world (an unwritable folder)
// are returned as errors that name the file.
//
// Figures are drawn with gonum.org/v1/plot. Sizes are in inches; PNG files
// have Size.DPI dots per inch (100 unless set), so a 6x4 inch figure is
// 600x400 pixels.
package plot
