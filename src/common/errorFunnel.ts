/**
 * Every command runs through here: cancellations stay silent, everything else is logged in full and
 * shown as one short message with the action that helps (sign in, retry, show the log).
 */
import * as vscode from 'vscode';
import { Commands } from './commandIds';
import { ExplainedError } from './explainedError';
import { Logger } from './logger';

export function isCancellation(error: unknown): boolean {
  return (
    error instanceof vscode.CancellationError ||
    (error instanceof ExplainedError && error.kind === 'cancelled') ||
    (error instanceof Error && error.name === 'AbortError')
  );
}

/** An error a command showed to the user: for automation, and for tests that check the message. */
export interface ReportedError {
  readonly command: string;
  readonly message: string;
  readonly kind?: string;
}

export interface ErrorFunnel {
  readonly onDidReport: vscode.Event<ReportedError>;
  /** Wraps a command handler: its result, or undefined once any error has been shown. */
  wrap<A extends unknown[], R>(name: string, handler: (...args: A) => R | Promise<R>): (...args: A) => Promise<R | undefined>;
  /** Logs and shows one error, offering Retry when `retry` is given; does not wait for the user. */
  report(name: string, error: unknown, retry?: () => unknown): void;
}

export function createErrorFunnel(logger: Logger): ErrorFunnel & vscode.Disposable {
  const reported = new vscode.EventEmitter<ReportedError>();
  const funnel: ErrorFunnel & vscode.Disposable = {
    onDidReport: reported.event,
    dispose: () => reported.dispose(),
    wrap(name, handler) {
      return async (...args) => {
        try {
          return await handler(...args);
        } catch (error) {
          funnel.report(name, error, () => funnel.wrap(name, handler)(...args));
          return undefined;
        }
      };
    },
    report(name, error, retry) {
      if (isCancellation(error)) {
        logger.debug(`${name}: cancelled`);
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      const explained = error instanceof ExplainedError ? error : undefined;
      const detail = explained?.detail ? ` (${explained.detail})` : '';
      // A stack helps only with the unexpected; the errors we raise on purpose say everything in words.
      const stack = !explained && error instanceof Error && error.stack ? `\n${error.stack}` : '';
      logger.error(`${name} failed: ${message}${detail}${stack}`);
      const kind = explained?.kind;
      reported.fire({ command: name, message, kind });
      const labels: ActionLabels = {
        signIn: vscode.l10n.t('Sign In'),
        retry: vscode.l10n.t('Retry'),
        showLog: vscode.l10n.t('Show Log'),
      };
      const actions = actionsFor(error, retry !== undefined, labels);
      // Not awaited: the command finishes now; the user answers the message whenever they like.
      void vscode.window.showErrorMessage(message, ...actions).then(async (choice) => {
        if (choice === labels.signIn) await vscode.commands.executeCommand(Commands.signIn);
        else if (choice === labels.retry) await retry?.();
        else if (choice === labels.showLog) await vscode.commands.executeCommand(Commands.showLog);
      });
    },
  };
  return funnel;
}

/** The buttons of an error message, in the person's language; a choice is compared with these same strings. */
interface ActionLabels {
  readonly signIn: string;
  readonly retry: string;
  readonly showLog: string;
}

function actionsFor(error: unknown, canRetry: boolean, labels: ActionLabels): string[] {
  const remedy = error instanceof ExplainedError ? error.remedy : undefined;
  if (remedy === 'signIn') return [labels.signIn, labels.showLog];
  if (remedy === 'retry' && canRetry) return [labels.retry, labels.showLog];
  return [labels.showLog];
}
