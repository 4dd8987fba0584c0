#!/bin/bash
# The outputs of a fixed set of searches, without their timings and workers: run it in two checkouts (each built) and
# compare the folders (diff -r) to show a change of structure changes no result. Synthetic space, wasm backend, one
# worker: reinforce, random, uniform and tpe for 12 trials each, and the default one-shot search.
#   bash bench/same-outputs.sh OUT_DIR
set -e
out=$(realpath -m "$1"); mkdir -p "$out"; rm -f "$out"/*.db*
for c in reinforce random uniform tpe; do
  node dist/cli/main.js run search-spaces/synthetic.yaml --db "$out"/s.db --name $c --mode pertrial --controller $c --trials 12 --workers 1 --backend wasm --no-tui >/dev/null 2>&1
done
node dist/cli/main.js run search-spaces/synthetic.yaml --db "$out"/s.db --name oneshot --workers 1 --backend wasm --no-tui >/dev/null 2>&1
for n in reinforce random uniform tpe oneshot; do
  node dist/cli/main.js export $n --db "$out"/s.db --format csv | cut -d, -f1-7,9- | sed 's/,[0-9.]*e\?-\?[0-9]*$//' > "$out"/$n.csv
  node dist/cli/main.js show $n --db "$out"/s.db --json | node -e 'const j=JSON.parse(require("fs").readFileSync(0)); const strip=(o)=>JSON.parse(JSON.stringify(o,(k,v)=>["worker","wallSeconds","createdAt","finishedAt","startedAt","elapsedMs","seconds","heartbeatAt","pid","host","spacePath","supernetSeconds","phaseSeconds"].includes(k)?undefined:v)); console.log(JSON.stringify(strip({best:j.best,pareto:j.pareto,oneShot:j.oneShot}),null,1))' > "$out"/$n.json
done
echo done
