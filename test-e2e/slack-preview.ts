/**
 * Renders a Slack Block Kit message as Slack would lay it out, closely enough for a screenshot in the
 * README (no Slack workspace is reachable from here). Escapes everything it prints.
 */
interface Block {
  type: string;
  text?: { text?: string };
  fields?: { text: string }[];
  /** Context elements are texts; action elements are buttons whose `text` is a plain_text object. */
  elements?: { text?: string | { text?: string } }[];
}

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** Slack mrkdwn's *bold* and `code`, after escaping. */
const mrkdwn = (text: string) =>
  escape(text)
    .replace(/\*([^*\n]+)\*/g, '<b>$1</b>')
    .replace(/`([^`\n]+)`/g, '<code>$1</code>')
    .replace(/\n/g, '<br>');

export function slackPreviewHtml(messages: { blocks?: Block[] }[]): string {
  const rendered = messages
    .map((message) => {
      const blocks = (message.blocks ?? [])
        .map((block) => {
          if (block.type === 'header') return `<div class="header">${escape(block.text?.text ?? '')}</div>`;
          if (block.type === 'section') {
            const text = block.text?.text ? `<div class="text">${mrkdwn(block.text.text)}</div>` : '';
            const fields = (block.fields ?? [])
              .map((f) => `<div class="field">${mrkdwn(f.text)}</div>`)
              .join('');
            return `${text}${fields ? `<div class="fields">${fields}</div>` : ''}`;
          }
          if (block.type === 'context') {
            const texts = (block.elements ?? []).map((e) =>
              typeof e.text === 'string' ? mrkdwn(e.text) : '',
            );
            return `<div class="context">${texts.join(' · ')}</div>`;
          }
          if (block.type === 'actions') {
            const buttons = (block.elements ?? []).map((e) =>
              typeof e.text === 'object' ? `<span class="button">${escape(e.text.text ?? '')}</span>` : '',
            );
            return `<div class="actions">${buttons.join('')}</div>`;
          }
          if (block.type === 'divider') return '<hr>';
          return '';
        })
        .join('');
      return `<div class="message"><div class="avatar">W</div><div class="body"><div class="name">webshare-ops <span class="app">APP</span></div>${blocks}</div></div>`;
    })
    .join('');
  return `<!doctype html><meta charset="utf-8"><style>
body{margin:0;background:#fff;font:15px/1.46 -apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1c1d;width:720px}
.channel{padding:12px 20px;border-bottom:1px solid #ddd;font-weight:700}.message{display:flex;gap:10px;padding:10px 20px}
.avatar{width:36px;height:36px;border-radius:6px;background:#2563eb;color:#fff;display:grid;place-items:center;font-weight:700;flex:none}
.name{font-weight:700}.app{font-size:10px;background:#ddd;color:#555;padding:1px 4px;border-radius:3px;vertical-align:middle}
.header{font-size:17px;font-weight:700;margin:4px 0}.fields{display:grid;grid-template-columns:1fr 1fr;gap:6px 20px;margin:6px 0}
.context{color:#616061;font-size:12px;margin-top:6px}.actions{display:flex;gap:8px;margin-top:10px}
.button{border:1px solid #c9c9c9;border-radius:4px;padding:3px 12px;font-size:13px;font-weight:700;background:#fff}code{background:#f6f6f6;border:1px solid #ddd;border-radius:3px;padding:1px 3px;font-size:12px;color:#c01343}
</style><div class="channel"># proxy-alerts</div>${rendered}`;
}
