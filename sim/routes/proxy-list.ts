/** GET /api/proxy/list/?page=&countries=US-FR — the main list, or a sub-user's when masquerading. */
import { pageSlice } from '../pagination';
import { subUserSelection } from '../subuser-list';
import type { ApiRoute } from './types';

export const proxyListRoutes: ApiRoute[] = [
  {
    path: '/api/proxy/list/',
    bucket: 'proxyList',
    masquerade: true,
    methods: {
      GET: ({ state, url, subUser, nowMs }) => {
        const filter = (url.searchParams.get('countries') ?? '')
          .split('-')
          .map((code) => code.trim().toUpperCase())
          .filter(Boolean);
        const selection = subUser ? subUserSelection(state, subUser, filter) : state.proxies.select(filter);
        const slice = pageSlice(url, state.options.origin, selection.length, state.options.pageSize);
        const credentials = subUser
          ? { username: subUser.proxy_username, password: subUser.proxy_password }
          : state.config;
        const results = [];
        for (let position = slice.start; position < slice.end; position++) {
          results.push(state.proxies.view(selection.at(position), credentials, nowMs));
        }
        return { count: slice.count, next: slice.next, previous: slice.previous, results };
      },
    },
  },
];
