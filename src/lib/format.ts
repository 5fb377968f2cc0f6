/** Human formatting for notification text: bytes, percentages and UTC times. Pure. */

const GB = 1024 ** 3;
const MB = 1024 ** 2;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Bytes as Webshare states plans (1 GB = 2^30 bytes): "45.6 GB", "50 GB", "512 MB". */
export function formatBytes(bytes: number): string {
  if (bytes >= GB) return `${trimZero((bytes / GB).toFixed(1))} GB`;
  if (bytes >= MB) return `${trimZero((bytes / MB).toFixed(1))} MB`;
  return `${Math.round(bytes)} B`;
}

export function formatPercent(percent: number): string {
  return `${trimZero(percent.toFixed(1))}%`;
}

/** "Dec 1" (UTC). */
export function formatDay(ms: number): string {
  const d = new Date(ms);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
}

/** "Nov 27 14:00 UTC". */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${formatDay(ms)} ${hh}:${mm} UTC`;
}

/** "2.5 days", "1 day", "5 hours". */
export function formatDuration(ms: number): string {
  const hours = ms / 3_600_000;
  if (hours < 48) {
    const h = Math.max(0, Math.round(hours));
    return `${h} hour${h === 1 ? '' : 's'}`;
  }
  const days = trimZero((hours / 24).toFixed(1));
  return `${days} day${days === '1' ? '' : 's'}`;
}

function trimZero(text: string): string {
  return text.endsWith('.0') ? text.slice(0, -2) : text;
}

/** Truncates to a maximum length (in UTF-16 units), ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** How long ago, for "as of …" lines: "just now", "4 min ago", "3 h ago", "2 days ago". */
export function formatAge(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 120) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}
