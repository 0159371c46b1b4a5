/**
 * Every command runs through here: cancellations stay silent, everything else is logged in full and
 * shown as one short message with the action that helps (sign in, retry, show the log).
 */
import * as vscode from 'vscode';
import { BitbucketError } from '../bitbucket/errors';
import { Logger } from '../bitbucket/http';
import { InvalidInputError } from '../invalidInputError';
import { GitError } from '../git/gitErrors';
import { Commands } from './commandIds';

export function isCancellation(error: unknown): boolean {
  return (
    error instanceof vscode.CancellationError ||
    (error instanceof BitbucketError && error.kind === 'cancelled') ||
    (error instanceof GitError && error.kind === 'cancelled') ||
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
      const detail = (error instanceof BitbucketError || error instanceof GitError) && error.detail ? ` (${error.detail})` : '';
      // A stack helps only with the unexpected; the errors we raise on purpose say everything in words.
      const expected = error instanceof BitbucketError || error instanceof GitError || error instanceof InvalidInputError;
      logger.error(`${name} failed: ${message}${detail}${!expected && error instanceof Error && error.stack ? `\n${error.stack}` : ''}`);
      const kind = error instanceof BitbucketError || error instanceof GitError ? error.kind : undefined;
      reported.fire({ command: name, message, kind });
      const actions = actionsFor(error, retry !== undefined);
      // Not awaited: the command finishes now; the user answers the message whenever they like.
      void vscode.window.showErrorMessage(message, ...actions).then(async (choice) => {
        if (choice === 'Sign In') await vscode.commands.executeCommand(Commands.signIn);
        else if (choice === 'Retry') await retry?.();
        else if (choice === 'Show Log') await vscode.commands.executeCommand(Commands.showLog);
      });
    },
  };
  return funnel;
}

function actionsFor(error: unknown, canRetry: boolean): string[] {
  if (error instanceof BitbucketError) {
    if (error.needsNewCredentials) return ['Sign In', 'Show Log'];
    const transient = ['rateLimited', 'serverError', 'network', 'timeout', 'notJson'].includes(error.kind);
    if (transient && canRetry) return ['Retry', 'Show Log'];
  }
  if (error instanceof GitError) {
    if (error.kind === 'authentication' || error.kind === 'forbidden') return ['Sign In', 'Show Log'];
    if (['network', 'diskFull', 'rateLimited', 'serverError'].includes(error.kind) && canRetry) return ['Retry', 'Show Log'];
  }
  return ['Show Log'];
}
