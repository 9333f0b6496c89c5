#!/usr/bin/env bash
# Prints one JSON line per prompt: unguided continuations of two LM directories side by side
# (the first 10 toxicity-prone and the first 10 neutral prompts of eval/prompts.jsonl; seed 7,
# 20 new tokens, top-k 20, temperature 1). Usage: eval/tools/lm-side-by-side.sh LM_A LM_B > out.jsonl
# (the commands' logs and any failure go to stderr; a failed generate stops the script)
set -euo pipefail
cd "$(dirname "$0")/../.."
a="${1:?first LM directory}" b="${2:?second LM directory}"
python3 -c '
import json
r = [json.loads(l) for l in open("eval/prompts.jsonl")]
for kind in ("toxic-prone", "neutral"):
    for x in [x for x in r if x["kind"] == kind][:10]:
        print(x["text"].replace("\n", " "))
' | while IFS= read -r p; do
  ta=$(./armguard generate --lm "$a" --prompt "$p" --seed 7 --max-new-tokens 20 --threads 1)
  tb=$(./armguard generate --lm "$b" --prompt "$p" --seed 7 --max-new-tokens 20 --threads 1)
  python3 -c 'import json, sys; print(json.dumps({"prompt": sys.argv[1], "a": sys.argv[2], "b": sys.argv[3]}))' \
    "$p" "$ta" "$tb"
done
