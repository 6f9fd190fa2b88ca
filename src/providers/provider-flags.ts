/** The provider flags of `netseg run`, as parsed from the command line. */
export interface ProviderFlags {
  readonly provider: string;
  readonly cni?: string;
  /** kind / kubeconfig: `--mesh`, the service mesh the run's pods are in (none | istio). */
  readonly mesh?: string;
  readonly cluster?: string;
  readonly keepCluster?: boolean;
  readonly context?: string;
  readonly kubeconfig?: string;
  readonly image?: string;
  /** kind: `--node-image`, the kind node image. */
  readonly nodeImage?: string;
  /** `--ready-timeout`, parsed: bound of each readiness wait of a Kubernetes provider. */
  readonly readyTimeoutMs?: number;
  readonly allowNoEnforcement?: boolean;
  /** commander's `--no-enforce` sets this to false. */
  readonly enforce?: boolean;
}
