import { spawn } from 'node:child_process';

/** Result of a CLI process. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the netseg CLI from source in a child process (so exit codes and signals are real), bounded
 * by `timeoutMs`. `onStderr` sees stderr as it arrives and may return 'SIGINT' to interrupt the run.
 */
export function runNetseg(args: readonly string[], options: { timeoutMs: number; onStderr?: (soFar: string) => NodeJS.Signals | undefined }): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`netseg ${args.join(' ')} did not finish in ${options.timeoutMs} ms\n${stderr}`));
    }, options.timeoutMs);
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      const sig = signalled ? undefined : options.onStderr?.(stderr);
      if (sig) {
        signalled = true;
        child.kill(sig);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
