#!/bin/sh
# Captures, on a machine with a GPU, the real outputs live mode depends on, so they can become
# fixtures and checks: the GPU tools' answers to our exact queries, and the live training step's
# own out-of-memory message at batch 64 and its run at the computed batch 32. Needs only sh,
# the vendor tools and python3 with torch; writes everything under $OUT (default ./device-out).
# Run from the repository root:  OUT=/tmp/out sh tests/device/capture.sh
set -u
OUT=${OUT:-./device-out}
mkdir -p "$OUT"
run() { # name, command...: stdout, stderr and exit status of one command, never stopping the script
  name=$1; shift
  timeout 600 "$@" >"$OUT/$name.stdout" 2>"$OUT/$name.stderr"
  echo "$name: exit $?" >>"$OUT/status.txt"
}
: >"$OUT/status.txt"
run nvidia-smi nvidia-smi --query-gpu=index,name,memory.used,memory.total,utilization.gpu,power.draw,temperature.gpu --format=csv,noheader,nounits
run amd-smi-mem amd-smi metric --mem-usage --json
run amd-smi-static amd-smi static --asic --json
run rocm-smi rocm-smi --showproductname --showmeminfo vram --showuse --json
run which-vllm sh -c 'command -v vllm && vllm --version'
run torch python3 -c 'import torch; print(torch.__version__, torch.version.cuda or torch.version.hip, torch.cuda.is_available() and torch.cuda.get_device_name(0))'
# the failing step and the fix ReplayLab computes for it (batch 32, accumulation 2)
run train-64 python3 -u scenarios/live/train_step.py --batch-size 64 --gradient-accumulation-steps 1 --card-gib 8
run train-32 python3 -u scenarios/live/train_step.py --batch-size 32 --gradient-accumulation-steps 2 --card-gib 8
cat "$OUT/status.txt"
