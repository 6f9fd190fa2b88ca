/**
 * One HTTP request as an L7 enforcement point sees it. `path` is the request target (`:path`): the path
 * with its query string, if any; `host` is the `:authority` / Host header, with a port if the client sent one.
 * Header names are matched case-insensitively (HTTP field names are), values exactly.
 */
export interface HttpRequest {
  readonly method: string;
  readonly path: string;
  readonly host: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** The value of a request header by case-insensitive name, or undefined when the request does not carry it. */
export function requestHeader(request: HttpRequest, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(request.headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}
