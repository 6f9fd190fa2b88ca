/**
 * What a TCP connection probe writes right after connecting. A port served as HTTP (and the netns L7
 * proxy in front of it) tells a connection probe from an HTTP request by these first bytes, never by
 * how long the client stays silent: a loaded machine can delay a request past any timer. It cannot
 * begin an HTTP request (no method has a `?`), and a plain TCP port never reads it.
 */
export const TCP_HELLO = 'netseg?\n';
