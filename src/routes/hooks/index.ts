/** The webhook receivers, mounted at /hooks. Authenticated by their signatures, not the admin token. */
import { OpenAPIHono } from '../../lib/openapi-app';
import type { AppEnv } from '../../context';
import { validationHook } from '../../lib/validation';
import { documentHookRoutes } from './openapi';
import { signupHookRoutes } from './signup';
import { stripeHookRoutes } from './stripe';

export const hooksRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
documentHookRoutes(hooksRoutes);
hooksRoutes.route('/', signupHookRoutes).route('/', stripeHookRoutes);
