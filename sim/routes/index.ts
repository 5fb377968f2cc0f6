/** Every simulated Webshare endpoint, compiled once into matchers. */
import { accountRoutes } from './account';
import { proxyConfigRoutes } from './proxy-config';
import { proxyListRoutes } from './proxy-list';
import { replacementRoutes } from './replacements';
import { statsRoutes } from './stats';
import { subUserRoutes } from './subusers';
import type { ApiRoute } from './types';
import { v2AccessRoutes } from './v2-access';

export const API_ROUTES: ApiRoute[] = [
  ...accountRoutes,
  ...proxyConfigRoutes,
  ...proxyListRoutes,
  ...replacementRoutes,
  ...statsRoutes,
  ...subUserRoutes,
  ...v2AccessRoutes,
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

/** The route whose path matches exactly (trailing slash included), with its parameters. */
export function matchRoute(path: string): { route: ApiRoute; params: Record<string, string> } | undefined {
  for (const { route, pattern, keys } of COMPILED) {
    const match = pattern.exec(path);
    if (!match) continue;
    const params = Object.fromEntries(keys.map((key, i) => [key, decodeURIComponent(match[i + 1] ?? '')]));
    return { route, params };
  }
  return undefined;
}
