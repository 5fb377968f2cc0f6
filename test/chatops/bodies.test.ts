import { describe, expect, it } from 'vitest';
import { MAX_CHATOPS_BODY_BYTES } from '../../src/routes/chatops/shared';
import { PULL_SLACK_BYTES, chunkedBody } from '../helpers/streams';
import { callWorker, chatRig } from './helpers';

const ROUTES = [['/chatops/slack'], ['/chatops/discord']] as const;

describe('chat-ops body limit', () => {
  it.each(ROUTES)(
    'refuses a chunked body (no Content-Length) over the limit on %s with 413, without reading it to the end',
    async (path) => {
      const rig = await chatRig();
      const chunked = chunkedBody(4 * MAX_CHATOPS_BODY_BYTES);
      const response = await callWorker(
        rig.env,
        new Request(`https://worker.test${path}`, { method: 'POST', body: chunked.body }),
      );
      expect(response.status).toBe(413);
      expect(chunked.pulledBytes()).toBeLessThanOrEqual(MAX_CHATOPS_BODY_BYTES + PULL_SLACK_BYTES);
      expect(rig.sim.requests).toHaveLength(0);
    },
  );

  it.each(ROUTES)('counts bytes, not characters, on %s', async (path) => {
    const rig = await chatRig();
    // Two bytes per character: over the limit in bytes, half of it in characters.
    const chunked = chunkedBody(MAX_CHATOPS_BODY_BYTES + 2, 'é');
    const response = await callWorker(
      rig.env,
      new Request(`https://worker.test${path}`, { method: 'POST', body: chunked.body }),
    );
    expect(response.status).toBe(413);
  });
});
