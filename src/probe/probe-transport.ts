import type { PeerRef } from '../model/index.js';
import type { ProbeBatch, ProbeBatchResult } from '../agent/protocol.js';
import type { ClientSidecar } from './client-sidecar.js';

/**
 * Carries one batch of probe jobs to the agent of one source pod and brings back its results
 * (netns: the agent's control socket; Kubernetes: one exec per source pod per round). A transport
 * failure rejects; the caller turns it into probe-error for every job of the batch, never "blocked".
 */
export interface ProbeTransport {
  runBatch(source: PeerRef, batch: ProbeBatch, signal?: AbortSignal): Promise<ProbeBatchResult>;
  /** The client sidecar the source's probes leave through, if any (a meshed pod); absent: no source has one. */
  clientSidecar?(source: PeerRef): ClientSidecar | undefined;
  /** Probes the agents behind it handle in flight at once without starving (default: the prober's own budget). */
  readonly inFlightBudget?: number;
}
