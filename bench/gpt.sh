#!/usr/bin/env bash
# gpt.sh: the training rate of kiso's GPT beside the anchor's PyTorch GPT
# (issue 15), nanoGPT's CPU configuration on Opticks, character level: each
# program run in turn N times in one session (kiso with GOMAXPROCS=2 and 1,
# PyTorch with 1 thread); prints every run, the medians (and ranges) of the
# training tokens per second (estimates excluded on both sides) and kiso's
# rate over PyTorch's. Targets: at least 1.5 with two cores, 1.0 with one.
#
# usage: bench/gpt.sh [N] [ITERS]      (N defaults to 3, ITERS to 300 steps)
# environment: PYTHON   an interpreter with torch (default /usr/bin/python3)
#              ANCHORS  the anchors folder holding text/ (default ../shared/anchors)
#              REF_BLAS a folder with OpenBLAS's libblas.so.3 for PyTorch (see
#                       compare.sh); without it Debian's torch multiplies with
#                       whatever libblas.so.3 is installed
set -euo pipefail

N=${1:-3}
ITERS=${2:-300}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ANCHORS=${ANCHORS:-$ROOT/../shared/anchors}
PYTHON=${PYTHON:-/usr/bin/python3}
ANCHOR=$ANCHORS/text/gpt_char_torch.py
[ -f "$ANCHOR" ] || { echo "gpt.sh: no $ANCHOR (set ANCHORS)" >&2; exit 1; }
TEXT=$(go env GOROOT)/src/testdata/Isaac.Newton-Opticks.txt
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
(cd "$ROOT" && go build -o "$WORK/kiso" ./cmd/kiso)
TORCH_ENV=(OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1)
[ -z "${REF_BLAS:-}" ] || TORCH_ENV+=(LD_LIBRARY_PATH="$REF_BLAS")

stats() { sort -g "$1" | awk '{v[NR]=$1} END {m = NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2; printf "%.0f (%.0f-%.0f)", m, v[1], v[NR]}'; }
median() { sort -g "$1" | awk '{v[NR]=$1} END {print NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

kiso() { # kiso PROCS: tokens/s of one run
	GOMAXPROCS=$1 "$WORK/kiso" train --model gpt --data opticks --iters "$ITERS" --eval-iters 0 --out "" --json -q |
		sed -n 's/.*"tokens_per_second": *\([0-9.e+]*\).*/\1/p'
}
torch() {
	env "${TORCH_ENV[@]}" "$PYTHON" "$ANCHOR" "$TEXT" 1 max_iters="$ITERS" eval_interval="$ITERS" eval_iters=1 full_val=0 sample_len=1 |
		sed -n 's/^RESULT.* tokens_per_s=\([0-9.]*\).*/\1/p'
}

echo "load before: $(uptime)"
: >"$WORK/k2"; : >"$WORK/k1"; : >"$WORK/t"
for i in $(seq "$N"); do
	a=$(kiso 2); b=$(kiso 1); c=$(torch)
	echo "run $i: kiso GOMAXPROCS=2 $a, GOMAXPROCS=1 $b, PyTorch 1 thread $c tokens/s"
	echo "$a" >>"$WORK/k2"; echo "$b" >>"$WORK/k1"; echo "$c" >>"$WORK/t"
done
echo "load after: $(uptime)"
echo "kiso, 2 cores:     $(stats "$WORK/k2") tokens/s"
echo "kiso, 1 core:      $(stats "$WORK/k1") tokens/s"
echo "PyTorch, 1 thread: $(stats "$WORK/t") tokens/s"
awk -v a="$(median "$WORK/k2")" -v b="$(median "$WORK/k1")" -v t="$(median "$WORK/t")" \
	'BEGIN {printf "kiso/PyTorch: %.2f with 2 cores (target 1.5), %.2f with 1 (target 1.0)\n", a/t, b/t}'
