import type { ProcessRunner } from '../command-runner.js';

export {
  CommandError,
  ExecaCommandRunner,
  type CommandOptions as RunOptions,
  type CommandResult,
  type SpawnedProcess,
  type SpawnOptions,
} from '../command-runner.js';

/** The only door of the netns datapath to processes (ip, nft, agents); tests replace it with a fake. */
export type CommandRunner = Pick<ProcessRunner, 'run' | 'spawn'>;
