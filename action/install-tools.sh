#!/usr/bin/env bash
# Installs kind, kubectl and (for Cilium or Istio) Helm at the versions the action's inputs pin, into
# $RUNNER_TOOL_CACHE/netseg-bin (added to PATH); tools already present at that version are kept.
set -euo pipefail
bin="${RUNNER_TOOL_CACHE:-$HOME/.cache}/netseg-bin"
mkdir -p "$bin"
echo "$bin" >> "${GITHUB_PATH:-/dev/null}"
export PATH="$bin:$PATH"
arch=$(uname -m); case "$arch" in x86_64) arch=amd64 ;; aarch64|arm64) arch=arm64 ;; esac

kind_version="$NETSEG_INPUT_KIND_VERSION"
if ! kind version 2>/dev/null | grep -q "kind $kind_version "; then
  curl -fsSLo "$bin/kind" "https://kind.sigs.k8s.io/dl/$kind_version/kind-linux-$arch"
  chmod +x "$bin/kind"
fi
kubectl_version="$NETSEG_INPUT_KUBECTL_VERSION"
if ! kubectl version --client 2>/dev/null | grep -q "Client Version: $kubectl_version\$"; then
  curl -fsSLo "$bin/kubectl" "https://dl.k8s.io/release/$kubectl_version/bin/linux/$arch/kubectl"
  chmod +x "$bin/kubectl"
fi
if [ "$NETSEG_INPUT_CNI" = cilium ] || [ "${NETSEG_INPUT_MESH:-none}" = istio ]; then
  helm_version="$NETSEG_INPUT_HELM_VERSION"
  if ! helm version --short 2>/dev/null | grep -q "^$helm_version+"; then
    curl -fsSL "https://get.helm.sh/helm-$helm_version-linux-$arch.tar.gz" | tar -xz -C "$bin" --strip-components=1 "linux-$arch/helm"
  fi
  helm version --short
fi
# kind clusters of several nodes need more inotify watches than runners allow by default.
sudo sysctl -qw fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=512 || true
kind version
kubectl version --client
