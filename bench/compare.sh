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
#
# The machine should be as quiet as it can be; both programs of a pair run
# in turn, so a load that comes and goes touches both alike. To add a
# comparison (MNIST MLP and CNN, once kiso trains them), write a pair of
# measure_* functions that print one number of seconds and add a line to
# the list at the end.
set -euo pipefail

N=${1:-${N:-5}}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ANCHORS=${ANCHORS:-$ROOT/../shared/anchors}
PYTHON=${PYTHON:-/usr/bin/python3}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

[ -f "$ANCHORS/seed_xor.py" ] || { echo "compare.sh: no reference programs in $ANCHORS (set ANCHORS)" >&2; exit 2; }
(cd "$ROOT" && go build -o "$WORK/kiso" ./cmd/kiso)
KISO=$WORK/kiso

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
measure_seed_xor() { rm -f "$WORK/loss_data.csv"; wall "$PYTHON" "$ANCHORS/seed_xor.py" 30000 loss_data.csv 0; }

# Training time alone, as each program reports it: backpropagation, float64.
measure_kiso_xor_backprop() { field '"train_seconds":([0-9.e+-]+)' "$KISO" xor --grad backprop --json --loss-csv "" --plot ""; }
measure_torch_xor() { field 'train_seconds=([0-9.]+)' "$PYTHON" "$ANCHORS/xor_torch.py" 30000 float64; }

# compare NAME KISO_MEASURE REFERENCE_MEASURE: N interleaved runs of each,
# then one line: medians and the ratio reference / kiso.
compare() {
	local name=$1 kiso=$2 ref=$3 k=() r=() i
	if [ -n "${ONLY:-}" ] && [[ $name != *"$ONLY"* ]]; then
		return
	fi
	for ((i = 0; i < N; i++)); do
		k+=("$($kiso)")
		r+=("$($ref)")
	done
	local km rm
	km=$(printf '%s\n' "${k[@]}" | median)
	rm=$(printf '%s\n' "${r[@]}" | median)
	printf '%-34s %12.4f s %12.4f s %10.1fx\n' "$name" "$km" "$rm" "$(awk -v a="$rm" -v b="$km" 'BEGIN {print a / b}')"
}

has_torch() { "$PYTHON" -c 'import torch' 2>/dev/null; }

echo "kiso against the references, median of $N runs each ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-34s %14s %14s %11s\n' comparison kiso reference ratio
compare "xor numerical, whole process" measure_kiso_xor measure_seed_xor
if has_torch; then
	compare "xor backprop, training (torch)" measure_kiso_xor_backprop measure_torch_xor
else
	echo "xor backprop: skipped ($PYTHON has no torch)"
fi
