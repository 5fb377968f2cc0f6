/**
 * Webshare error bodies come as `{"field": ["msg"]}`, `{"field": [{"message", "code"}]}` (the live v2
 * shape, per the official SDKs), mixed lists, a bare string, plus DRF's `{"detail": "..."}` and v2's
 * `{"detail", "code"}`. All become `field → messages`; every machine-readable `code` (top-level first,
 * then those inside field errors) is kept so callers classify by code, not by English wording.
 */
export function parseFieldErrors(body: unknown): {
  detail?: string;
  code?: string;
  codes: string[];
  fieldErrors: Record<string, string[]>;
} {
  const fieldErrors: Record<string, string[]> = {};
  const codes: string[] = [];
  let detail: string | undefined;
  let code: string | undefined;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { codes, fieldErrors };
  for (const [field, value] of Object.entries(body as Record<string, unknown>)) {
    if (field === 'detail' && typeof value === 'string') {
      detail = value;
      continue;
    }
    if (field === 'code' && typeof value === 'string') {
      code = value;
      continue;
    }
    const items = Array.isArray(value) ? value : [value];
    const messages: string[] = [];
    for (const item of items) {
      if (typeof item === 'string') messages.push(item);
      else if (item && typeof item === 'object' && 'message' in item) {
        messages.push(String((item as { message: unknown }).message));
        const itemCode = (item as { code?: unknown }).code;
        if (typeof itemCode === 'string') codes.push(itemCode);
      }
    }
    if (messages.length > 0) fieldErrors[field] = messages;
  }
  if (code !== undefined) codes.unshift(code);
  return {
    ...(detail === undefined ? {} : { detail }),
    ...(code === undefined ? {} : { code }),
    codes,
    fieldErrors,
  };
}
