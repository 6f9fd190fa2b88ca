/**
 * Wire protocol between netseg and the probe agent (JSON). Shared by the netns control socket and the
 * Kubernetes exec transport; deliberately free of any netseg import so the agent bundles alone.
 */

/** Protocols the agent can probe. */
export type AgentProtocol = 'TCP' | 'UDP' | 'SCTP';

/** A connection probe: connect to host:port; `host` is an IP or a DNS name (resolved via the pod's resolv.conf). */
export interface ConnectJob {
  readonly kind: 'connect';
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly protocol: AgentProtocol;
  readonly timeoutMs: number;
  /** Identity the server must answer with (e.g. "x/a"); a different answer is a probe error. */
  readonly expectIdentity?: string;
  /** A name `host` is resolved to an address of this family (AAAA for 6); default 4 (A). */
  readonly family?: 4 | 6;
}

/**
 * An HTTP probe: connect to host:port like a TCP connect job, send one request (`method` `path`, the
 * `hostHeader` as Host, `headers`), and read the answer. The destination agent answers 200 with its
 * identity; any other answer is an L7 enforcement point's ("http-response").
 */
export interface HttpJob {
  readonly kind: 'http';
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly timeoutMs: number;
  readonly method: string;
  readonly path: string;
  readonly hostHeader: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly expectIdentity?: string;
  /** A name `host` is resolved to an address of this family (AAAA for 6); default 4 (A). */
  readonly family?: 4 | 6;
}

/** A DNS probe: ask `server` for the A (or AAAA) record of `name` over UDP or TCP. */
export interface DnsJob {
  readonly kind: 'dns';
  readonly id: string;
  readonly name: string;
  readonly server: string;
  readonly transport: 'UDP' | 'TCP';
  readonly timeoutMs: number;
  /** The record asked for (default A): AAAA probes a cluster's IPv6 names. */
  readonly type?: 'A' | 'AAAA';
  /** Port of `server` (default 53); lets tests and non-standard resolvers use another port. */
  readonly port?: number;
}

/** One job of a batch. */
export type ProbeJob = ConnectJob | HttpJob | DnsJob;

/** A batch of jobs run concurrently with a bound. */
export interface ProbeBatch {
  readonly jobs: readonly ProbeJob[];
  readonly concurrency: number;
}

/**
 * The raw outcome, kept separate from its classification:
 * connected; timeout (dropped); refused (RST / ICMP port unreachable: rejected or nothing listening);
 * unreachable (ICMP host/net unreachable or prohibited); dns-timeout (the resolver got no answer);
 * dns-nxdomain / dns-error (resolver answered but not with an address); dns-refused (every server answered
 * REFUSED: a DNS proxy refused the name, e.g. Cilium's DNS rules); wrong-identity (reached
 * something else); agent-error (the agent could not run the probe); unsupported (e.g. SCTP unavailable);
 * http-response (an HTTP answer that is not the destination agent's, e.g. a proxy's 403: detail
 * "http <status> <start of the body>"); closed-after-connect (a connection the peer accepted, then
 * closed or reset before any answer, as a mesh's RBAC filter does).
 */
export type RawOutcome =
  | 'connected'
  | 'timeout'
  | 'refused'
  | 'unreachable'
  | 'dns-timeout'
  | 'dns-nxdomain'
  | 'dns-refused'
  | 'dns-error'
  | 'wrong-identity'
  | 'agent-error'
  | 'unsupported'
  | 'http-response'
  | 'closed-after-connect';

/** The result of one job. */
export interface ProbeResult {
  readonly id: string;
  readonly outcome: RawOutcome;
  /** Error code or message, e.g. "ECONNREFUSED". */
  readonly detail?: string;
  /** Identity line the server answered with (connect jobs). */
  readonly identity?: string;
  /** Address a DNS job or a name-based connect job resolved to. */
  readonly address?: string;
  readonly elapsedMs: number;
}

/** Reply of the agent to a batch. */
export interface ProbeBatchResult {
  readonly results: readonly ProbeResult[];
  readonly agent: { readonly identity: string; readonly version: string };
}

/** Requests accepted on the agent's control channel (one JSON object per line, one reply line each). */
export type ControlRequest = { readonly op: 'probe'; readonly batch: ProbeBatch } | { readonly op: 'ping' } | { readonly op: 'shutdown' };

/** Reply to a control request that could not be served (malformed line, invalid batch, unknown op). */
export interface ControlErrorReply {
  readonly ok: false;
  readonly error: string;
}

/** One reply line on the control channel: a batch result for `probe`, `{ ok: true }` for ping/shutdown. */
export type ControlReply = ProbeBatchResult | { readonly ok: true } | ControlErrorReply;

/**
 * How long the agent may take for a batch, before its own slack: waves of `concurrency` jobs, each
 * up to twice its timeout (a TCP probe gets a fresh timeout for the identity line once connected).
 * Callers add their transport's slack on top; shared so agent and transports never disagree.
 */
export function batchWorstCaseMs(batch: ProbeBatch): number {
  if (batch.jobs.length === 0) return 0;
  // A loop, not Math.max(...timeouts): a 100,000-job batch would overflow the argument list.
  let longest = 0;
  for (const j of batch.jobs) longest = Math.max(longest, j.timeoutMs);
  return Math.ceil(batch.jobs.length / Math.max(1, batch.concurrency)) * longest * 2;
}

/**
 * What a TCP connection probe writes right after connecting. A port served as HTTP (and the netns L7
 * proxy in front of it) tells a connection probe from an HTTP request by these first bytes, never by
 * how long the client stays silent: a loaded machine can delay a request past any timer. It cannot
 * begin an HTTP request (no method has a `?`), and a plain TCP port never reads it.
 */
export const TCP_HELLO = 'netseg?\n';
