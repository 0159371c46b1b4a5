// Undoes everything a launcher started, in reverse order, whether it ends by success, failure, timeout or a
// signal. Each step is bounded so one stuck process cannot keep the others alive.
const STEP_TIMEOUT_MS = 15_000;

export class Cleanup {
  private readonly steps: { label: string; undo: () => unknown }[] = [];
  private running: Promise<void> | undefined;

  /** Registers `undo` to run at cleanup; returns it wrapped so it can also be run early, once. */
  add(label: string, undo: () => unknown): () => Promise<void> {
    const step = { label, undo };
    if (this.running) {
      // Cleanup already began (a timeout or signal during setup): undo this one right away.
      const done = runStep(step);
      return () => done;
    }
    this.steps.push(step);
    return async () => {
      const index = this.steps.indexOf(step);
      if (index < 0) return;
      this.steps.splice(index, 1);
      await runStep(step);
    };
  }

  /** True once cleanup has begun, so a process exit it caused is not reported as a failure. */
  get started(): boolean {
    return this.running !== undefined;
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      while (this.steps.length > 0) await runStep(this.steps.pop()!);
    })();
    return this.running;
  }

  /**
   * Runs the cleanup on SIGINT, SIGTERM and SIGHUP, then exits with the conventional 128 + signal number.
   * Returns a function that removes the handlers again.
   */
  onSignals(): () => void {
    const handlers: [NodeJS.Signals, () => void][] = (
      [
        ['SIGINT', 130],
        ['SIGTERM', 143],
        ['SIGHUP', 129],
      ] as const
    ).map(([signal, code]) => [
      signal,
      () => {
        console.error(`\n[harness] ${signal} received; stopping everything this run started`);
        void this.run().finally(() => process.exit(code));
      },
    ]);
    for (const [signal, handler] of handlers) process.on(signal, handler);
    return () => {
      for (const [signal, handler] of handlers) process.off(signal, handler);
    };
  }
}

async function runStep(step: { label: string; undo: () => unknown }): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(step.undo),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), STEP_TIMEOUT_MS);
      }),
    ]);
  } catch (error) {
    console.error(`[harness] cleanup "${step.label}" failed: ${error instanceof Error ? error.message : error}`);
  } finally {
    clearTimeout(timer);
  }
}
