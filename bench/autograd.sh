#!/usr/bin/env bash
# autograd.sh: kiso's autograd beside PyTorch eager and DeZero (issue 14),
# each program of a comparison run in turn N times in one session; prints
# each run, the medians (and ranges) and the ratios the issue sets targets
# for, with the load (uptime) before and after.
#
#   scalar  forward and backward of a scalar graph of SCALAR_N operations
#           (default 1,000,000) on 0-dimensional tensors: kiso (GOMAXPROCS=1)
#           and PyTorch (1 thread). Target: PyTorch/kiso >= 10.
#   step51  one training epoch of DeZero's step 51 (MNIST, MLP 784-1000-10
#           sigmoid, SGD 0.01, batch 100, float32): kiso's autograd, kiso's nn
#           (hand-written layers, train.Trainer), PyTorch (1 thread), DeZero;
#           kiso with GOMAXPROCS=1, and kiso's two again with GOMAXPROCS=2
#           (the project's comparison: kiso on the machine's two cores,
#           PyTorch on one thread). Targets: autograd/nn <= 1.2,
#           autograd/PyTorch <= 0.6.
#
# usage: bench/autograd.sh [N] [scalar|step51]...   (N defaults to 3, both)
# environment: PYTHON   an interpreter with numpy and torch (default /usr/bin/python3)
#              ANCHORS  the anchors folder holding dezero/ (default ../shared/anchors)
#              MNIST_DIR the four MNIST .gz files (default ~/.cache/kiso/mnist,
#                       fetched by kiso if missing)
#              SCALAR_N the size of the scalar graph
# Debian's python3-torch uses the system's libblas.so.3; see compare.sh's
# REF_BLAS for running it with OpenBLAS.
set -euo pipefail

N=${1:-3}
shift || true
WHAT=("$@")
[ ${#WHAT[@]} -gt 0 ] || WHAT=(scalar step51)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ANCHORS=${ANCHORS:-$ROOT/../shared/anchors}
PYTHON=${PYTHON:-/usr/bin/python3}
# The references run on one thread: torch.set_num_threads(1) does not reach
# an OpenBLAS built with pthreads (Debian's libblas.so.3 when libopenblas0
# is installed), which would otherwise multiply on every core.
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
MNIST_DIR=${MNIST_DIR:-$HOME/.cache/kiso/mnist}
SCALAR_N=${SCALAR_N:-1000000}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
(cd "$ROOT" && go build -o "$WORK/autograd" ./bench/autograd)
BIN=$WORK/autograd

# field NAME LINE: the value of NAME=... in LINE.
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$2"; }

# stats FILE: "median (min-max)" of the numbers in FILE, one a line.
stats() { sort -g "$1" | awk '{v[NR]=$1} END {m = NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2; printf "%.3f (%.3f-%.3f)", m, v[1], v[NR]}'; }
median() { sort -g "$1" | awk '{v[NR]=$1} END {print NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a/b}'; }

echo "load before: $(uptime)"
for what in "${WHAT[@]}"; do
	case $what in
	scalar)
		: >"$WORK/kiso" ; : >"$WORK/torch" ; : >"$WORK/kisoc" ; : >"$WORK/torchc"
		for i in $(seq "$N"); do
			k=$(GOMAXPROCS=1 "$BIN" -n "$SCALAR_N" scalar); echo "$k"; field seconds "$k" >>"$WORK/kiso"; field cpu_seconds "$k" >>"$WORK/kisoc"
			p=$("$PYTHON" "$ROOT/bench/autograd_scalar_torch.py" "$SCALAR_N"); echo "$p"; field seconds "$p" >>"$WORK/torch"; field cpu_seconds "$p" >>"$WORK/torchc"
		done
		echo "scalar graph of $SCALAR_N operations, seconds: kiso $(stats "$WORK/kiso"), PyTorch $(stats "$WORK/torch")"
		echo "scalar graph, CPU seconds: kiso $(stats "$WORK/kisoc"), PyTorch $(stats "$WORK/torchc")"
		echo "scalar: PyTorch/kiso = $(ratio "$(median "$WORK/torch")" "$(median "$WORK/kiso")") in wall time, $(ratio "$(median "$WORK/torchc")" "$(median "$WORK/kisoc")") in CPU time (target >= 10)"
		;;
	step51)
		[ -f "$MNIST_DIR/train-images-idx3-ubyte.gz" ] || { echo "autograd.sh: no MNIST in $MNIST_DIR (set MNIST_DIR)" >&2; exit 2; }
		[ -f "$ANCHORS/dezero/dezero/__init__.py" ] || { echo "autograd.sh: no DeZero in $ANCHORS/dezero (set ANCHORS)" >&2; exit 2; }
		: >"$WORK/ag" ; : >"$WORK/nn" ; : >"$WORK/torch" ; : >"$WORK/dezero"
		: >"$WORK/agc" ; : >"$WORK/nnc" ; : >"$WORK/torchc" ; : >"$WORK/dezeroc"
		: >"$WORK/ag2" ; : >"$WORK/nn2" ; : >"$WORK/ag2c" ; : >"$WORK/nn2c"
		for i in $(seq "$N"); do
			l=$(GOMAXPROCS=1 "$BIN" -mode autograd -dir "$MNIST_DIR" step51); echo "$l"; field epoch_seconds "$l" >>"$WORK/ag"; field cpu_seconds "$l" >>"$WORK/agc"
			l=$(GOMAXPROCS=1 "$BIN" -mode nn -dir "$MNIST_DIR" step51); echo "$l"; field epoch_seconds "$l" >>"$WORK/nn"; field cpu_seconds "$l" >>"$WORK/nnc"
			l=$("$PYTHON" "$ROOT/bench/autograd_step51_torch.py" "$MNIST_DIR"); echo "$l"; field epoch_seconds "$l" >>"$WORK/torch"; field cpu_seconds "$l" >>"$WORK/torchc"
			l=$(GOMAXPROCS=2 "$BIN" -mode autograd -dir "$MNIST_DIR" step51); echo "$l"; field epoch_seconds "$l" >>"$WORK/ag2"; field cpu_seconds "$l" >>"$WORK/ag2c"
			l=$(GOMAXPROCS=2 "$BIN" -mode nn -dir "$MNIST_DIR" step51); echo "$l"; field epoch_seconds "$l" >>"$WORK/nn2"; field cpu_seconds "$l" >>"$WORK/nn2c"
			l=$("$PYTHON" "$ROOT/bench/autograd_step51_dezero.py" "$ANCHORS/dezero" "$MNIST_DIR"); echo "$l"; field epoch_seconds "$l" >>"$WORK/dezero"; field cpu_seconds "$l" >>"$WORK/dezeroc"
		done
		echo "step 51 epoch, seconds: autograd $(stats "$WORK/ag"), nn $(stats "$WORK/nn"), PyTorch $(stats "$WORK/torch"), DeZero $(stats "$WORK/dezero")"
		echo "step 51 epoch, CPU seconds: autograd $(stats "$WORK/agc"), nn $(stats "$WORK/nnc"), PyTorch $(stats "$WORK/torchc"), DeZero $(stats "$WORK/dezeroc")"
		echo "step 51 epoch with GOMAXPROCS=2, seconds: autograd $(stats "$WORK/ag2"), nn $(stats "$WORK/nn2"); CPU seconds: autograd $(stats "$WORK/ag2c"), nn $(stats "$WORK/nn2c")"
		echo "step51 with GOMAXPROCS=2 (wall time): autograd/PyTorch = $(ratio "$(median "$WORK/ag2")" "$(median "$WORK/torch")") (target <= 0.6), nn/PyTorch = $(ratio "$(median "$WORK/nn2")" "$(median "$WORK/torch")")"
		for c in "" c; do
			a=$(median "$WORK/ag$c")
			echo "step51 ($([ -z "$c" ] && echo wall || echo CPU) time): autograd/nn = $(ratio "$a" "$(median "$WORK/nn$c")") (target <= 1.2), autograd/PyTorch = $(ratio "$a" "$(median "$WORK/torch$c")") (target <= 0.6), autograd/DeZero = $(ratio "$a" "$(median "$WORK/dezero$c")")"
		done
		;;
	*) echo "autograd.sh: unknown comparison $what: want scalar or step51" >&2; exit 2 ;;
	esac
done
echo "load after: $(uptime)"
