/**
 * The chat-ops adapters, mounted at /chatops (not under /v1: Slack and Discord authenticate by
 * signing each request, not with the admin bearer token).
 */
import { OpenAPIHono } from '../../lib/openapi-app';
import type { AppEnv } from '../../context';
import { validationHook } from '../../lib/validation';
import { discordRoutes } from './discord';
import { slackRoutes } from './slack';
import { slackInteractionRoutes } from './slack-interactions';

export const chatopsRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .route('/', slackRoutes())
  .route('/', slackInteractionRoutes())
  .route('/', discordRoutes());
