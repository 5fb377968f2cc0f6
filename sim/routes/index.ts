/** Every simulated Webshare endpoint, compiled once into matchers. */
import { accountRoutes } from './account';
import { proxyConfigRoutes } from './proxy-config';
import { proxyListRoutes } from './proxy-list';
import { replacementRoutes } from './replacements';
import { statsRoutes } from './stats';
import { subUserRoutes } from './subusers';
import { v2AccessRoutes } from './v2-access';
import type { ApiRoute, SimDialect } from './types';
import { v2AccountRoutes } from './v2/account';
import { v2ProxyRoutes } from './v2/proxies';
import { v2ReplacementRoutes } from './v2/replacements';
import { v2SubUserRoutes } from './v2/subusers';

export const API_ROUTES: ApiRoute[] = [
  ...accountRoutes,
  ...proxyConfigRoutes,
  ...proxyListRoutes,
  ...replacementRoutes,
  ...statsRoutes,
  ...subUserRoutes,
  ...v2AccessRoutes,
  ...v2AccountRoutes,
  ...v2ProxyRoutes,
  ...v2ReplacementRoutes,
  ...v2SubUserRoutes,
];

interface CompiledRoute {
  route: ApiRoute;
  pattern: RegExp;
  keys: string[];
}

const COMPILED: CompiledRoute[] = API_ROUTES.map((route) => {
  const keys: string[] = [];
  const source = route.path
    .split('/')
    .map((part) => {
      if (!part.startsWith(':')) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      keys.push(part.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), keys };
});

/**
 * The route whose path matches exactly (trailing slash included), with its parameters. Routes of a
 * dialect the simulator does not speak do not exist (404), as on a server without that API.
 */
export function matchRoute(
  path: string,
  dialects: readonly SimDialect[] = ['v1', 'v2'],
): { route: ApiRoute; params: Record<string, string> } | undefined {
  for (const { route, pattern, keys } of COMPILED) {
    if (!dialects.includes(route.dialect ?? 'v1')) continue;
    const match = pattern.exec(path);
    if (!match) continue;
    const params = Object.fromEntries(keys.map((key, i) => [key, decodeURIComponent(match[i + 1] ?? '')]));
    return { route, params };
  }
  return undefined;
}
