/**
 * A local stand-in for Slack, Discord and a webhook receiver: prints every notification readably and
 * keeps them for the browser test. The generic webhook's Standard Webhooks signature is verified with
 * the `standardwebhooks` library, as a real receiver would.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface SinkMessage {
  channel: 'slack' | 'discord' | 'webhook' | 'other';
  path: string;
  body: unknown;
  at: string;
  signatureValid?: boolean;
}

export interface SinkServer {
  url: string;
  messages: SinkMessage[];
  close(): Promise<void>;
}

const COLORS = {
  reset: '\x1b[0m',
  dim: '\x1b[2m',
  bold: '\x1b[1m',
  red: '\x1b[31m',
  yellow: '\x1b[33m',
  green: '\x1b[32m',
  cyan: '\x1b[36m',
};

function colour(text: string, ...codes: (keyof typeof COLORS)[]): string {
  if (!process.stdout.isTTY) return text;
  return `${codes.map((c) => COLORS[c]).join('')}${text}${COLORS.reset}`;
}

interface SlackBody {
  text?: string;
  blocks?: {
    type: string;
    text?: { text?: string };
    fields?: { text: string }[];
    elements?: { text?: string }[];
  }[];
}
interface DiscordBody {
  content?: string;
  embeds?: { title?: string; description?: string; fields?: { name: string; value: string }[] }[];
}
interface WebhookBody {
  type?: string;
  summary?: string;
  data?: { summary?: string };
}

/** A readable one-block rendering of a Slack Block Kit message. */
function describeSlack(body: SlackBody): string[] {
  const lines: string[] = [];
  for (const block of body?.blocks ?? []) {
    if (block.type === 'header') lines.push(colour(block.text?.text ?? '', 'bold'));
    if (block.type === 'section') {
      if (block.text?.text) lines.push(block.text.text);
      for (const field of block.fields ?? []) lines.push(`  ${String(field.text).replace(/\n/g, ' ')}`);
    }
    if (block.type === 'context')
      lines.push(colour((block.elements ?? []).map((e) => e.text).join(' · '), 'dim'));
  }
  return lines.length ? lines : [String(body?.text ?? JSON.stringify(body))];
}

function describeDiscord(body: DiscordBody): string[] {
  const lines: string[] = [];
  for (const embed of body?.embeds ?? []) {
    lines.push(colour(embed.title ?? '', 'bold'));
    if (embed.description) lines.push(embed.description);
    for (const field of embed.fields ?? []) lines.push(`  ${field.name}: ${field.value}`);
  }
  return lines.length ? lines : [String(body?.content ?? JSON.stringify(body))];
}

function describeWebhook(body: WebhookBody, valid: boolean | undefined): string[] {
  const verdict =
    valid === undefined
      ? ''
      : valid
        ? colour(' (signature valid)', 'green')
        : colour(' (SIGNATURE INVALID)', 'red');
  return [
    `${colour(String(body?.type ?? 'event'), 'bold')}${verdict}`,
    String(body?.data?.summary ?? body?.summary ?? ''),
  ].filter(Boolean);
}

export function startSinkServer(options: {
  port: number;
  webhookSecret?: string;
  quiet?: boolean;
}): Promise<SinkServer> {
  const messages: SinkMessage[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      if (req.method === 'GET' && path === '/__sink/messages') {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(messages));
        return;
      }
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        // Not JSON: keep the text.
      }
      const channel = path.startsWith('/slack')
        ? 'slack'
        : path.startsWith('/discord')
          ? 'discord'
          : path.startsWith('/webhook')
            ? 'webhook'
            : 'other';
      let signatureValid: boolean | undefined;
      if (channel === 'webhook' && options.webhookSecret) {
        try {
          new Webhook(options.webhookSecret).verify(raw, req.headers as Record<string, string>);
          signatureValid = true;
        } catch {
          signatureValid = false;
        }
      }
      messages.push({ channel, path, body, at: new Date().toISOString(), signatureValid });
      if (!options.quiet) {
        const described =
          channel === 'slack'
            ? describeSlack(body as SlackBody)
            : channel === 'discord'
              ? describeDiscord(body as DiscordBody)
              : describeWebhook(body as WebhookBody, signatureValid);
        const label = colour(
          `[${channel}]`.padEnd(10),
          channel === 'slack' ? 'cyan' : channel === 'discord' ? 'yellow' : 'green',
        );
        console.log(`${label} ${described[0] ?? ''}`);
        for (const line of described.slice(1)) console.log(`${' '.repeat(11)}${line}`);
      }
      // Discord answers `?wait=true` with the created message.
      const reply = channel === 'discord' ? JSON.stringify({ id: String(messages.length) }) : 'ok';
      res
        .writeHead(200, { 'Content-Type': channel === 'discord' ? 'application/json' : 'text/plain' })
        .end(reply);
    });
  });
  return new Promise((resolve) => {
    server.listen(options.port, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        messages,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
