/**
 * The newest snapshot, serialised once, and a way to wait for the next one. Each reader
 * (an event stream) takes whatever is newest when it is ready to write, so a slow browser
 * skips updates instead of queueing them.
 */
export class Latest {
  version = 0;
  json: string | undefined;
  private waiters: Array<() => void> = [];

  set(json: string): void {
    this.json = json;
    this.version++;
    this.wake();
  }

  /** Resolves on the next `set` or `wake`. */
  changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Releases every waiter (new data, or shutting down). */
  wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
