#!/usr/bin/env bash
# compare.sh: kiso against the reference programs of the anchors folder,
# side by side in one session, each pair interleaved N times; prints the
# median of each and their ratio.
#
# usage: bench/compare.sh [N]          (N defaults to 5)
# environment: ANCHORS  the reference programs (default ../shared/anchors
#                       beside the repository)
#              PYTHON   an interpreter with numpy and torch (default /usr/bin/python3)
#              ONLY     run only the comparisons whose name contains this
#              MNIST_DIR  the four MNIST .gz files (default ~/.cache/kiso/mnist);
#                       the MNIST comparisons are skipped without them
#              REF_BLAS a folder holding an optimized libblas.so.3 (OpenBLAS) for
#                       the reference programs, which then run with it on
#                       LD_LIBRARY_PATH and OPENBLAS_NUM_THREADS=1. Debian's
#                       python3-torch and python3-numpy use whatever
#                       libblas.so.3 is installed; with only the reference
#                       BLAS (torch.__config__.show() says BLAS_INFO=generic,
#                       about 6 GFLOP/s) their matrix products are 10-15x
#                       slower than the figures in the anchors' README. To get
#                       OpenBLAS without touching the system:
#                         apt-get download libopenblas0-pthread
#                         dpkg -x libopenblas0-pthread_*.deb /tmp/oblas
#                         REF_BLAS=/tmp/oblas/usr/lib/x86_64-linux-gnu/openblas-pthread
#
# The machine should be as quiet as it can be; both programs of a pair run
# in turn, so a load that comes and goes touches both alike. To add a
# comparison, write a pair of measure_* functions that print one number
# (seconds, or microseconds for latencies) and add a line to the list at the
# end. The MNIST comparisons time what the reference programs time: the
# training loop alone (bench/mnist), and run kiso with GOMAXPROCS=1 and 2;
# PyTorch runs with 1 thread, its best on these 2-core machines.
set -euo pipefail

N=${1:-${N:-5}}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ANCHORS=${ANCHORS:-$ROOT/../shared/anchors}
PYTHON=${PYTHON:-/usr/bin/python3}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

[ -f "$ANCHORS/seed_xor.py" ] || { echo "compare.sh: no reference programs in $ANCHORS (set ANCHORS)" >&2; exit 2; }
(cd "$ROOT" && go build -o "$WORK/kiso" ./cmd/kiso)
(cd "$ROOT" && go build -o "$WORK/mnist" ./bench/mnist)
KISO=$WORK/kiso
MNIST=$WORK/mnist
if [ -n "${REF_BLAS:-}" ]; then
	[ -f "$REF_BLAS/libblas.so.3" ] || { echo "compare.sh: no libblas.so.3 in REF_BLAS=$REF_BLAS" >&2; exit 2; }
	PYTHON_ENV=(env "LD_LIBRARY_PATH=$REF_BLAS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1)
else
	# One thread even when the system's libblas.so.3 is a pthreads OpenBLAS,
	# which torch.set_num_threads(1) does not reach.
	PYTHON_ENV=(env OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1)
fi
PYTHON=("${PYTHON_ENV[@]}" "$PYTHON")
MNIST_DIR=${MNIST_DIR:-$HOME/.cache/kiso/mnist}

# wall CMD...: the wall-clock seconds CMD takes, run in $WORK (its output
# files land there).
wall() {
	local t0 t1
	t0=$(date +%s%N)
	(cd "$WORK" && "$@" >/dev/null 2>"$WORK/stderr") || { cat "$WORK/stderr" >&2; return 1; }
	t1=$(date +%s%N)
	awk -v ns=$((t1 - t0)) 'BEGIN {printf "%.6f\n", ns / 1e9}'
}

# field REGEX CMD...: the number that REGEX's first group captures in CMD's
# output (stdout and stderr).
field() {
	local re=$1
	shift
	(cd "$WORK" && "$@" 2>&1) | sed -nE "s/.*$re.*/\1/p" | head -1
}

median() { sort -g | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# The measurements: each prints seconds.

# kiso xor with its defaults (numerical gradient, 30000 steps, loss CSV and
# PNG plot), the whole process.
measure_kiso_xor() { wall "$KISO" xor; }
# The tutorial's program, 30000 steps with its CSV (which it appends to:
# start each run from none).
measure_seed_xor() { rm -f "$WORK/loss_data.csv"; wall "${PYTHON[@]}" "$ANCHORS/seed_xor.py" 30000 loss_data.csv 0; }

# Training time alone, as each program reports it: backpropagation, float64.
measure_kiso_xor_backprop() { field '"train_seconds":([0-9.e+-]+)' "$KISO" xor --grad backprop --json --loss-csv "" --plot ""; }
measure_torch_xor() { field 'train_seconds=([0-9.]+)' "${PYTHON[@]}" "$ANCHORS/xor_torch.py" 30000 float64; }

# MNIST MLP 784-50-10, batch 100, SGD lr 0.1, one epoch of 600 steps,
# float32: training seconds. kiso's GOMAXPROCS comes from the environment
# (see procs).
measure_kiso_mlp() { field 'train_seconds=([0-9.]+)' "$MNIST" -dir "$MNIST_DIR" mlp; }
measure_torch_mlp() { field 'sec_per_epoch=([0-9.]+)' "${PYTHON[@]}" "$ANCHORS/mnist_mlp_torch.py" "$MNIST_DIR" 1 50 100 0.1 float32 1; }
measure_numpy_mlp() { field 'sec_per_epoch=([0-9.]+)' "${PYTHON[@]}" "$ANCHORS/mnist_mlp_numpy.py" "$MNIST_DIR" 1 50 100 0.1; }
# SimpleConvNet, Adam, batch 100: seconds per 600 training steps.
measure_kiso_cnn() { field 'sec_per_600_iters=([0-9.]+)' "$MNIST" -dir "$MNIST_DIR" cnn; }
measure_torch_cnn() { field 'sec_per_600_iters=([0-9.]+)' "${PYTHON[@]}" "$ANCHORS/mnist_cnn_torch.py" "$MNIST_DIR" 1 1 600; }
# Single-sample forward pass of the MLP: median microseconds, timed in
# runs of 100 passes over test images, as bench/mnist does.
measure_kiso_infer() { field 'us_per_sample=([0-9.]+)' "$MNIST" -dir "$MNIST_DIR" infer; }
measure_torch_infer() {
	(cd "$ANCHORS" && "${PYTHON[@]}" - "$MNIST_DIR" <<-'PY'
	import sys, time, statistics, torch, mnist_idx
	torch.set_num_threads(1); torch.manual_seed(0)
	_, _, xte, _ = mnist_idx.load(sys.argv[1])
	x = torch.tensor(xte, dtype=torch.float32) / 255
	m = torch.nn.Sequential(torch.nn.Linear(784, 50), torch.nn.ReLU(), torch.nn.Linear(50, 10))
	ts = []
	with torch.no_grad():
	    for i in range(0, 20000, 100):
	        t0 = time.perf_counter()
	        for j in range(i, i + 100):
	            m(x[j % len(x)].unsqueeze(0))
	        ts.append((time.perf_counter() - t0) / 100)
	print('us_per_sample=%.3f' % (statistics.median(ts) * 1e6))
	PY
	) | sed -nE 's/.*us_per_sample=([0-9.]+).*/\1/p'
}

# DeepConvNet, Adam, batch 100: seconds per 600 training steps, from
# DEEP_STEPS steps (default 30: a step takes about a tenth of a second on
# one core, 600 of them a minute); and one forward pass of the 10,000 test
# images in batches of 100 (PyTorch under no_grad). The PyTorch program is
# bench/deepconvnet_torch.py (the anchors have none); it imports the
# anchors' mnist_idx.
DEEP_STEPS=${DEEP_STEPS:-30}
measure_kiso_deep() { field 'sec_per_600_iters=([0-9.]+)' "$MNIST" -dir "$MNIST_DIR" -steps "$DEEP_STEPS" deep; }
measure_torch_deep() { field 'sec_per_600_iters=([0-9.]+)' env PYTHONPATH="$ANCHORS" "${PYTHON[@]}" "$ROOT/bench/deepconvnet_torch.py" "$MNIST_DIR" train "$DEEP_STEPS" 1; }
measure_kiso_deepinfer() { field 'infer_seconds=([0-9.]+)' "$MNIST" -dir "$MNIST_DIR" deepinfer; }
measure_torch_deepinfer() { field 'infer_seconds=([0-9.]+)' env PYTHONPATH="$ANCHORS" "${PYTHON[@]}" "$ROOT/bench/deepconvnet_torch.py" "$MNIST_DIR" infer 1; }

# procs P MEASURE: MEASURE with GOMAXPROCS=P.
procs() { GOMAXPROCS=$1 "${@:2}"; }
procs1() { procs 1 "$@"; }
procs2() { procs 2 "$@"; }

# compare NAME KISO_MEASURE REFERENCE_MEASURE [UNIT]: N interleaved runs of
# each, then one line: medians and the ratio reference / kiso (above 1:
# kiso is faster).
compare() {
	local name=$1 kiso=$2 ref=$3 unit=${4:-s} k=() r=() i
	if [ -n "${ONLY:-}" ] && [[ $name != *"$ONLY"* ]]; then
		return
	fi
	for ((i = 0; i < N; i++)); do
		k+=("$(eval "$kiso")")
		r+=("$(eval "$ref")")
	done
	local km rm
	km=$(printf '%s\n' "${k[@]}" | median)
	rm=$(printf '%s\n' "${r[@]}" | median)
	printf '%-40s %12.4f %-2s %12.4f %-2s %9.2fx\n' "$name" "$km" "$unit" "$rm" "$unit" "$(awk -v a="$rm" -v b="$km" 'BEGIN {print a / b}')"
}

has_torch() { "${PYTHON[@]}" -c 'import torch' 2>/dev/null; }

echo "kiso against the references, median of $N runs each${REF_BLAS:+ (references with BLAS from $REF_BLAS)} ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-40s %15s %15s %10s\n' comparison kiso reference ratio
compare "xor numerical, whole process" measure_kiso_xor measure_seed_xor
if has_torch; then
	compare "xor backprop, training (torch)" measure_kiso_xor_backprop measure_torch_xor
else
	echo "xor backprop: skipped (${PYTHON[*]} has no torch)"
fi
if has_torch && [ -f "$MNIST_DIR/train-images-idx3-ubyte.gz" ]; then
	for p in 1 2; do
		compare "mnist mlp epoch f32, torch (P=$p)" "procs$p measure_kiso_mlp" measure_torch_mlp
		compare "mnist mlp epoch f32, numpy (P=$p)" "procs$p measure_kiso_mlp" measure_numpy_mlp
		compare "mnist cnn 600 steps, torch (P=$p)" "procs$p measure_kiso_cnn" measure_torch_cnn
		compare "mnist mlp 1-sample latency (P=$p)" "procs$p measure_kiso_infer" measure_torch_infer us
		compare "mnist deepcnn 600 steps, torch (P=$p)" "procs$p measure_kiso_deep" measure_torch_deep
		compare "mnist deepcnn 10000 inferences (P=$p)" "procs$p measure_kiso_deepinfer" measure_torch_deepinfer
	done
	[[ -n "${ONLY:-}" && "mnist accuracy" != *"$ONLY"* ]] || echo "test accuracy after training: kiso mlp $(field 'test_acc=([0-9.]+)' "$MNIST" -dir "$MNIST_DIR" mlp)," \
		"numpy $(field 'test_acc=([0-9.]+)' "${PYTHON[@]}" "$ANCHORS/mnist_mlp_numpy.py" "$MNIST_DIR" 1 50 100 0.1)," \
		"torch $(field 'test_acc=([0-9.]+)' "${PYTHON[@]}" "$ANCHORS/mnist_mlp_torch.py" "$MNIST_DIR" 1 50 100 0.1 float32 1);" \
		"kiso cnn $(field 'test_acc=([0-9.]+)' "$MNIST" -dir "$MNIST_DIR" cnn), torch cnn $(field 'test_acc=([0-9.]+)' "${PYTHON[@]}" "$ANCHORS/mnist_cnn_torch.py" "$MNIST_DIR" 1 1 600)"
else
	echo "mnist: skipped (no torch in ${PYTHON[*]} or no MNIST files in $MNIST_DIR)"
fi
