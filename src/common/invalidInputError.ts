import { ExplainedError } from './explainedError';

/** An error the user can fix by typing or setting something else. */
export class InvalidInputError extends ExplainedError {
  readonly kind = 'invalidInput';
  readonly detail = undefined;
  readonly remedy = undefined;

  constructor(message: string) {
    super(message);
    this.name = 'InvalidInputError';
  }
}
