/**
 * Listing the largest workspace: the first page the way the tree expands a workspace, and the whole
 * workspace the way the tree pages through it, each against a plain script doing the same.
 */
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../src/bitbucket/client';
import { CloudHost } from '../../src/bitbucket/cloudHost';
import { WorkspaceListing } from '../../src/tree/workspaceListing';
import { Section, formatValue, median, section } from './report';
import { BenchContext, Traffic, extensionHost, measureTraffic, plainGet } from './traffic';

/** A listing wired as RepositoriesProvider.listingFor wires it, with the default sort setting. */
function treeListing(host: CloudHost, workspace: string, pageSize: number): WorkspaceListing {
  return new WorkspaceListing(workspace, {
    first: (slug, signal) => host.repositories(slug, { pageSize, sort: 'updated', signal }),
    next: (next, signal) => host.nextRepositories(next, signal),
  });
}

function failIfBroken(listing: WorkspaceListing): void {
  if (listing.error) throw listing.error;
}

export async function measureFirstPage(context: BenchContext): Promise<Section> {
  const { sandbox, runs } = context;
  const workspace = sandbox.credentials.largeWorkspace;
  const result = section(
    `1. First page: expanding ${workspace} (${sandbox.credentials.largeWorkspaceSize.toLocaleString('en-US')} repositories), tree page size ${DEFAULT_PAGE_SIZE}`,
  );
  const fullPageUrl = `${sandbox.apiUrl}/repositories/${workspace}?pagelen=${DEFAULT_PAGE_SIZE}`;

  // Untimed warm-up of both paths: connections, JIT, the sandbox's own caches.
  await treeListing(extensionHost(sandbox), workspace, DEFAULT_PAGE_SIZE).ensureLoaded();
  await plainGet(sandbox, fullPageUrl);

  const tree: Traffic<number>[] = [];
  const full: Traffic<unknown[]>[] = [];
  for (let run = 0; run < runs; run++) {
    context.progress(`first page: run ${run + 1} of ${runs}`);
    const listing = treeListing(extensionHost(sandbox), workspace, DEFAULT_PAGE_SIZE);
    tree.push(
      await measureTraffic(sandbox, async () => {
        await listing.ensureLoaded();
        failIfBroken(listing);
        return listing.repositories.length;
      }),
    );
    full.push(await measureTraffic(sandbox, async () => (await plainGet(sandbox, fullPageUrl)).values));
  }

  const treePerRepository = tree.map((run) => run.bytes / run.value);
  const fullPerRepository = full.map((run) => run.bytes / run.value.length);
  const objectSizes = full[0].value.map((value) => Buffer.byteLength(JSON.stringify(value)));
  const averageObject = objectSizes.reduce((sum, size) => sum + size, 0) / objectSizes.length;
  const factor = median(fullPerRepository) / median(treePerRepository);
  const requests = median(tree.map((run) => run.requests));

  result.rows.push(
    { label: 'wall time to first items (ensureLoaded)', unit: 'ms', samples: tree.map((run) => run.ms) },
    { label: 'requests', unit: 'count', samples: tree.map((run) => run.requests) },
    { label: 'bytes received', unit: 'bytes', samples: tree.map((run) => run.bytes) },
    { label: 'repositories shown', unit: 'count', samples: tree.map((run) => run.value) },
    { label: 'bytes per repository (fields trimmed)', unit: 'bytes', samples: treePerRepository },
    { label: `plain GET, pagelen=${DEFAULT_PAGE_SIZE}, no fields: wall time`, unit: 'ms', samples: full.map((run) => run.ms) },
    { label: 'plain GET: bytes received', unit: 'bytes', samples: full.map((run) => run.bytes) },
    { label: 'plain GET: bytes per repository (full objects)', unit: 'bytes', samples: fullPerRepository },
    { label: 'full ÷ trimmed, bytes per repository', unit: 'factor', samples: [factor], derived: true },
    { label: 'average full repository object (sandbox)', unit: 'bytes', samples: [averageObject], derived: true },
  );
  result.notes.push(
    `Full repository objects here are ${formatValue(Math.min(...objectSizes), 'bytes')}–${formatValue(Math.max(...objectSizes), 'bytes')}, average ${formatValue(averageObject, 'bytes')}; ` +
      'real Bitbucket ones are ~2–3 KB, so these are realistic (at the upper end, which if anything flatters the ratio).',
  );
  result.targets.push(
    { name: 'First page in one request', met: requests === 1, figure: `${requests} request${requests === 1 ? '' : 's'}` },
    {
      name: 'First page ≤ 1/5 of the bytes per repository of full objects',
      met: factor >= 5,
      figure: `${formatValue(median(treePerRepository), 'bytes')} vs ${formatValue(median(fullPerRepository), 'bytes')} per repository (1/${factor.toFixed(1)})`,
    },
  );
  return result;
}

export async function measureWholeWorkspace(context: BenchContext): Promise<Section> {
  const { sandbox, runs, longRuns } = context;
  const workspace = sandbox.credentials.largeWorkspace;
  const expected = sandbox.credentials.largeWorkspaceSize;
  const result = section(`2. Whole workspace: all ${expected.toLocaleString('en-US')} repositories of ${workspace}`);

  const treeWay = (pageSize: number) => async () => {
    const listing = treeListing(extensionHost(sandbox), workspace, pageSize);
    await listing.ensureLoaded();
    failIfBroken(listing);
    while (listing.hasMore) {
      await listing.loadMore();
      failIfBroken(listing);
    }
    return listing.repositories.length;
  };
  // No pagelen (Bitbucket's default of 10), no fields, follow `next` until there is none.
  const naiveWay = async () => {
    let count = 0;
    let url: string | undefined = `${sandbox.apiUrl}/repositories/${workspace}`;
    while (url) {
      const page = await plainGet(sandbox, url);
      count += page.values.length;
      url = page.next;
    }
    return count;
  };

  const atMax: Traffic<number>[] = [];
  const atDefault: Traffic<number>[] = [];
  const naive: Traffic<number>[] = [];
  // Interleaved, so a noisy moment on the machine does not land on one way only.
  for (let run = 0; run < runs; run++) {
    context.progress(`whole workspace: tree at ${MAX_PAGE_SIZE}, run ${run + 1} of ${runs}`);
    atMax.push(await measureTraffic(sandbox, treeWay(MAX_PAGE_SIZE)));
    if (run < longRuns) {
      context.progress(`whole workspace: tree at ${DEFAULT_PAGE_SIZE}, run ${run + 1} of ${longRuns}`);
      atDefault.push(await measureTraffic(sandbox, treeWay(DEFAULT_PAGE_SIZE)));
      context.progress(`whole workspace: naive script, run ${run + 1} of ${longRuns} (the slow one)`);
      naive.push(await measureTraffic(sandbox, naiveWay));
    }
  }
  for (const [name, measured] of [
    ['tree', atMax],
    ['tree', atDefault],
    ['naive script', naive],
  ] as const) {
    const wrong = measured.find((run) => run.value !== expected);
    if (wrong) throw new Error(`The ${name} listed ${wrong.value} repositories instead of ${expected}.`);
  }

  const ways: Array<[string, Traffic<number>[]]> = [
    [`tree, page size ${MAX_PAGE_SIZE} (setting's maximum)`, atMax],
    [`tree, page size ${DEFAULT_PAGE_SIZE} (default)`, atDefault],
    ['naive script (pagelen 10, full objects)', naive],
  ];
  for (const [name, measured] of ways) {
    result.rows.push(
      { label: `${name}: requests`, unit: 'count', samples: measured.map((run) => run.requests) },
      { label: `${name}: bytes`, unit: 'bytes', samples: measured.map((run) => run.bytes) },
      { label: `${name}: wall time`, unit: 'ms', samples: measured.map((run) => run.ms) },
    );
  }
  const ratios = (tree: Traffic<number>[]) => ({
    bytes: median(naive.map((run) => run.bytes)) / median(tree.map((run) => run.bytes)),
    requests: median(naive.map((run) => run.requests)) / median(tree.map((run) => run.requests)),
    time: median(naive.map((run) => run.ms)) / median(tree.map((run) => run.ms)),
  });
  for (const [pageSize, tree] of [
    [MAX_PAGE_SIZE, atMax],
    [DEFAULT_PAGE_SIZE, atDefault],
  ] as const) {
    const ratio = ratios(tree);
    result.rows.push(
      { label: `naive ÷ tree at ${pageSize}: bytes`, unit: 'factor', samples: [ratio.bytes], derived: true },
      { label: `naive ÷ tree at ${pageSize}: requests`, unit: 'factor', samples: [ratio.requests], derived: true },
      { label: `naive ÷ tree at ${pageSize}: wall time`, unit: 'factor', samples: [ratio.time], derived: true },
    );
    result.targets.push(
      {
        name: `Whole workspace, page size ${pageSize}: ≥ 5× fewer bytes than naive`,
        met: ratio.bytes >= 5,
        figure: formatValue(ratio.bytes, 'factor'),
      },
      {
        name: `Whole workspace, page size ${pageSize}: ≥ 4× fewer requests than naive`,
        met: ratio.requests >= 4,
        figure: formatValue(ratio.requests, 'factor'),
      },
    );
  }
  result.notes.push(
    `To keep the bench short, the naive script and the tree at page size ${DEFAULT_PAGE_SIZE} ran ${longRuns} time${longRuns === 1 ? '' : 's'}, the tree at ${MAX_PAGE_SIZE} ${runs}: ` +
      `at ${context.latencyMs} ms a request, the naive script's ${median(naive.map((run) => run.requests))} requests take long.`,
    'Ratios are of medians from this one bench run; the naive script uses node-fetch like the extension, so they compare the approach, not the HTTP library.',
    `On Bitbucket the naive listing alone spends ${median(naive.map((run) => run.requests))} of the 1,000 requests an hour a user may make to /2.0/repositories (the bench raises the sandbox's limit).`,
  );
  return result;
}
