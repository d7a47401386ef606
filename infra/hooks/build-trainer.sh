#!/bin/sh
# azd postprovision hook: builds trainer/Dockerfile with ACR Tasks (no local Docker needed), records the image in
# the azd environment so the next `azd provision` keeps it, and points the lora-trainer job at it.
set -eu

if [ "${PERSONAS_SKIP_TRAINER_BUILD:-false}" = "true" ]; then
  echo "build-trainer: PERSONAS_SKIP_TRAINER_BUILD=true; the lora-trainer job keeps its current image." >&2
  exit 0
fi

if [ ! -f trainer/Dockerfile ]; then
  echo "build-trainer: trainer/Dockerfile not found; the lora-trainer job keeps its current image." >&2
  exit 0
fi

: "${AZURE_CONTAINER_REGISTRY_NAME:?run through azd: the registry name comes from the provision outputs}"
: "${AZURE_CONTAINER_REGISTRY_ENDPOINT:?}"
: "${AZURE_RESOURCE_GROUP:?}"
: "${PERSONAS_TRAINER_JOB_NAME:?}"

tag="$(date -u +%Y%m%d%H%M%S)"
image="${AZURE_CONTAINER_REGISTRY_ENDPOINT}/lora-trainer:${tag}"

az acr build --registry "$AZURE_CONTAINER_REGISTRY_NAME" --image "lora-trainer:${tag}" --file trainer/Dockerfile trainer
azd env set PERSONAS_TRAINER_IMAGE "$image"
az containerapp job update --name "$PERSONAS_TRAINER_JOB_NAME" --resource-group "$AZURE_RESOURCE_GROUP" \
  --image "$image" --output none
echo "build-trainer: lora-trainer now runs $image"
