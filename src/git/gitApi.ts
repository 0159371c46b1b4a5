/**
 * The part of the built-in git extension's API (`vscode.git`, API version 1) this extension uses,
 * declared here because the git extension ships no typings package.
 */
import type * as vscode from 'vscode';

export interface GitCredentials {
  readonly username: string;
  readonly password: string;
}

export interface GitCredentialsProvider {
  getCredentials(host: vscode.Uri): vscode.ProviderResult<GitCredentials>;
}

export interface GitRemoteSource {
  readonly name: string;
  readonly description?: string;
  readonly url: string | string[];
}

export interface GitRemoteSourceProvider {
  readonly name: string;
  readonly icon?: string;
  readonly supportsQuery?: boolean;
  getRemoteSources(query?: string): vscode.ProviderResult<GitRemoteSource[]>;
  /** The branches of the repository at a URL the provider listed ("Clone Repository in Container Volume" asks). */
  getBranches?(url: string): vscode.ProviderResult<string[]>;
}

export interface GitRemote {
  readonly name: string;
  readonly fetchUrl?: string;
  readonly pushUrl?: string;
}

export interface GitChange {
  readonly uri: vscode.Uri;
}

export interface GitRepositoryState {
  readonly remotes: GitRemote[];
  readonly HEAD:
    | { readonly name?: string; readonly commit?: string; readonly ahead?: number; readonly upstream?: { readonly remote: string } }
    | undefined;
  readonly workingTreeChanges: GitChange[];
  readonly indexChanges: GitChange[];
}

export interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly state: GitRepositoryState;
  fetch(remote?: string, ref?: string, depth?: number): Promise<void>;
  push(remoteName?: string, branchName?: string, setUpstream?: boolean): Promise<void>;
  addRemote(name: string, url: string): Promise<void>;
  setConfig(key: string, value: string): Promise<string>;
}

export interface GitRemoteSourcePublisher {
  readonly name: string;
  readonly icon?: string;
  publishRepository(repository: GitRepository): Promise<void>;
}

export interface GitApi {
  readonly state: 'uninitialized' | 'initialized';
  readonly onDidChangeState: vscode.Event<'uninitialized' | 'initialized'>;
  readonly git: { readonly path: string };
  readonly repositories: GitRepository[];
  openRepository(root: vscode.Uri): Promise<GitRepository | null>;
  getRepository(uri: vscode.Uri): GitRepository | null;
  registerCredentialsProvider(provider: GitCredentialsProvider): vscode.Disposable;
  registerRemoteSourceProvider(provider: GitRemoteSourceProvider): vscode.Disposable;
  registerRemoteSourcePublisher?(publisher: GitRemoteSourcePublisher): vscode.Disposable;
}

export interface GitExtension {
  readonly enabled: boolean;
  readonly onDidChangeEnablement: vscode.Event<boolean>;
  getAPI(version: 1): GitApi;
}
