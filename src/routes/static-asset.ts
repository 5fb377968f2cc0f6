/**
 * A file of public/ (the ASSETS binding), read once per isolate: the assets change only with a
 * deployment, which starts new isolates, and reading on every request would cost a subrequest each
 * time (under `wrangler dev`, a tenth of the throughput of a bundled page). What is served from
 * public/ is not bundled: less to upload and to compile on every isolate's start (docs/performance.md,
 * "Bundle"). What the route makes of the text (`use`, one per path) is kept, not the text; a failed read is not
 * kept, so the next request reads again.
 */
const assetsRead = new WeakMap<Fetcher, Map<string, unknown>>();

export async function readAsset<T>(
  assets: Fetcher,
  path: string,
  requestUrl: string,
  use: (text: string) => T,
): Promise<T> {
  let read = assetsRead.get(assets);
  if (!read) assetsRead.set(assets, (read = new Map()));
  if (read.has(path)) return read.get(path) as T;
  const response = await assets.fetch(new URL(path, requestUrl));
  if (!response.ok) throw new Error(`the asset ${path} answered ${response.status}`);
  const value = use(await response.text());
  read.set(path, value);
  return value;
}
