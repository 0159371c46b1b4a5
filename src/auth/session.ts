/**
 * The signed-in state every part of the extension reads: which credential, which client, and whether
 * Bitbucket still accepts it. A 401 from any call turns the state to "expired" without deleting anything.
 */
import * as vscode from 'vscode';
import { BitbucketClient } from '../bitbucket/client';
import { CloudHost } from '../bitbucket/cloudHost';
import type { BitbucketHost } from '../host/types';
import type { BitbucketError } from '../bitbucket/errors';
import { Logger } from '../common/logger';
import { Settings, affectsClient, readSettings } from '../config';
import { CredentialStore, StoredCredential } from './credentialStore';

export type AuthState = 'signedOut' | 'signedIn' | 'expired';

/** Context key read by `viewsWelcome` and menus. */
export const AUTH_STATE_CONTEXT_KEY = 'bitbucket.authState';

export class Session implements vscode.Disposable {
  private readonly stateChanged = new vscode.EventEmitter<AuthState>();
  /** Fires when the credential, its state or the settings the client depends on change. */
  readonly onDidChange = this.stateChanged.event;
  private current: StoredCredential | undefined;
  private cachedClient: BitbucketClient | undefined;
  private authState: AuthState = 'signedOut';
  private readonly disposables: vscode.Disposable[] = [];
  /** Resolves once the stored credential has been read; the tree waits for it before drawing. */
  readonly ready: Promise<void>;

  constructor(
    readonly store: CredentialStore,
    private readonly logger: Logger,
    private readonly userAgent: string,
  ) {
    this.disposables.push(
      this.stateChanged,
      store.onDidChange((stored) => this.adopt(stored)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!affectsClient(event)) return;
        this.cachedClient = undefined;
        this.stateChanged.fire(this.authState);
      }),
    );
    this.ready = store.get().then((stored) => this.adopt(stored));
  }

  get state(): AuthState {
    return this.authState;
  }

  get stored(): StoredCredential | undefined {
    return this.current;
  }

  get settings(): Settings {
    return readSettings();
  }

  /** A client for the stored credential; undefined when signed out. Rebuilt when settings change. */
  client(): BitbucketClient | undefined {
    if (!this.current) return undefined;
    const settings = readSettings();
    const credential = this.current.credential;
    this.cachedClient ??= new BitbucketClient({
      baseUrl: settings.apiUrl,
      timeoutMs: settings.requestTimeoutMs,
      credential: this.current.credential,
      logger: this.logger,
      userAgent: this.userAgent,
      // Only a rejection of the credential still stored counts; an older client's late 401 does not.
      onCredentialRejected: (error) => {
        if (this.current?.credential === credential) this.credentialRejected(error);
      },
    });
    return this.cachedClient;
  }

  /** The signed-in account's host: what the tree, the commands and git ask. Undefined when signed out. */
  host(): BitbucketHost | undefined {
    const client = this.client();
    return client && this.current ? new CloudHost(client, this.current.credential) : undefined;
  }

  /** Bitbucket refused the stored credential on some call: ask to sign in again, deleting nothing. */
  private credentialRejected(error: BitbucketError): void {
    if (this.authState !== 'signedIn') return;
    this.logger.warn(`Bitbucket no longer accepts the stored credential (${error.kind}); asking to sign in again.`);
    this.setState('expired');
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private adopt(stored: StoredCredential | undefined): void {
    this.current = stored;
    this.cachedClient = undefined;
    this.setState(stored ? 'signedIn' : 'signedOut', true);
  }

  private setState(state: AuthState, force = false): void {
    if (state === this.authState && !force) return;
    this.authState = state;
    void vscode.commands.executeCommand('setContext', AUTH_STATE_CONTEXT_KEY, state);
    this.stateChanged.fire(state);
  }
}
