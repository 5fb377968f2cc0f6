import { describe, expect, it } from 'vitest';
import { dashboardUrlFor } from '../../src/config';
import { Harness } from '../alerts/harness';

interface SlackBody {
  blocks: { type: string; elements?: { type: string; url?: string; text?: { text: string } }[] }[];
}
interface DiscordBody {
  embeds: { url?: string }[];
}
interface HookBody {
  type: string;
  data: Record<string, unknown>;
}

describe('links back to the dashboard', () => {
  it('puts <PUBLIC_URL>/dashboard on every alert: a Slack button, the Discord title, the webhook field', async () => {
    const h = new Harness({ PUBLIC_URL: 'https://ops.example.com' });
    await h.next({ percent: 86 });
    await h.next({ percent: 10 });
    expect(h.hookTypes()).toEqual(['alert.firing/alert.firing', 'alert.resolved/alert.resolved']);
    for (const request of h.slack.requests) {
      const actions = (JSON.parse(request.body) as SlackBody).blocks.find((b) => b.type === 'actions');
      expect(actions?.elements).toEqual([
        expect.objectContaining({ type: 'button', url: 'https://ops.example.com/dashboard' }),
      ]);
    }
    for (const request of h.discord.requests) {
      expect((JSON.parse(request.body) as DiscordBody).embeds[0]!.url).toBe(
        'https://ops.example.com/dashboard',
      );
    }
    for (const request of h.hook.requests) {
      expect((JSON.parse(request.body) as HookBody).data.dashboard_url).toBe(
        'https://ops.example.com/dashboard',
      );
    }
  });

  it('adds no button or embed link without PUBLIC_URL, and the webhook says dashboard_url: null', async () => {
    const h = new Harness();
    await h.next({ percent: 86 });
    const slack = JSON.parse(h.slack.requests[0]!.body) as SlackBody;
    expect(slack.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect((JSON.parse(h.discord.requests[0]!.body) as DiscordBody).embeds[0]).not.toHaveProperty('url');
    const event = JSON.parse(h.hook.requests[0]!.body) as HookBody;
    expect(event.data).toHaveProperty('dashboard_url', null);
    // Only added: the fields the event had before are all still there.
    expect(Object.keys(event.data)).toEqual(
      expect.arrayContaining([
        'id',
        'transition',
        'severity',
        'title',
        'summary',
        'fields',
        'alert',
        'values',
      ]),
    );
  });

  it.each([
    ['https://ops.example.com', 'https://ops.example.com/dashboard'],
    ['https://ops.example.com/', 'https://ops.example.com/dashboard'],
    ['https://example.com/ops/', 'https://example.com/ops/dashboard'],
    ['https://example.com/ops?x=1#top', 'https://example.com/ops/dashboard'],
  ])('links %s to %s', (publicUrl, expected) => {
    expect(dashboardUrlFor(publicUrl)).toBe(expected);
  });
});
