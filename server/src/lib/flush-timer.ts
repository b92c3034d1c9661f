// The one pending timer of a write-behind buffer: a flush runs at the earliest time any caller asked
// for, and a flush that runs for another reason (shutdown, a reader) cancels it.
export class FlushTimer {
  private timer: NodeJS.Timeout | undefined;
  private at = Infinity;

  /** `flush` reports its own errors: a rejection here is dropped. */
  constructor(private readonly flush: () => Promise<unknown>) {}

  /** Flush within `ms` (an earlier flush already set stays). */
  schedule(ms: number): void {
    const at = Date.now() + ms;
    if (this.timer && this.at <= at) return;
    clearTimeout(this.timer);
    this.at = at;
    this.timer = setTimeout(() => void this.flush().catch(() => {}), ms);
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.at = Infinity;
  }
}
