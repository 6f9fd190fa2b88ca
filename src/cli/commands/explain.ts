import { Command } from 'commander';
import type { CliIO } from '../cli-io.js';
import { ExitCode, type ExitCodeValue } from '../exit-code.js';

/** `netseg explain`: why the engine allows or blocks one flow. */
export function explainCommand(io: CliIO, done: (code: ExitCodeValue) => void): Command {
  return new Command('explain')
    .description('explain the verdict for one flow: which policies select each side and which rule allows it')
    .argument('<scenario>', 'a scenario file')
    .requiredOption('--from <ns/pod>', 'source pod, or external:NAME for an external host declared a source')
    .requiredOption('--to <ns/pod|external:name>', 'destination pod or external host')
    .option('--port <port[/proto]>', 'e.g. 80/TCP (default: every probed port)')
    .option('--step <name|index>', 'only this step (default: every step, in order)')
    .option('--target <kind>', 'pod-ip | service | dns-name | external | dns')
    .action(async (file: string, opts: { from: string; to: string; port?: string; step?: string; target?: string }) => {
      // Imported when the command runs, so `--help` and the other commands do not load the loader and engine.
      const [{ explainFile }, { formatExplanations }] = await Promise.all([import('../../app/explain-file.js'), import('../../report/format-explanation.js')]);
      io.stdout.write(formatExplanations(await explainFile(file, opts)));
      done(ExitCode.ok);
    });
}
