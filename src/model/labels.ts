/** Kubernetes labels: string keys to string values. */
export type Labels = Readonly<Record<string, string>>;
