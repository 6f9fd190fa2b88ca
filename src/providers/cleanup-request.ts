/** What `netseg cleanup` asks a provider to remove: one run's leftovers (runId) or every run's (all). */
export interface CleanupRequest {
  readonly provider: string;
  readonly runId?: string;
  readonly all?: boolean;
  readonly context?: string;
  readonly kubeconfig?: string;
  /** Effective user id (tests fake it). */
  readonly uid?: number;
}

/** What a clean-up really removed, and what it found but could not remove. */
export interface CleanupReport {
  readonly removed: string[];
  readonly failed: string[];
}
