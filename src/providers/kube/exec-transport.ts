import { batchWorstCaseMs, type ProbeBatch, type ProbeBatchResult } from '../../agent/protocol.js';
import type { PodRef } from '../../model/index.js';
import type { ClientSidecar } from '../../probe/client-sidecar.js';
import type { ProbeTransport } from '../../probe/probe-transport.js';
import { AGENT_MOUNT } from './build-manifests.js';
import type { KubeApi } from './kube-api.js';
import { NETSEG_LABELS } from './netseg-labels.js';

/** Where a scenario pod runs in the cluster. */
export type PodLocator = (ref: PodRef) => { readonly namespace: string; readonly pod: string };

/** Fixed allowance for exec setup (websocket, `node` start-up) on top of the batch's own probe time. */
const EXEC_OVERHEAD_MS = 15_000;

/**
 * ProbeTransport over `kubectl exec`-style API exec: exactly one exec per source pod per round,
 * carrying the whole batch as one line of JSON on stdin (exec channel 0). An argument would be capped
 * at 128 KiB by Linux (MAX_ARG_STRLEN) and travel in the exec URL; stdin has no such limit.
 * Non-zero exit, infrastructure failure, timeout and unparsable output all reject, so the prober
 * reports probe-error for the batch, never "blocked".
 */
export class KubeExecTransport implements ProbeTransport {
  constructor(
    readonly api: KubeApi,
    readonly locate: PodLocator,
    readonly sidecarOf: (ref: PodRef) => ClientSidecar | undefined = () => undefined,
  ) {}

  /** The client sidecar of a source pod (an Istio-meshed namespace), if any. */
  clientSidecar(source: PodRef): ClientSidecar | undefined {
    return this.sidecarOf(source);
  }

  /** Runs one batch in the source pod's agent. */
  async runBatch(source: PodRef, batch: ProbeBatch, signal?: AbortSignal): Promise<ProbeBatchResult> {
    const { namespace, pod } = this.locate(source);
    const r = await this.api.exec({
      namespace,
      pod,
      container: NETSEG_LABELS.container,
      command: ['node', `${AGENT_MOUNT.dir}/${AGENT_MOUNT.file}`, 'probe'],
      // The agent reads up to the newline: stdin may stay open (see ExecRequest.stdin).
      stdin: `${JSON.stringify(batch)}\n`,
      timeoutMs: execTimeoutMs(batch),
      ...(signal ? { signal } : {}),
    });
    if (r.exitCode !== 0) throw new Error(`agent in ${source} exited ${r.exitCode}: ${(r.stderr || r.stdout).trim().slice(0, 500)}`);
    return parseResult(source, r.stdout);
  }
}

/** Upper bound of one batch: the agent's worst case plus the exec's own overhead. */
export function execTimeoutMs(batch: ProbeBatch): number {
  return EXEC_OVERHEAD_MS + batchWorstCaseMs(batch);
}

function parseResult(source: PodRef, stdout: string): ProbeBatchResult {
  let value: unknown;
  try {
    value = JSON.parse(stdout);
  } catch {
    throw new Error(`agent in ${source} printed no JSON result: ${stdout.trim().slice(0, 200) || '(nothing)'}`);
  }
  const v = value as Partial<ProbeBatchResult> | null;
  if (!v || !Array.isArray(v.results) || typeof v.agent !== 'object') throw new Error(`agent in ${source} printed an unexpected result shape`);
  return v as ProbeBatchResult;
}
