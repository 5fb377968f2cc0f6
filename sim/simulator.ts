/**
 * createSimulator(): one simulated Webshare account behind a Hono app — the API under /api/* and
 * the control surface under /__sim/*. `fetch` is bound, so it can be handed to routeOutbound().
 */
import { Hono } from 'hono';
import { handleApi, type SimRequestRecord } from './api';
import { createControl, type SimControl } from './control';
import { controlRoutes } from './control-routes';
import { FaultTable, NETWORK_ERROR_MESSAGE } from './faults';
import { resolveOptions, type SimulatorOptions } from './options';
import { SimRateLimiter } from './rate-limit';
import { json } from './responses';
import { createState, type SimState } from './state';

export interface Simulator {
  /** Bound; rejects with a TypeError when a networkError fault fires, as fetch does on a reset. */
  fetch(request: Request): Promise<Response>;
  app: Hono;
  state: SimState;
  control: SimControl;
  requests: SimRequestRecord[];
}

export function createSimulator(options: SimulatorOptions = {}): Simulator {
  const resolved = resolveOptions(options);
  const state = createState(resolved);
  const faults = new FaultTable();
  const limiter = new SimRateLimiter();
  const requests: SimRequestRecord[] = [];
  const control = createControl(resolved, state, faults, limiter, requests);

  const app = new Hono();
  app.route('/__sim', controlRoutes(control, requests));
  app.all('*', (c) => handleApi({ state, faults, limiter, requests }, c.req.raw));
  app.onError((error) => {
    if (error instanceof TypeError && error.message === NETWORK_ERROR_MESSAGE) throw error;
    console.error('webshare simulator bug:', error);
    return json({ detail: 'A server error occurred.' }, 500);
  });

  return {
    fetch: async (request: Request) => app.fetch(request),
    app,
    state,
    control,
    requests,
  };
}
