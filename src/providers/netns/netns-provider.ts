import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnvironmentError } from '../../model/index.js';
import type { Environment, Provider, ProvisionContext } from '../provider.js';
import { ExecaCommandRunner, type CommandRunner } from './command-runner.js';
import { NetnsEnvironment } from './netns-environment.js';
import { netnsNames, worldDirName } from './netns-names.js';
import type { DenyAction } from './nft-ruleset.js';

/** Options of the netns provider; every field is optional. */
export interface NetnsProviderOptions {
  /**
   * Debug switch: false installs namespaces, Services and DNS but no policy filtering, so every flow
   * passes (proves the harness can fail). Default true; env NETSEG_NETNS_ENFORCE=0 turns it off whatever this says.
   */
  readonly enforce?: boolean;
  /** What happens to policy-denied packets: 'drop' (default, as Calico) or 'reject' (TCP RST / ICMP admin-prohibited). */
  readonly denyAction?: DenyAction;
  /** Link-local gateway the node owns (default: first of 169.254.1.1, 169.254.1.2, … not used by the topology). */
  readonly gateway?: string;
  /** Path of the bundled agent (default dist/agent/netseg-agent.mjs of this package; env NETSEG_AGENT_BUNDLE). */
  readonly agentBundle?: string;
  /** Node binary running the agents (default: the current one). */
  readonly nodePath?: string;
  /** How long deploy() waits for every agent's ready file (default 10 s + 100 ms per host). */
  readonly readyTimeoutMs?: number;
  /**
   * How many agent hub processes serve the pods and external hosts, each making a host's sockets in
   * that host's namespace (default: one per core, at most one per 16 hosts); 0 starts one agent
   * process per host, as a cluster runs one per pod (env NETSEG_NETNS_AGENT_HUBS).
   */
  readonly agentHubs?: number;
  readonly runner?: CommandRunner;
  /** Effective user id (tests fake it). */
  readonly uid?: number;
}

const INSTALL_HINT = 'install them with `apt-get install -y iproute2 nftables`';

/** The embedded default provider: an emulated cluster in Linux network namespaces, policies enforced by nftables. */
export class NetnsProvider implements Provider {
  readonly name = 'netns';
  /** Every environment is its own world (node namespace, table, addresses): scenarios may run in several at once. */
  readonly isolatesEnvironments = true;
  readonly #runner: CommandRunner;

  constructor(private readonly options: NetnsProviderOptions = {}) {
    this.#runner = options.runner ?? new ExecaCommandRunner();
  }

  /** Checks root, `ip`, `nft` and the agent bundle; throws EnvironmentError saying what to do. */
  async preflight(): Promise<void> {
    const uid = this.options.uid ?? process.getuid?.();
    if (uid !== 0) throw new EnvironmentError('the netns provider needs root (it creates network namespaces and nftables rules)', 'run as root, e.g. `sudo npx netseg run …`');
    for (const [tool, args] of [['ip', ['-V']], ['nft', ['--version']]] as const) {
      const r = await this.#runner.run(tool, args, { reject: false, timeoutMs: 5000 }).catch((e: unknown) => ({ exitCode: -1, stderr: String(e), stdout: '' }));
      if (r.exitCode !== 0) throw new EnvironmentError(`\`${tool}\` is not available: ${r.stderr.trim() || `exit ${r.exitCode}`}`, INSTALL_HINT);
    }
    const bundle = this.agentBundle();
    if (!existsSync(bundle)) throw new EnvironmentError(`the probe agent bundle is missing: ${bundle}`, 'build it with `npm run build`');
    if (this.#agentHubs() !== 0) await checkKoffi();
  }

  #agentHubs(): number | undefined {
    const env = process.env.NETSEG_NETNS_AGENT_HUBS;
    if (this.options.agentHubs !== undefined) return this.options.agentHubs;
    if (env === undefined || env === '') return undefined;
    const n = Number(env);
    if (!Number.isInteger(n) || n < 0 || n > 64) throw new EnvironmentError(`NETSEG_NETNS_AGENT_HUBS must be an integer 0-64, got "${env}"`, 'unset it, or set 0 for one agent process per host');
    return n;
  }

  /** Returns an environment labelled with the run id; nothing is created before deploy(). */
  async provision(ctx: ProvisionContext): Promise<Environment> {
    const names = netnsNames(ctx.runId, ctx.world);
    const dir = join(ctx.runDir, worldDirName(ctx.world));
    await mkdir(dir, { recursive: true });
    const hubs = this.#agentHubs();
    const env = new NetnsEnvironment(
      this.#runner,
      names,
      dir,
      {
        // The env switch can only turn enforcement off, even when a caller passes enforce: true.
        enforce: (this.options.enforce ?? true) && process.env.NETSEG_NETNS_ENFORCE !== '0',
        denyAction: this.options.denyAction ?? 'drop',
        ...(this.options.gateway ? { gateway: this.options.gateway } : {}),
        nodePath: this.options.nodePath ?? process.execPath,
        agentBundle: this.agentBundle(),
        ...(this.options.readyTimeoutMs !== undefined ? { readyTimeoutMs: this.options.readyTimeoutMs } : {}),
        ...(hubs !== undefined && { agentHubs: hubs }),
      },
      ctx.log,
    );
    ctx.signal?.addEventListener('abort', () => void env[Symbol.asyncDispose](), { once: true });
    return env;
  }

  /** The agent bundle this provider starts. */
  agentBundle(): string {
    if (this.options.agentBundle) return this.options.agentBundle;
    if (process.env.NETSEG_AGENT_BUNDLE) return process.env.NETSEG_AGENT_BUNDLE;
    // From src/providers/netns (tsx) or dist/providers/netns (built): the package's dist/agent.
    const candidates = ['../../../dist/agent/netseg-agent.mjs', '../../agent/netseg-agent.mjs'].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
    return candidates.find((c) => existsSync(c)) ?? (candidates[0] as string);
  }
}

/** The hubs' FFI (koffi, with libc's setns) must load; the agents load it from the same install. */
async function checkKoffi(): Promise<void> {
  try {
    const mod = (await import('koffi')) as unknown as { default?: { load(path: string): unknown }; load?(path: string): unknown };
    (mod.default ?? (mod as { load(path: string): unknown })).load('libc.so.6');
  } catch (error) {
    throw new EnvironmentError(
      `the netns agent hubs need the koffi package and glibc: ${error instanceof Error ? error.message : String(error)}`,
      'reinstall netseg (npm ci), or run one agent process per host with NETSEG_NETNS_AGENT_HUBS=0',
    );
  }
}
