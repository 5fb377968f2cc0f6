/**
 * The admin API router, mounted at /v1 by app.ts (which applies bearer auth and the JSON body rules
 * to every /v1 route). Each area registers its routes with createRoute, so /openapi.json lists them.
 */
import type { OpenAPIHono } from '../../lib/openapi-app';
import type { AppEnv } from '../../context';
import { accessRoutes } from './access';
import { accountRoutes } from './account';
import { doctorRoutes } from './doctor';
import { proxyRoutes } from './proxies';
import { adminRouter } from './shared';
import { subUserViewRoutes } from './subuser-views';
import { subUserRoutes } from './subusers';

export function createAdminRoutes(): OpenAPIHono<AppEnv> {
  const admin = adminRouter();
  admin.route('/', accountRoutes());
  admin.route('/', accessRoutes());
  admin.route('/', doctorRoutes());
  admin.route('/', proxyRoutes());
  admin.route('/', subUserRoutes());
  admin.route('/', subUserViewRoutes());
  return admin;
}
