/**
 * An in-memory KVNamespace for benches that run in Node (outside workerd). Only what the poller uses:
 * get (text/json), put with expirationTtl, delete, list. Counts operations as KV would bill them.
 */
export class MemoryKv {
  readonly data = new Map<string, string>();
  reads = 0;
  writes = 0;
  /** The largest value written. */
  largestWrite = '';
  /** Characters of the values read (bytes: the state is ASCII). */
  bytesRead = 0;

  async get(key: string, type?: 'text' | 'json' | { type: 'text' | 'json' }): Promise<unknown> {
    this.reads++;
    const value = this.data.get(key);
    if (value === undefined) return null;
    this.bytesRead += value.length;
    const kind = typeof type === 'object' ? type.type : type;
    return kind === 'json' ? JSON.parse(value) : value;
  }

  async put(key: string, value: string): Promise<void> {
    this.writes++;
    if (value.length > this.largestWrite.length) this.largestWrite = value;
    this.data.set(key, value);
  }

  async delete(key: string): Promise<void> {
    this.writes++;
    this.data.delete(key);
  }

  async list(): Promise<{ keys: { name: string }[]; list_complete: true }> {
    return { keys: [...this.data.keys()].map((name) => ({ name })), list_complete: true };
  }

  asKv(): KVNamespace {
    return this as unknown as KVNamespace;
  }
}
