/**
 * Versions the kind provider pins (checked 2026-11 against upstream release notes; see
 * clusters/README.md). The node image is not given here: kind v0.32.0 pins its default
 * `kindest/node:v1.36.1` by digest itself, so requiring that kind version pins the node image;
 * `--node-image` overrides it (use a digest-pinned image from the kind release notes).
 */
export const KIND_VERSIONS = {
  kind: 'v0.32.0',
  kubernetes: 'v1.36.1',
  calico: 'v3.32.1',
  cilium: '1.20.0',
  /**
   * Istio, for `--mesh istio` (charts `base` and `istiod`). 1.30.4 (2026-08-27) is the newest patch
   * of the newest minor whose charts are still published at ISTIO_HELM_REPO: from 1.31 Istio
   * publishes charts only at blob.istio.io (istio.io, "Istio 1.31 upgrade notes"). Kubernetes
   * 1.36 support of 1.30 is inferred from Istio's pattern (each minor supports the four or five
   * newest Kubernetes minors; 1.29 lists 1.31–1.35), not read in its support table.
   */
  istio: '1.30.4',
} as const;

/** The CNIs the kind provider installs. */
export type KindCni = 'calico' | 'cilium' | 'kindnet';

/** All kind CNIs. */
export const KIND_CNIS: readonly KindCni[] = ['calico', 'cilium', 'kindnet'];

/** Calico's release manifests (operator install path). */
export const CALICO_MANIFESTS = `https://raw.githubusercontent.com/projectcalico/calico/${KIND_VERSIONS.calico}/manifests`;

/** Cilium's Helm repository. */
export const CILIUM_HELM_REPO = 'https://helm.cilium.io/';

/**
 * Istio's Helm repository for the pinned release. Istio is retiring it (istio.io, "Istio 1.31
 * upgrade notes": GCP-hosted artifacts are switched off in scream tests until 2026-12-09); moving
 * to 1.31+ means https://blob.istio.io/istio-release/charts.
 */
export const ISTIO_HELM_REPO = 'https://istio-release.storage.googleapis.com/charts';

/** The exact install hints shown when a tool is missing. */
export const INSTALL_HINTS = {
  kind: `install kind ${KIND_VERSIONS.kind}: \`go install sigs.k8s.io/kind@${KIND_VERSIONS.kind}\` or \`curl -Lo ./kind https://kind.sigs.k8s.io/dl/${KIND_VERSIONS.kind}/kind-linux-amd64 && chmod +x ./kind && sudo mv ./kind /usr/local/bin/kind\` (see https://kind.sigs.k8s.io/docs/user/quick-start/#installation)`,
  runtime: 'kind needs a running container engine: install Docker Engine (https://docs.docker.com/engine/install/) or Podman (https://podman.io/docs/installation) and start it; set KIND_EXPERIMENTAL_PROVIDER=podman for Podman',
  kubectl: 'install kubectl: https://kubernetes.io/docs/tasks/tools/#kubectl (e.g. `curl -LO https://dl.k8s.io/release/v1.36.1/bin/linux/amd64/kubectl && sudo install kubectl /usr/local/bin/`)',
  helm: 'install Helm 3: https://helm.sh/docs/intro/install/ (e.g. `curl -fsSL https://raw.githubusercontent.com/helm/helm/main/scripts/get-helm-3 | bash`)',
} as const;

/**
 * The network-policy-api release netseg installs ClusterNetworkPolicy (v1alpha2) from. v0.2.0
 * (2026-04-21) is the first with ClusterNetworkPolicy and ships only it; its CRD carries the
 * annotation `policy.networking.k8s.io/bundle-version: v0.2.0`. See docs/cluster-network-policy.md.
 */
export const NETWORK_POLICY_API = { version: 'v0.2.0' } as const;

/**
 * The CRD manifests of that release per channel. netseg installs the experimental one: it is a
 * superset of the standard one and the only one accepting `destinationNamedPort`, `nodes` and
 * `domainNames`, which scenarios use (an implementation that ignores those is a deviation to record,
 * not a reason to reject the policy before it reaches the CNI).
 */
export const CLUSTER_NETWORK_POLICY_CRDS = {
  standard: `https://raw.githubusercontent.com/kubernetes-sigs/network-policy-api/${NETWORK_POLICY_API.version}/config/crd/standard/policy.networking.k8s.io_clusternetworkpolicies.yaml`,
  experimental: `https://raw.githubusercontent.com/kubernetes-sigs/network-policy-api/${NETWORK_POLICY_API.version}/config/crd/experimental/policy.networking.k8s.io_clusternetworkpolicies.yaml`,
} as const;

/**
 * kube-network-policies, the policy engine kindnet embeds; its `npa-v1alpha2` image is the one that
 * evaluates ClusterNetworkPolicy. `kindnetWithoutPolicies` is the kindnetd image from before kindnet
 * enforced NetworkPolicy (kind < v0.24): upstream CI swaps it in so that only one engine enforces.
 */
export const KUBE_NETWORK_POLICIES = {
  version: 'v1.1.1',
  manifest: 'https://raw.githubusercontent.com/kubernetes-sigs/kube-network-policies/v1.1.1/install-cnp.yaml',
  image: 'registry.k8s.io/networking/kube-network-policies:v1.1.1-npa-v1alpha2',
  kindnetWithoutPolicies: 'docker.io/kindest/kindnetd:v20230809-80a64d96',
} as const;
