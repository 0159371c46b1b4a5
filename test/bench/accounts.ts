/**
 * Several accounts: three bench users of five workspaces each, through the models the tree draws
 * (`AccountModels`, one `RepositoriesModel` per account), against one account alone. The first paint is
 * each account's row with its workspaces; display names arrive after it and never hold it back.
 */
import { BitbucketClient, DEFAULT_PAGE_SIZE } from '../../src/bitbucket/client';
import { CloudHost } from '../../src/bitbucket/cloudHost';
import { Credential } from '../../src/bitbucket/credentials';
import { AccountModels, ModelAccount } from '../../src/tree/accountModels';
import { benchUser } from '../sandbox/seed';
import { Sandbox } from '../sandbox/server';
import { Section, median, section } from './report';
import { BenchContext, measureTraffic } from './traffic';

export const BENCH_ACCOUNTS = 3;
const silent = { debug() {}, info() {}, warn() {}, error() {} };

function benchAccount(sandbox: Sandbox, index: number): ModelAccount {
  const user = benchUser(index);
  const credential: Credential = { kind: 'apiToken', email: user.email, token: user.apiToken };
  return {
    id: user.username,
    label: user.displayName,
    state: 'signedIn',
    host: () => new CloudHost(new BitbucketClient({ baseUrl: sandbox.apiUrl, credential }), credential),
    cacheOwner: () => `${user.username}@${sandbox.apiUrl}`,
  };
}

/** A Memento in memory: each run starts with no cache, as a first start does. */
function inMemory() {
  const values = new Map<string, unknown>();
  return {
    keys: () => [...values.keys()],
    get: <T>(key: string) => values.get(key) as T | undefined,
    update: (key: string, value: unknown) => {
      values.set(key, value);
      return Promise.resolve();
    },
  };
}

/** Fresh models (no cache) for the given accounts, wired as the tree wires them. */
function freshModels(sandbox: Sandbox, accounts: number): AccountModels {
  const models = new AccountModels({
    memento: inMemory(),
    settings: () => ({ pageSize: DEFAULT_PAGE_SIZE, sortRepositoriesBy: 'updated' }),
    logger: silent,
    track: (task) => task,
  });
  models.sync(Array.from({ length: accounts }, (_, index) => benchAccount(sandbox, index + 1)));
  return models;
}

interface Paint {
  /** Requests that listed workspaces: what the account rows wait for. */
  readonly listRequests: number;
  /** Requests for one expanded workspace per account. */
  readonly expandRequests: number;
  readonly workspaces: number;
}

export async function measureAccounts(context: BenchContext): Promise<Section> {
  const { sandbox, runs } = context;
  if (sandbox.extraUsers < BENCH_ACCOUNTS) throw new Error(`the bench sandbox needs ${BENCH_ACCOUNTS} bench users`);
  const result = section(`7. Several accounts: ${BENCH_ACCOUNTS} accounts of 5 workspaces each, against one account`);

  const paint = async (accounts: number) => {
    const models = freshModels(sandbox, accounts);
    try {
      const shown = await measureTraffic(sandbox, async () => {
        // The first paint: every account row lists its workspaces, all at once, as the tree asks them.
        const lists = await Promise.all(models.all().map(({ model }) => model.containers()));
        const listRequests = sandbox.requests.filter((entry) => !entry.git && entry.path === '/2.0/user/workspaces').length;
        return { lists, listRequests };
      });
      const expanded = await measureTraffic(sandbox, async () => {
        await Promise.all(models.all().map(({ model }, index) => model.repositories(shown.value.lists[index][0].slug)));
        // Display-name lookups may still be arriving; only repository listings count here.
        return sandbox.requests.filter((entry) => !entry.git && entry.path.startsWith('/2.0/repositories/')).length;
      });
      const value: Paint = {
        listRequests: shown.value.listRequests,
        expandRequests: expanded.value,
        workspaces: shown.value.lists.reduce((sum, list) => sum + list.length, 0),
      };
      return { ms: shown.ms, value };
    } finally {
      models.dispose();
    }
  };

  await paint(BENCH_ACCOUNTS); // untimed warm-up
  const several: { ms: number; value: Paint }[] = [];
  const one: { ms: number; value: Paint }[] = [];
  for (let run = 0; run < runs; run++) {
    context.progress(`several accounts: run ${run + 1} of ${runs}`);
    several.push(await paint(BENCH_ACCOUNTS));
    one.push(await paint(1));
  }

  const listPerAccount = median(several.map((run) => run.value.listRequests)) / BENCH_ACCOUNTS;
  const expandPerWorkspace = median(several.map((run) => run.value.expandRequests)) / BENCH_ACCOUNTS;
  const expandOne = median(one.map((run) => run.value.expandRequests));
  result.rows.push(
    { label: `${BENCH_ACCOUNTS} accounts: wall time to every account's workspaces`, unit: 'ms', samples: several.map((run) => run.ms) },
    { label: `${BENCH_ACCOUNTS} accounts: workspaces shown`, unit: 'count', samples: several.map((run) => run.value.workspaces) },
    {
      label: `${BENCH_ACCOUNTS} accounts: requests before the first paint`,
      unit: 'count',
      samples: several.map((run) => run.value.listRequests),
    },
    {
      label: `${BENCH_ACCOUNTS} accounts: requests to expand one workspace each`,
      unit: 'count',
      samples: several.map((run) => run.value.expandRequests),
    },
    { label: 'one account: wall time to its workspaces', unit: 'ms', samples: one.map((run) => run.ms) },
    { label: 'one account: requests before the first paint', unit: 'count', samples: one.map((run) => run.value.listRequests) },
    { label: 'one account: requests to expand one workspace', unit: 'count', samples: one.map((run) => run.value.expandRequests) },
  );
  result.notes.push(
    'Each account lists its workspaces with its own token, all at once; display names (one request per workspace, ' +
      'four at a time per account) follow the first paint and are not counted in it.',
  );
  result.targets.push(
    {
      name: 'First paint: one request per account',
      met: listPerAccount === 1,
      figure: `${median(several.map((run) => run.value.listRequests))} requests for ${BENCH_ACCOUNTS} accounts`,
    },
    {
      name: 'No more requests per expanded workspace than with one account',
      met: expandPerWorkspace <= expandOne,
      figure: `${expandPerWorkspace} per workspace (one account: ${expandOne})`,
    },
  );
  return result;
}
