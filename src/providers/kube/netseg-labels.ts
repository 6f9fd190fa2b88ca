/**
 * Labels and names netseg puts on what it creates in a cluster. Everything carries RUN_ID so
 * `netseg cleanup` can find leftovers; the other keys are netseg's own and never scenario labels.
 */
export const NETSEG_LABELS = {
  /** Run id of the run that created the object. */
  runId: 'netseg.io/run-id',
  /** Scenario name of a namespace (the cluster name is prefixed). */
  namespace: 'netseg.io/namespace',
  /** Scenario name of a probe pod; the pod's Service selects on it, so relabels never break Services. */
  pod: 'netseg.io/pod',
  /** Marks the enforcement canary's namespace. */
  canary: 'netseg.io/canary',
  /** Field manager of every server-side apply. */
  fieldManager: 'netseg',
  /** Container name of the probe agent. */
  container: 'agent',
} as const;
