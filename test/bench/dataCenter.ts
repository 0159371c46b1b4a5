/**
 * Bitbucket Data Center: the big project's first page the way the tree expands a project, and the whole project
 * the way the tree pages through it and the way the host does with the largest page the server allows, each
 * against a plain script that follows `nextPageStart` at the server's default limit. Against the Data Center
 * sandbox, signed in with dc-user's personal token.
 */
import fetch from 'node-fetch';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../src/bitbucket/defaults';
import { dataCenterHost } from '../../src/datacenter/datacenter';
import { DC_MAX_LIMIT } from '../../src/datacenter/dataCenterClient';
import { DataCenterCredential } from '../../src/datacenter/dataCenterCredential';
import { DataCenterHost } from '../../src/datacenter/dataCenterHost';
import { WorkspaceListing } from '../../src/tree/workspaceListing';
import { DataCenterSandbox } from '../sandbox/datacenter/server';
import { Section, formatValue, median, section } from './report';
import { BenchContext, Traffic, measureTraffic } from './traffic';

/**
 * What reached the Data Center sandbox while `operation` ran (measureTraffic), every API request checked to
 * have succeeded with the personal token, and the `limit` each asked for.
 */
async function measureDataCenterTraffic<T>(
  sandbox: DataCenterSandbox,
  operation: () => Promise<T>,
): Promise<Traffic<T> & { limits: number[] }> {
  const traffic = await measureTraffic(sandbox, operation);
  // The log was cleared when the operation started and nothing else talks to this sandbox: these are its requests.
  const api = sandbox.requests.filter((entry) => !entry.git);
  const refused = api.find((entry) => entry.status < 200 || entry.status >= 300);
  if (refused) throw new Error(`${refused.method} ${refused.path} answered ${refused.status}.`);
  const stranger = api.find((entry) => entry.credential !== sandbox.credentials.tokens.personal.name);
  if (stranger) throw new Error(`${stranger.method} ${stranger.path} did not carry the personal token (${stranger.credential ?? 'none'}).`);
  return {
    ...traffic,
    // The `limit` each request asked for, as the server's log read it off the query (NaN when none was sent).
    limits: api.map((entry) => (entry.query.limit === undefined ? Number.NaN : Number(entry.query.limit))),
  };
}

/** dc-user's personal token as the extension keeps it after signing in. */
function personalCredential(sandbox: DataCenterSandbox): DataCenterCredential {
  const { user, tokens } = sandbox.credentials;
  return {
    kind: 'dataCenterToken',
    serverUrl: sandbox.url,
    token: tokens.personal.token,
    username: user.name,
    tokenScope: 'personal',
    userSlug: user.slug,
  };
}

/** A fresh host per run, built as the extension builds one for a kept credential. */
function signedInHost(sandbox: DataCenterSandbox): DataCenterHost {
  return dataCenterHost(personalCredential(sandbox));
}

/** A listing wired as RepositoriesProvider.listingFor wires it (Data Center ignores the sort). */
function treeListing(host: DataCenterHost, project: string, pageSize: number): WorkspaceListing {
  return new WorkspaceListing(project, {
    first: (key, signal) => host.repositories(key, { pageSize, sort: 'updated', signal }),
    next: (next, signal) => host.nextRepositories(next, signal),
  });
}

function failIfBroken(listing: WorkspaceListing): void {
  if (listing.error) throw listing.error;
}

interface DcPlainPage {
  readonly values: unknown[];
  readonly limit: number;
  readonly isLastPage: boolean;
  readonly nextPageStart?: number;
}

/** A GET the way a person scripts it against Data Center: the token as Bearer, JSON back, node-fetch as the extension. */
async function plainGet(sandbox: DataCenterSandbox, url: string): Promise<DcPlainPage> {
  const response = await fetch(url, {
    headers: { Authorization: `Bearer ${sandbox.credentials.tokens.personal.token}`, Accept: 'application/json' },
  });
  if (!response.ok) throw new Error(`GET ${new URL(url).pathname} answered ${response.status}`);
  return (await response.json()) as DcPlainPage;
}

const plural = (count: number, word: string) => `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;

export async function measureDataCenter(context: BenchContext, sandbox: DataCenterSandbox): Promise<Section> {
  const { runs, longRuns } = context;
  const { key: project, size: expected } = sandbox.credentials.bigProject;
  const result = section(
    `9. Data Center: project ${project} (${expected.toLocaleString('en-US')} repositories), personal token, tree page size ${DEFAULT_PAGE_SIZE}`,
  );
  const reposUrl = `${sandbox.restUrl}/projects/${project}/repos`;

  const treeFirstPage = async () => {
    const listing = treeListing(signedInHost(sandbox), project, DEFAULT_PAGE_SIZE);
    await listing.ensureLoaded();
    failIfBroken(listing);
    return listing.repositories.length;
  };
  const treeWay = (pageSize: number) => async () => {
    const listing = treeListing(signedInHost(sandbox), project, pageSize);
    await listing.ensureLoaded();
    failIfBroken(listing);
    while (listing.hasMore) {
      await listing.loadMore();
      failIfBroken(listing);
    }
    return listing.repositories.length;
  };
  // The host's own paging with the largest page it asks for (clampDataCenterLimit lets DC_MAX_LIMIT through).
  const hostWay = async () => {
    const host = signedInHost(sandbox);
    let page = await host.repositories(project, { pageSize: DC_MAX_LIMIT });
    let count = page.values.length;
    const firstPage = page.values.length;
    while (page.next) {
      page = await host.nextRepositories(page.next);
      count += page.values.length;
    }
    return { count, firstPage };
  };
  // No limit (the server's default of 25), follow `nextPageStart` until `isLastPage`.
  let naiveLimit: number | undefined;
  const naiveWay = async () => {
    let count = 0;
    let url: string | undefined = reposUrl;
    while (url) {
      const page = await plainGet(sandbox, url);
      naiveLimit ??= page.limit;
      count += page.values.length;
      url = page.isLastPage || page.nextPageStart === undefined ? undefined : `${reposUrl}?start=${page.nextPageStart}`;
    }
    return count;
  };

  // Untimed warm-up: connections, JIT, the sandbox generating its 5,000 repositories on first use.
  await treeFirstPage();
  await hostWay();
  await plainGet(sandbox, reposUrl);

  const first: Array<Traffic<number>> = [];
  const atHost: Array<Traffic<{ count: number; firstPage: number }> & { limits: number[] }> = [];
  const atMax: Array<Traffic<number>> = [];
  const atDefault: Array<Traffic<number>> = [];
  const naive: Array<Traffic<number>> = [];
  // Interleaved, so a noisy moment on the machine does not land on one way only.
  for (let run = 0; run < runs; run++) {
    context.progress(`Data Center: first page, run ${run + 1} of ${runs}`);
    first.push(await measureDataCenterTraffic(sandbox, treeFirstPage));
    context.progress(`Data Center: whole project, host at limit ${DC_MAX_LIMIT}, run ${run + 1} of ${runs}`);
    atHost.push(await measureDataCenterTraffic(sandbox, hostWay));
    context.progress(`Data Center: whole project, tree at ${MAX_PAGE_SIZE}, run ${run + 1} of ${runs}`);
    atMax.push(await measureDataCenterTraffic(sandbox, treeWay(MAX_PAGE_SIZE)));
    if (run < longRuns) {
      context.progress(`Data Center: whole project, tree at ${DEFAULT_PAGE_SIZE}, run ${run + 1} of ${longRuns}`);
      atDefault.push(await measureDataCenterTraffic(sandbox, treeWay(DEFAULT_PAGE_SIZE)));
      context.progress(`Data Center: whole project, naive script, run ${run + 1} of ${longRuns} (the slow one)`);
      naive.push(await measureDataCenterTraffic(sandbox, naiveWay));
    }
  }

  const wrongFirst = first.find((run) => run.value !== DEFAULT_PAGE_SIZE);
  if (wrongFirst) throw new Error(`The first page showed ${wrongFirst.value} repositories instead of ${DEFAULT_PAGE_SIZE}.`);
  for (const [name, counts] of [
    ['host', atHost.map((run) => run.value.count)],
    ['tree', atMax.map((run) => run.value)],
    ['tree', atDefault.map((run) => run.value)],
    ['naive script', naive.map((run) => run.value)],
  ] as const) {
    const wrong = counts.find((count) => count !== expected);
    if (wrong !== undefined) throw new Error(`The ${name} listed ${wrong} repositories of ${project} instead of ${expected}.`);
  }

  // The limit the host asked for, read off the server's log; every request of every run must agree.
  const asked = new Set(atHost.flatMap((run) => run.limits));
  if (asked.size !== 1) throw new Error(`The host asked for differing limits: ${[...asked].join(', ')}.`);
  const hostLimit = [...asked][0];
  if (!Number.isInteger(hostLimit) || hostLimit <= 0) throw new Error(`The host sent no usable limit (${hostLimit}).`);
  // What the server applied: the first page is full unless the server capped the limit below what was asked.
  const applied = Math.min(...atHost.map((run) => run.value.firstPage));
  const expectedRequests = Math.ceil(expected / hostLimit);
  const hostRequests = median(atHost.map((run) => run.requests));
  const firstRequests = median(first.map((run) => run.requests));

  result.rows.push(
    { label: 'first page: wall time to first items (ensureLoaded)', unit: 'ms', samples: first.map((run) => run.ms) },
    { label: 'first page: requests', unit: 'count', samples: first.map((run) => run.requests) },
    { label: 'first page: bytes received', unit: 'bytes', samples: first.map((run) => run.bytes) },
    { label: 'first page: bytes per repository', unit: 'bytes', samples: first.map((run) => run.bytes / run.value) },
  );
  const ways: Array<[string, Array<Traffic<unknown>>]> = [
    [`host, limit ${hostLimit} (server's maximum)`, atHost],
    [`tree, page size ${MAX_PAGE_SIZE} (setting's maximum)`, atMax],
    [`tree, page size ${DEFAULT_PAGE_SIZE} (default)`, atDefault],
    [`naive script (limit ${naiveLimit ?? '?'}, nextPageStart)`, naive],
  ];
  for (const [name, measured] of ways) {
    result.rows.push(
      { label: `${name}: requests`, unit: 'count', samples: measured.map((run) => run.requests) },
      { label: `${name}: bytes`, unit: 'bytes', samples: measured.map((run) => run.bytes) },
      { label: `${name}: wall time`, unit: 'ms', samples: measured.map((run) => run.ms) },
    );
  }
  const ratios = (measured: Array<Traffic<unknown>>) => ({
    requests: median(naive.map((run) => run.requests)) / median(measured.map((run) => run.requests)),
    time: median(naive.map((run) => run.ms)) / median(measured.map((run) => run.ms)),
    bytes: median(naive.map((run) => run.bytes)) / median(measured.map((run) => run.bytes)),
  });
  for (const [name, measured] of [
    [`host at ${hostLimit}`, atHost],
    [`tree at ${MAX_PAGE_SIZE}`, atMax],
    [`tree at ${DEFAULT_PAGE_SIZE}`, atDefault],
  ] as const) {
    const ratio = ratios(measured);
    result.rows.push(
      { label: `naive ÷ ${name}: requests`, unit: 'factor', samples: [ratio.requests], derived: true },
      { label: `naive ÷ ${name}: wall time`, unit: 'factor', samples: [ratio.time], derived: true },
      { label: `naive ÷ ${name}: bytes`, unit: 'factor', samples: [ratio.bytes], derived: true },
    );
  }

  result.notes.push(
    `Requests and bytes (response bodies) are read from the Data Center sandbox's request log, as for Cloud; every request carried the personal token and was answered 2xx. ` +
      `The sandbox adds the same ${context.latencyMs} ms to each REST request as the Cloud one.`,
    `The host asked for limit=${hostLimit} (read from the log's query) and the server applied ${applied} (the first page's length); ` +
      `the tree's page size setting stays within ${MAX_PAGE_SIZE}, so Load more took ${plural(median(atDefault.map((run) => run.requests)), 'request')} at ${DEFAULT_PAGE_SIZE}.`,
    'Data Center has no `fields` parameter: the tree, the host and the script all receive whole RestRepository objects (with clone links), ' +
      'so bytes differ only by the page envelope; the gain over a script is in requests and time, not bytes.',
    `To keep the bench short, the naive script and the tree at page size ${DEFAULT_PAGE_SIZE} ran ${plural(longRuns, 'time')}, the rest ${runs}.`,
  );
  result.targets.push(
    {
      name: 'DC first page in one request',
      met: firstRequests === 1,
      figure: `${plural(firstRequests, 'request')} for ${DEFAULT_PAGE_SIZE} repositories`,
    },
    {
      name: `DC whole project in ceil(${expected.toLocaleString('en-US')}/limit) requests, limit ${hostLimit} as the host asked`,
      met: hostRequests === expectedRequests,
      figure: `${plural(hostRequests, 'request')} (ceil = ${expectedRequests}); ${formatValue(median(atHost.map((run) => run.ms)), 'ms')}`,
    },
  );
  return result;
}
