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
  }

  /** Returns an environment labelled with the run id; nothing is created before deploy(). */
  async provision(ctx: ProvisionContext): Promise<Environment> {
    const names = netnsNames(ctx.runId, ctx.world);
    const dir = join(ctx.runDir, worldDirName(ctx.world));
    await mkdir(dir, { recursive: true });
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
