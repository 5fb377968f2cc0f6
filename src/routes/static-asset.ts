/**
 * A file of public/ (the ASSETS binding), read once per isolate: the assets change only with a
 * deployment, which starts new isolates, and reading on every request would cost a subrequest each
 * time (under `wrangler dev`, a tenth of the throughput of a bundled page). What is served from
 * public/ is not bundled: less to upload and to compile on every isolate's start (docs/performance.md,
 * "Bundle"). A failed read is not kept, so the next request reads again.
 */
const readAssets = new WeakMap<Fetcher, Map<string, string>>();

export async function assetText(assets: Fetcher, path: string, requestUrl: string): Promise<string> {
  let read = readAssets.get(assets);
  if (!read) readAssets.set(assets, (read = new Map()));
  const known = read.get(path);
  if (known !== undefined) return known;
  const response = await assets.fetch(new URL(path, requestUrl));
  if (!response.ok) throw new Error(`the asset ${path} answered ${response.status}`);
  const text = await response.text();
  read.set(path, text);
  return text;
}
