/** The log every layer writes to; the extension passes its LogOutputChannel. Never given a secret. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
