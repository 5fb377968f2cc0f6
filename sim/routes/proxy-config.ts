/** GET/POST /api/proxy/config/ and POST /api/proxy/config/reset_password/. */
import { isIpAddress } from '../addresses';
import { fieldErrors } from '../responses';
import { token } from '../random';
import type { SimState, SimSubUser } from '../state';
import type { ApiRoute } from './types';

const LINK_KINDS = {
  http_password_backbone: 'http/username/domain',
  http_password_direct: 'http/username/direct',
  http_ip_backbone: 'http/port/domain',
  http_ip_direct: 'http/port/direct',
  socks5_password_backbone: 'socks/username/domain',
  socks5_password_direct: 'socks/username/direct',
  socks5_ip_backbone: 'socks/port/domain',
  socks5_ip_direct: 'socks/port/direct',
} as const;

/** The config object, for the account or (masquerading) for one sub-user. */
export function configBody(state: SimState, subUser?: SimSubUser): Record<string, unknown> {
  const downloadToken = subUser ? `${state.config.downloadToken}${subUser.id}` : state.config.downloadToken;
  return {
    countries: subUser?.proxy_countries ?? state.proxies.countsByCountry(),
    username: subUser?.proxy_username ?? state.config.username,
    password: subUser?.proxy_password ?? state.config.password,
    authorized_ips: [...state.config.authorized_ips],
    download_links: Object.fromEntries(
      Object.entries(LINK_KINDS).map(([name, kind]) => [
        name,
        `/proxy/list/download/${downloadToken}/-/${kind}/`,
      ]),
    ),
  };
}

export const proxyConfigRoutes: ApiRoute[] = [
  {
    path: '/api/proxy/config/',
    masquerade: true,
    methods: {
      GET: ({ state, subUser }) => configBody(state, subUser),
      POST: async ({ state, body }) => {
        const input = await body();
        const ips = input.authorized_ips;
        const shape = state.options.fieldErrorShape;
        if (ips === undefined) {
          throw fieldErrors(
            [{ field: 'authorized_ips', message: 'This field is required.', code: 'required' }],
            shape,
          );
        }
        if (!Array.isArray(ips)) {
          const message = `Expected a list of items but got type "${typeof ips}".`;
          throw fieldErrors([{ field: 'authorized_ips', message, code: 'not_a_list' }], shape);
        }
        const bad = ips.filter((ip) => typeof ip !== 'string' || !isIpAddress(ip));
        if (bad.length > 0) {
          const message = 'Enter a valid IPv4 or IPv6 address.';
          throw fieldErrors([{ field: 'authorized_ips', message, code: 'invalid' }], shape);
        }
        state.config.authorized_ips = [...new Set(ips as string[])];
        return configBody(state);
      },
    },
  },
  {
    path: '/api/proxy/config/reset_password/',
    methods: {
      POST: ({ state }) => {
        state.passwordGeneration++;
        state.config.password = token(12, state.options.seed, 12, state.passwordGeneration);
        return configBody(state);
      },
    },
  },
];
