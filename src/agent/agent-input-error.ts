/** Malformed command line or batch: the agent reports it on stderr and exits 2, without a stack trace. */
export class AgentInputError extends Error {
  override readonly name = 'AgentInputError';

  /** `showUsage`: the command line itself was wrong, so the usage text helps. */
  constructor(
    message: string,
    readonly showUsage = false,
  ) {
    super(message);
  }
}
