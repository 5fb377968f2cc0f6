/** The webhook receivers, mounted at /hooks. Authenticated by their signatures, not the admin token. */
import { Hono } from 'hono';
import type { AppEnv } from '../../context';
import { signupHookRoutes } from './signup';
import { stripeHookRoutes } from './stripe';

export const hooksRoutes = new Hono<AppEnv>().route('/', signupHookRoutes).route('/', stripeHookRoutes);
