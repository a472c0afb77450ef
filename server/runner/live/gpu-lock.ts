/** One live GPU run at a time: a vLLM server takes most of the card (gpu_memory_utilization), so
 * two at once would fail each other with an out-of-memory that is no scenario's. Waiters queue in
 * order; one whose run is stopped while waiting leaves the queue. Within one process: a CLI and
 * a server on the same machine do not see each other's lock. */
export class GpuLock {
  private tail: Promise<void> = Promise.resolve();
  private held = 0;

  /** runs holding or waiting for the GPU */
  get pending(): number {
    return this.held;
  }

  async run<T>(signal: AbortSignal | undefined, task: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((r) => { release = r; });
    this.held++;
    try {
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => reject(new Error('stopped while waiting for the GPU'));
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        void previous.then(() => { signal?.removeEventListener('abort', onAbort); resolve(); });
      });
      return await task();
    } finally {
      this.held--;
      // a waiter that gave up still passes its turn on only after the one before it is done
      void previous.then(release);
    }
  }
}
