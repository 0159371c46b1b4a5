/**
 * Everything git: where clone finds askpass, which hosts are Bitbucket's, what happens after a create,
 * and the registration with VS Code's git (in the background: it must not hold up activation).
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { HostedRepository } from '../host/types';
import { Session } from '../auth/session';
import { CloneDeps } from '../features/clone';
import { AfterCreateDeps, createInteractively } from '../features/create';
import { ErrorFunnel } from '../common/errorFunnel';
import { RepositoriesModel } from '../tree/repositoriesModel';
import { askpassPrograms } from './askpassPrograms';
import { GitRepository } from './gitApi';
import { GitHosts } from './gitHosts';
import { getGitApi, publishableFolder, pushWithProgress, registerWithGit } from './gitIntegration';

export interface GitServices extends vscode.Disposable {
  readonly clone: CloneDeps;
  readonly afterCreate: AfterCreateDeps;
}

export function initializeGit(
  context: vscode.ExtensionContext,
  session: Session,
  model: RepositoriesModel,
  funnel: ErrorFunnel,
  log: vscode.LogOutputChannel,
): GitServices {
  const hosts = new GitHosts(() => session.settings.apiUrl);
  const push = (local: GitRepository, repository: HostedRepository) => pushWithProgress(local, repository, log);
  // A push after a create reports its own failure, with a Retry that pushes again (not creates again).
  const pushAfterCreate = funnel.wrap('Push to Bitbucket', push);
  // "Publish Branch" in Source Control: the same guided create, named after the folder, then a push.
  const publish = funnel.wrap('Publish to Bitbucket', async (local: GitRepository) => {
    const created = await createInteractively(session, model, { name: path.basename(local.rootUri.fsPath) });
    if (!created) return;
    model.addRepository(created.workspace, created.repository);
    await pushAfterCreate(local, created.repository);
  });
  const registrations: vscode.Disposable[] = [];
  void registerWithGit(session, model, hosts, log, async (local) => void (await publish(local))).then(
    (registration) => registrations.push(registration),
    (error: unknown) => log.warn(`Could not register with the built-in git extension: ${(error as Error).message}`),
  );
  return {
    clone: {
      session,
      hosts,
      logger: log,
      askpass: () => askpassPrograms(context.extensionPath, context.globalStorageUri.fsPath),
    },
    afterCreate: {
      model,
      publishableFolder: () => publishableFolder(hosts),
      push: async (local, repository) => void (await pushAfterCreate(local, repository)),
      pushFolder: async (folder, repository) => {
        const local = await (await getGitApi())?.openRepository(vscode.Uri.file(folder));
        if (!local) throw new Error(`${folder} is not a git repository that VS Code's git can open.`);
        await push(local, repository);
      },
    },
    dispose: () => vscode.Disposable.from(...registrations).dispose(),
  };
}
