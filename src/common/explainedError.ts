/**
 * An error raised on purpose, by any layer: its message is the sentence a person reads, `kind` says what
 * happened, `detail` is for the log only, and `remedy` names the action that helps. The error funnel
 * needs nothing else to show it, so it knows no layer's own error class.
 */
export type Remedy = 'signIn' | 'retry';

export abstract class ExplainedError extends Error {
  abstract readonly kind: string;
  abstract readonly detail?: string;
  /** Signing in (with a new or better token) or trying again; undefined when neither helps. */
  abstract readonly remedy: Remedy | undefined;
}
