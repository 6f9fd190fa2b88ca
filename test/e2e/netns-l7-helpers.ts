// Shared by the netns L7 e2e tests: a world with HTTP on x/a:80, real requests with curl from a pod's namespace.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { execa } from 'execa';
import type { AuthorizationPolicy, PeerRef, Topology } from '../../src/model/index.js';
import { NetnsProvider } from '../../src/providers/netns/index.js';
import type { DeployedScenario } from '../../src/providers/provider.js';
import { AGENT_BUNDLE, leftovers, netnsUnavailable, smallTopology } from './netns-helpers.js';

/** Why the L7 e2e tests cannot run here (netns, or HAProxy missing), or undefined. */
export async function l7Unavailable(): Promise<string | undefined> {
  const netns = await netnsUnavailable();
  if (netns) return netns;
  const r = await execa('haproxy', ['-v'], { reject: false }).catch(() => undefined);
  return r?.exitCode === 0 ? undefined : 'haproxy missing (apt-get install -y haproxy)';
}

/** smallTopology with x/a and y/a serving HTTP on 80/TCP (81/TCP stays plain) and y/b running as service account "inventory". */
export function l7Topology(): Topology {
  const t = smallTopology();
  return {
    ...t,
    pods: t.pods.map((p) => {
      const http = p.name === 'a' && p.namespace !== 'kube-system' ? { ports: p.ports.map((cp) => (cp.port === 80 && cp.protocol === 'TCP' ? { ...cp, appProtocol: 'http' as const } : cp)) } : {};
      return { ...p, ...http, ...(p.namespace === 'y' && p.name === 'b' ? { serviceAccount: 'inventory' } : {}) };
    }),
  };
}

/** An AuthorizationPolicy (ALLOW unless the spec says otherwise). */
export function authz(namespace: string, name: string, spec: Partial<AuthorizationPolicy['spec']>): AuthorizationPolicy {
  return { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name, namespace }, spec: { action: 'ALLOW', ...spec } };
}

/** What a real request got: curl's exit code (28: timed out, nothing answered), the status and the body. */
export interface HttpAnswer {
  readonly exit: number;
  readonly status: number;
  readonly body: string;
}

/** Sends one request with curl from `from`'s namespace (HTTP/0.9 accepted: a port without a proxy answers the agent's identity line). */
export async function request(deployed: DeployedScenario, from: PeerRef, method: string, url: string): Promise<HttpAnswer> {
  const netns = /ip netns exec (\S+)/.exec(deployed.enterHint(from))?.[1];
  if (!netns) throw new Error(`no namespace for ${from}`);
  const r = await execa('ip', ['netns', 'exec', netns, 'curl', '-s', '--http0.9', '-m', '2', '-X', method, '-o', '-', '-w', '\n%{http_code}', url], { reject: false });
  const out = String(r.stdout);
  const cut = out.lastIndexOf('\n');
  return { exit: r.exitCode ?? -1, status: Number(out.slice(cut + 1)), body: out.slice(0, cut) };
}

/** The Istio proxy's refusal. */
export const RBAC_DENIED = { status: 403, body: 'RBAC: access denied' };

/** Deploys l7Topology in a world of its own run id, runs `fn`, disposes it and checks nothing of the run (proxies included) is left. */
export async function withL7World(runId: string, fn: (deployed: DeployedScenario) => Promise<void>): Promise<void> {
  const runDir = mkdtempSync(join(tmpdir(), `netseg-${runId}-`));
  const env = await new NetnsProvider({ agentBundle: AGENT_BUNDLE }).provision({ runId, runDir, log: () => {} });
  try {
    await fn(await env.deploy(l7Topology()));
  } finally {
    await env[Symbol.asyncDispose]();
  }
  expect(await leftovers(runId, runDir)).to.deep.equal([]);
  rmSync(runDir, { recursive: true, force: true });
}

/**
 * The request reached the pod: an HTTP answer that is not the proxy's refusal, or (no proxy in the
 * way, status 000) the agent's own identity line.
 */
export function passed(answer: HttpAnswer): void {
  expect(answer.exit, JSON.stringify(answer)).to.equal(0);
  if (answer.status === 0) expect(answer.body).to.match(/^netseg /);
  else expect(answer.status, JSON.stringify(answer)).to.be.within(100, 599).and.not.equal(403);
}

/** The request was refused by an L7 proxy with this status and body. */
export function deniedBy(refusal: { status: number; body: string }, answer: HttpAnswer): void {
  expect({ status: answer.status, body: answer.body }).to.deep.equal(refusal);
}

/** Cilium's proxy's refusal. */
export const CILIUM_DENIED = { status: 403, body: 'Access denied' };
