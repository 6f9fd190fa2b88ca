// Types of netseg-action.mjs for the TypeScript tests.
export interface ActionInputs {
  scenarios: string[];
  provider: string;
  cni: string;
  mesh: string;
  reporters: string[];
  reportDir: string;
  failOn: string;
  args: string[];
}
export interface Counts { pass: number; fail: number; error: number; skipped: number; expectedFail: number; unexpectedPass: number; unsupported?: number }
export const RUN_INPUTS: readonly string[];
export const RUN_OUTPUTS: readonly string[];
export function inputEnvName(input: string): string;
export function readInputs(env: Record<string, string | undefined>): ActionInputs;
export function reportFiles(reportDir: string): { json: string; junit: string; html: string; markdown: string };
export function netsegArgs(inputs: ActionInputs): string[];
export function outputsOf(counts: Counts | undefined, reportJson: string, exitCode: number): Record<string, string>;
export function verdict(failOn: string, exitCode: number, counts: Counts | undefined): { fail: boolean; reason: string };
