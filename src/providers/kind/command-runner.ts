import type { ProcessRunner } from '../command-runner.js';

export { CommandError, ExecaCommandRunner, type CommandOptions, type CommandResult } from '../command-runner.js';

/** The kind provider's only door to processes (kind, kubectl, helm, docker/podman); tests replace it with a fake. */
export type CommandRunner = Pick<ProcessRunner, 'run' | 'which'>;
