#!/usr/bin/env bash
# Mutation testing (docs/architecture.md, Development): mutmut 3, a dev tool installed by hand
# (`.venv/bin/pip install mutmut`), over the modules named in pyproject's [tool.mutmut], with the
# fast core tests listed there. One module at a time, two workers; prints killed / survived.
#   scripts/mutation.sh                    # all eight modules (about half an hour)
#   scripts/mutation.sh optimizers images  # some of them
# `.venv/bin/mutmut show <name>` shows a survivor's diff; mutants/ is the scratch copy.
# mutmut's "timeout" is sometimes load noise: to see what a mutant really does, run its tests
#   cd mutants && MUTANT_UNDER_TEST=<name> ../.venv/bin/python -m pytest -q tests/core/test_<module>.py
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
MUTMUT="$(dirname "$PY")/mutmut"
export MNIST_DIR="${MNIST_DIR:-$(cd .. && pwd)/shared/data/mnist}"
modules=("$@")
[ ${#modules[@]} -gt 0 ] || modules=(optimizers finetune images evaluation inspect mydigits history run)
for m in "${modules[@]}"; do
    "$MUTMUT" run --max-children 2 "core.$m.*" >/dev/null 2>&1 || { echo "mutmut failed on core/$m.py" >&2; exit 1; }
done
for m in "${modules[@]}"; do
    echo "core/$m.py: $("$MUTMUT" results --all true 2>/dev/null | grep "core\.$m\." \
        | awk -F': ' '{print $2}' | sort | uniq -c | awk '{printf "%s %s  ", $1, $2" "$3}')"
    "$MUTMUT" results 2>/dev/null | grep "core\.$m\." || true
done
