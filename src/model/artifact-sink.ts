/** Where a run keeps files for inspection after it ends (`netseg run --artifacts DIR`). */
export interface ArtifactSink {
  /** Absolute path of the artifacts directory. */
  readonly root: string;
  /** Writes a text file at a path relative to the root (directories created); best effort: a failure is logged, never thrown. */
  write(path: string, content: string): Promise<void>;
  /** Creates a directory relative to the root and returns its absolute path, for tools that write files themselves (kind export logs). */
  directory(path: string): Promise<string>;
}
