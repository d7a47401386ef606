#!/bin/sh
# Stands in for train_network.py in tests: checks the dataset it was given, prints Kohya-style progress, writes a LoRA
# and a checkpoint. Asked for 101 steps, it fails as a GPU that runs out of memory would. Usage: fake-trainer.sh <datasetDir> <outputDir> <steps> <triggerWord>
set -e
dataset="$1"; output="$2"; steps="$3"; trigger="$4"
ls "$dataset"/*.jpg > /dev/null
if [ "$steps" = "101" ]; then echo "steps: 1/101"; echo "CUDA out of memory" >&2; exit 3; fi
grep -q "$trigger" "$dataset"/*.txt
for i in 1 2 3 4; do
  echo "steps: $((i * steps / 4))/$steps loss=0.0$i"
  sleep 0.3
done
printf 'checkpoint for %s' "$trigger" > "$output/lora-step00000500.safetensors"
printf 'lora for %s, %s steps' "$trigger" "$steps" > "$output/lora.safetensors"
