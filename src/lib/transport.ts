/**
 * Which outbound URLs may carry secrets: https everywhere, plain http only to loopback hosts (the
 * tests' and the demo's local simulator and sinks). A remote http URL would send the Webshare key, a
 * webhook token or a bot token in clear text.
 */

/** localhost (and *.localhost), 127.0.0.0/8 and [::1]: http to these never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '[::1]' ||
    /^127(\.\d{1,3}){3}$/.test(host)
  );
}

/** null when `url` may carry secrets; otherwise what is wrong with it, e.g. "uses http to a remote host". */
export function insecureTransportReason(url: URL): string | null {
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:') return isLoopbackHost(url.hostname) ? null : 'uses http to a remote host';
  return 'is not an http(s) URL';
}
