/** Something the agent started and must stop on shutdown. */
export interface Closable {
  close(): Promise<void>;
}
