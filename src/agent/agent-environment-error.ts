/** The environment kept the agent from starting (a port or socket that cannot be bound): exit 3. */
export class AgentEnvironmentError extends Error {
  override readonly name = 'AgentEnvironmentError';
}
