/** The error any layer raises for an answer from a host it will not use. No `vscode` import. */
import { ExplainedError } from '../common/explainedError';

/** A link, name or value a host sent that is malformed or unsafe to use; trying again will not help. */
export class InvalidAnswerError extends ExplainedError {
  readonly kind = 'invalidResponse';
  readonly remedy = undefined;

  constructor(
    message: string,
    /** What was sent, for the log. */
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'InvalidAnswerError';
  }
}
