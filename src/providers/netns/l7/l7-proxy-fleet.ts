import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { EnvironmentError, type Clock, type PeerRef } from '../../../model/index.js';
import type { CommandRunner } from '../command-runner.js';
import { renderHaproxyConfig } from './haproxy-config.js';
import type { L7ProxyPlan } from './proxy-plan.js';
import { redirectRuleset } from './redirect-ruleset.js';

const STOP_BOUND_MS = 3000;
const STOP_POLL_MS = 20;
const INSTALL_HINT = 'install HAProxy with `apt-get install -y haproxy` (the netns datapath runs it as the L7 proxy of pods that L7 policies select)';

/** A running proxy: its namespace, configuration text and process id. */
interface RunningProxy {
  readonly netns: string;
  readonly file: string;
  readonly config: string;
  readonly pid: number;
}

/**
 * The HAProxy processes of one deployment, one per pod an L7 policy selects, each started inside
 * the pod's namespace (`ip netns exec … haproxy -D`) with its configuration, pid file and the
 * world's identity map in `<dir>/l7/`. A sync starts, reloads (`-sf`: the new process binds, then
 * the old one stops listening and exits within `hard-stop-after`; sync waits, bounded, for it to be
 * gone) or stops proxies, and only then points the pod's nft redirect at the new listeners, so the
 * new policies are enforced when sync returns. `netseg cleanup` finds them as processes living in
 * the run's namespaces.
 */
export class L7ProxyFleet {
  readonly #running = new Map<PeerRef, RunningProxy>();
  #checked = false;

  constructor(
    private readonly runner: CommandRunner,
    private readonly dir: string,
    private readonly netnsOf: (pod: PeerRef) => string | undefined,
    private readonly clock: Clock,
  ) {}

  /** Brings the proxies to `plan` (undefined: none). */
  async sync(plan: L7ProxyPlan | undefined): Promise<void> {
    const wanted = plan?.proxies ?? [];
    if (wanted.length === 0 && this.#running.size === 0) return;
    if (wanted.length > 0) await this.#checkInstalled();
    const files = `${this.dir}/l7`;
    await mkdir(files, { recursive: true });
    const map = `${files}/identities.map`;
    if (plan && wanted.length > 0) await writeFile(map, [...plan.identities].map(([ip, id]) => `${ip} ${id}\n`).join(''));
    for (const [pod, running] of this.#running) {
      if (wanted.some((p) => p.pod === pod)) continue;
      await this.#redirect(running.netns, undefined);
      await this.#stop(pod, running);
    }
    for (const [i, proxy] of wanted.entries()) {
      const netns = this.netnsOf(proxy.pod);
      if (netns === undefined) throw new Error(`netns l7: ${proxy.pod} has no namespace`);
      const rendered = renderHaproxyConfig(proxy, map);
      const before = this.#running.get(proxy.pod);
      if (before?.config === rendered.text) continue;
      const cfg = `${files}/proxy-${i}.cfg`;
      await writeFile(cfg, rendered.text);
      await this.#start(proxy.pod, netns, cfg, rendered.text, before);
      await this.#redirect(netns, rendered.listeners);
    }
  }

  /** The configuration file of a pod's running proxy (for `netseg enter` hints), if it has one. */
  configOf(pod: PeerRef): string | undefined {
    return this.#running.get(pod)?.file;
  }

  /** Stops every proxy (SIGTERM, SIGKILL after the bound). */
  async stop(): Promise<void> {
    for (const [pod, running] of [...this.#running]) await this.#stop(pod, running);
    await rm(`${this.dir}/l7`, { recursive: true, force: true });
  }

  async #checkInstalled(): Promise<void> {
    if (this.#checked) return;
    const r = await this.runner.run('haproxy', ['-v'], { reject: false, timeoutMs: 5000 }).catch((e: unknown) => ({ exitCode: -1, stderr: String(e), stdout: '' }));
    if (r.exitCode !== 0) throw new EnvironmentError(`the scenario has L7 policies, but \`haproxy\` is not available: ${r.stderr.trim() || `exit ${r.exitCode}`}`, INSTALL_HINT);
    this.#checked = true;
  }

  async #start(pod: PeerRef, netns: string, cfg: string, config: string, before: RunningProxy | undefined): Promise<void> {
    const pidFile = `${cfg}.pid`;
    const args = ['netns', 'exec', netns, 'haproxy', '-D', '-q', '-f', cfg, '-p', pidFile, ...(before ? ['-sf', String(before.pid)] : [])];
    // -D returns once the new process has bound its listeners: it is serving.
    const r = await this.runner.run('ip', args, { reject: false, timeoutMs: 10_000 });
    if (r.exitCode !== 0) throw new Error(`netns l7: haproxy of ${pod} did not start (exit ${r.exitCode}): ${r.stderr.trim()}`);
    const pid = Number((await readFile(pidFile, 'utf8')).trim().split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0) throw new Error(`netns l7: haproxy of ${pod} wrote no pid to ${pidFile}`);
    this.#running.set(pod, { netns, file: cfg, config, pid });
    if (before && !(await this.#gone(before.pid))) throw new Error(`netns l7: the previous haproxy of ${pod} (pid ${before.pid}) did not exit within ${STOP_BOUND_MS} ms of a reload`);
  }

  async #stop(pod: PeerRef, running: RunningProxy): Promise<void> {
    this.#running.delete(pod);
    signal(running.pid, 'SIGTERM');
    if (!(await this.#gone(running.pid))) signal(running.pid, 'SIGKILL');
  }

  async #redirect(netns: string, listeners: Parameters<typeof redirectRuleset>[0]): Promise<void> {
    await this.runner.run('ip', ['netns', 'exec', netns, 'nft', '-f', '-'], { input: redirectRuleset(listeners) });
  }

  /** Waits (bounded in time and polls) until a process is gone; a zombie counts as gone (no parent of ours reaps a daemon). */
  async #gone(pid: number): Promise<boolean> {
    const deadline = this.clock.now() + STOP_BOUND_MS;
    for (let poll = 0; poll < STOP_BOUND_MS / STOP_POLL_MS && this.clock.now() <= deadline; poll++) {
      if (!(await alive(pid))) return true;
      await this.clock.sleep(STOP_POLL_MS);
    }
    return !(await alive(pid));
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

async function alive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (stat === undefined) return false;
  // The state follows the parenthesised command name.
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}
