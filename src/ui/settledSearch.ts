/**
 * Search-as-you-type without flooding the server: a query runs only once the text has been still for a
 * pause, and a newer text cancels the older request, so its answer never lands after a newer one.
 * No `vscode` import.
 */
export const SEARCH_DEBOUNCE_MS = 300;

export class SettledSearch<T> {
  private timer: NodeJS.Timeout | undefined;
  private controller: AbortController | undefined;

  constructor(
    private readonly search: (text: string, signal: AbortSignal) => Promise<T>,
    private readonly onResult: (result: T, text: string) => void,
    private readonly onError: (error: unknown, text: string) => void,
    private readonly onBusy: (busy: boolean) => void = () => undefined,
    private readonly pauseMs: number = SEARCH_DEBOUNCE_MS,
  ) {}

  /** The text changed: cancel what is pending and search again after the pause. */
  type(text: string): void {
    this.cancel();
    this.timer = setTimeout(() => this.now(text), this.pauseMs);
  }

  /** Searches at once, e.g. for the empty text when the picker opens. */
  now(text: string): void {
    this.cancel();
    const controller = new AbortController();
    this.controller = controller;
    this.onBusy(true);
    this.search(text, controller.signal)
      .then(
        (result) => {
          if (!controller.signal.aborted) this.onResult(result, text);
        },
        (error: unknown) => {
          if (!controller.signal.aborted) this.onError(error, text);
        },
      )
      .finally(() => {
        if (this.controller === controller) {
          this.controller = undefined;
          this.onBusy(false);
        }
      });
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.controller?.abort();
  }
}
