/**
 * A guided flow of quick inputs with a step counter and a Back button: each step returns the next one,
 * and Back re-runs the previous step with what the user had entered.
 */
import * as vscode from 'vscode';

export class BackPressed extends Error {
  constructor() {
    super('back');
  }
}

export type Step<S> = (input: MultiStepInput, state: S) => Promise<Step<S> | undefined>;

export interface PickOptions<T extends vscode.QuickPickItem> {
  readonly title: string;
  readonly placeholder: string;
  readonly items: readonly T[] | (() => Promise<readonly T[]>);
  readonly activeItem?: (item: T) => boolean;
}

export interface TextOptions {
  readonly title: string;
  readonly prompt: string;
  readonly value: string;
  readonly placeholder?: string;
  /** Shown at once, e.g. a server's field error brought back to this step. */
  readonly initialError?: string;
  /** Checked on every keystroke. */
  readonly validate: (value: string) => string | undefined;
  /** A slower check after the user pauses; `signal` aborts when the text changes. */
  readonly validateLater?: (value: string, signal: AbortSignal) => Promise<string | undefined>;
  /** Updates the prompt as the user types, e.g. to show the slug a name becomes. */
  readonly describe?: (value: string) => string;
  /** Hides what is typed, for a token. */
  readonly password?: boolean;
  /** A title-bar button that opens a page, e.g. where a token is made. */
  readonly help?: { readonly url: string; readonly tooltip: string };
}

const PAUSE_MS = 400;

export class MultiStepInput {
  private step = 0;
  private canGoBack = false;

  private constructor(private readonly totalSteps: number) {}

  /** Runs the flow to its end; rejects with CancellationError when the user closes it. */
  static async run<S>(start: Step<S>, state: S, totalSteps: number, firstStepNumber = 1): Promise<void> {
    const input = new MultiStepInput(totalSteps);
    const history: Step<S>[] = [];
    let current: Step<S> | undefined = start;
    while (current) {
      history.push(current);
      input.step = firstStepNumber + history.length - 1;
      input.canGoBack = history.length > 1;
      try {
        current = await current(input, state);
      } catch (error) {
        if (!(error instanceof BackPressed)) throw error;
        history.pop();
        current = history.pop();
      }
    }
  }

  pick<T extends vscode.QuickPickItem>(options: PickOptions<T>): Promise<T> {
    const pick = vscode.window.createQuickPick<T>();
    pick.title = options.title;
    pick.step = this.step;
    pick.totalSteps = this.totalSteps;
    pick.placeholder = options.placeholder;
    pick.ignoreFocusOut = true;
    pick.buttons = this.canGoBack ? [vscode.QuickInputButtons.Back] : [];
    const show = (items: readonly T[]) => {
      pick.items = items;
      const active = options.activeItem && items.find(options.activeItem);
      if (active) pick.activeItems = [active];
    };
    if (typeof options.items === 'function') {
      pick.busy = true;
      options
        .items()
        .then(show, (error: unknown) => {
          pick.placeholder = error instanceof Error ? error.message : String(error);
        })
        .finally(() => (pick.busy = false));
    } else {
      show(options.items);
    }
    return this.settle(pick, (resolve) => {
      pick.onDidAccept(() => {
        const chosen = pick.selectedItems[0];
        if (chosen) resolve(chosen);
      });
    });
  }

  text(options: TextOptions): Promise<string> {
    const box = vscode.window.createInputBox();
    box.title = options.title;
    box.step = this.step;
    box.totalSteps = this.totalSteps;
    box.value = options.value;
    box.placeholder = options.placeholder;
    box.ignoreFocusOut = true;
    box.password = options.password ?? false;
    const help: vscode.QuickInputButton | undefined = options.help && {
      iconPath: new vscode.ThemeIcon('link-external'),
      tooltip: options.help.tooltip,
    };
    box.buttons = [...(this.canGoBack ? [vscode.QuickInputButtons.Back] : []), ...(help ? [help] : [])];
    box.onDidTriggerButton((button) => {
      if (help && button === help) void vscode.env.openExternal(vscode.Uri.parse(options.help!.url));
    });
    box.prompt = options.describe?.(options.value) ?? options.prompt;
    box.validationMessage = options.initialError;
    let pending: AbortController | undefined;
    let timer: NodeJS.Timeout | undefined;
    let checkedValue: string | undefined;
    const check = (value: string) => {
      pending?.abort();
      clearTimeout(timer);
      checkedValue = undefined;
      box.prompt = options.describe?.(value) ?? options.prompt;
      const problem = options.validate(value);
      box.validationMessage = problem;
      if (problem || !options.validateLater) {
        checkedValue = problem ? undefined : value;
        return;
      }
      const controller = new AbortController();
      pending = controller;
      timer = setTimeout(() => {
        box.busy = true;
        options.validateLater!(value, controller.signal)
          .then((later) => {
            if (controller.signal.aborted) return;
            box.validationMessage = later;
            if (!later) checkedValue = value;
          })
          .catch(() => undefined)
          .finally(() => {
            if (pending === controller) box.busy = false;
          });
      }, PAUSE_MS);
    };
    box.onDidChangeValue(check);
    // A step that opens empty waits for typing before it complains; one that opens filled is checked at once.
    if (!options.initialError && options.value) check(options.value);
    return this.settle<string>(box, (resolve) => {
      let accepting = false;
      box.onDidAccept(async () => {
        const value = box.value;
        if (accepting) return;
        const problem = options.validate(value);
        if (problem) {
          box.validationMessage = problem;
          return;
        }
        if (options.validateLater && checkedValue !== value) {
          // Enter before the pause ended: check now rather than accept blindly.
          accepting = true;
          box.busy = true;
          clearTimeout(timer);
          const later = await options.validateLater(value, new AbortController().signal).catch(() => undefined);
          box.busy = false;
          accepting = false;
          if (box.value !== value) return; // edited while we checked: the newer text gets its own check
          if (later) {
            box.validationMessage = later;
            return;
          }
        }
        resolve(value);
      });
    }).finally(() => {
      pending?.abort();
      clearTimeout(timer);
    });
  }

  private settle<T>(
    input: vscode.QuickPick<vscode.QuickPickItem> | vscode.InputBox,
    accept: (resolve: (value: T) => void) => void,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const finish = (action: () => void) => {
        if (done) return;
        done = true;
        action();
        input.dispose();
      };
      accept((value) => finish(() => resolve(value)));
      input.onDidTriggerButton((button) => {
        if (button === vscode.QuickInputButtons.Back) finish(() => reject(new BackPressed()));
      });
      input.onDidHide(() => finish(() => reject(new vscode.CancellationError())));
      input.show();
    });
  }
}
