import * as http from 'http';
import { AddressInfo } from 'net';
import { Fault, FaultList } from './faults';
import { RequestLog, RequestLogEntry } from './request-log';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What the Cloud and the Data Center sandboxes share: an HTTP server on loopback, its request log, the faults a
 * test arms, the latency added to API requests, the delay before git requests, and closing (the server, then
 * the bare repositories). Each sandbox answers requests in `dispatch`, and says in `internalError` how a failure
 * of its own reads, as its real counterpart would answer it.
 */
export abstract class HttpSandbox {
  protected readonly log = new RequestLog();
  protected readonly faults = new FaultList();
  protected latencyMs: number;
  protected gitDelayMs = 0;
  private readonly server: http.Server;
  private closing?: Promise<void>;

  constructor(
    private readonly defaultLatencyMs: number,
    private readonly storage: { close(): Promise<void> },
  ) {
    this.latencyMs = defaultLatencyMs;
    this.server = http.createServer((req, res) => {
      this.dispatch(req, res).catch((error: unknown) => {
        if (res.headersSent) {
          res.destroy();
        } else {
          this.internalError(res, error instanceof Error ? error.message : String(error));
        }
      });
    });
  }

  protected abstract dispatch(req: http.IncomingMessage, res: http.ServerResponse): Promise<void>;

  /** Answers a request the sandbox failed on (headers not sent yet) with a 500. */
  protected abstract internalError(res: http.ServerResponse, message: string): void;

  get requests(): RequestLogEntry[] {
    return this.log.entries;
  }

  /** Listens on 127.0.0.1 (`port` 0: a free one) and gives `http://127.0.0.1:PORT`. */
  protected async listenOnLoopback(port: number): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  clearRequests(): void {
    this.log.clear();
  }

  addFault(fault: Fault): void {
    this.faults.add(fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /** Slows every git request, so a test can cancel a clone while it runs. */
  setGitDelay(ms: number): void {
    this.gitDelayMs = ms;
  }

  /** Faults, log, latency and git delay back to how the sandbox started. */
  protected resetRequestHandling(): void {
    this.faults.clear();
    this.log.clear();
    this.latencyMs = this.defaultLatencyMs;
    this.gitDelayMs = 0;
  }

  /** Waits the API latency and any armed delay; gives the fault to answer this request with, if one is armed. */
  protected async delayApiRequest(method: string, path: string): Promise<Fault | undefined> {
    if (this.latencyMs > 0) {
      await sleep(this.latencyMs);
    }
    const { delayMs, fault } = this.faults.take(method, path);
    if (delayMs > 0) {
      await sleep(delayMs);
    }
    return fault;
  }

  protected async delayGitRequest(): Promise<void> {
    if (this.gitDelayMs > 0) {
      await sleep(this.gitDelayMs);
    }
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await new Promise<void>((resolve) => {
        this.server.close(() => resolve());
        this.server.closeAllConnections();
      });
      await this.storage.close();
    })();
    return this.closing;
  }
}
