/**
 * Searching the largest workspace on the server: one settled query, and a user typing it key by key
 * through the search box's own debounce.
 */
import { performance } from 'node:perf_hooks';
import { DEFAULT_PAGE_SIZE } from '../../src/bitbucket/client';
import { SEARCH_DEBOUNCE_MS, SettledSearch } from '../../src/ui/settledSearch';
import { Section, formatValue, median, section } from './report';
import { BenchContext, Traffic, extensionHost, measureTraffic, sleep } from './traffic';

const KEYSTROKE_INTERVAL_MS = 100;
const TYPED = ['0', '00', '004', '0042'];

interface TypingRun {
  readonly requests: number;
  /** From the last keystroke to the results for the full text. */
  readonly msAfterLastKey: number;
}

async function typeQuery(context: BenchContext, debounceMs: number): Promise<TypingRun> {
  const { sandbox } = context;
  const workspace = sandbox.credentials.largeWorkspace;
  const finalText = TYPED[TYPED.length - 1];
  let lastKey = 0;
  let settled!: () => void;
  let failed!: (error: unknown) => void;
  const done = new Promise<number>((resolve, reject) => {
    settled = () => resolve(performance.now());
    failed = reject;
  });
  const host = extensionHost(sandbox);
  // The search box's own logic, with the search it runs (src/commands/repositorySearch.ts).
  const search = new SettledSearch(
    async (text, signal) => (await host.repositories(workspace, { nameContains: text, pageSize: DEFAULT_PAGE_SIZE, signal })).values,
    (_repositories, text) => {
      if (text === finalText) settled();
    },
    (error) => failed(error),
    () => undefined,
    debounceMs,
  );
  sandbox.clearRequests();
  for (const [index, text] of TYPED.entries()) {
    if (index > 0) await sleep(KEYSTROKE_INTERVAL_MS);
    lastKey = performance.now();
    search.type(text);
  }
  const answered = await done;
  // Requests cancelled by the client may still be on their way in; give them time to be logged.
  await sleep(context.latencyMs + 200);
  search.cancel();
  const requests = sandbox.requests.filter((entry) => !entry.git && entry.path === `/2.0/repositories/${workspace}`).length;
  return { requests, msAfterLastKey: answered - lastKey };
}

export async function measureSearch(context: BenchContext): Promise<Section> {
  const { sandbox, runs } = context;
  const workspace = sandbox.credentials.largeWorkspace;
  const result = section(`3. Search: name ~ "0042" in ${workspace}, page size ${DEFAULT_PAGE_SIZE}`);
  const settledQuery = () => extensionHost(sandbox).repositories(workspace, { nameContains: '0042', pageSize: DEFAULT_PAGE_SIZE });

  await settledQuery(); // warm-up
  const settled: Traffic<number>[] = [];
  const typed: TypingRun[] = [];
  const undebounced: TypingRun[] = [];
  for (let run = 0; run < runs; run++) {
    context.progress(`search: run ${run + 1} of ${runs}`);
    settled.push(await measureTraffic(sandbox, async () => (await settledQuery()).values.length));
    typed.push(await typeQuery(context, SEARCH_DEBOUNCE_MS));
    undebounced.push(await typeQuery(context, 0));
  }

  const settledRequests = median(settled.map((run) => run.requests));
  const typedRequests = Math.max(...typed.map((run) => run.requests));
  result.rows.push(
    { label: 'settled query: requests', unit: 'count', samples: settled.map((run) => run.requests) },
    { label: 'settled query: wall time', unit: 'ms', samples: settled.map((run) => run.ms) },
    { label: 'settled query: matches', unit: 'count', samples: settled.map((run) => run.value) },
    { label: `typing "${TYPED.join('", "')}", debounced: requests`, unit: 'count', samples: typed.map((run) => run.requests) },
    { label: 'typing, debounced: last key to results', unit: 'ms', samples: typed.map((run) => run.msAfterLastKey) },
    { label: 'same typing, no debounce: requests', unit: 'count', samples: undebounced.map((run) => run.requests) },
    { label: 'same typing, no debounce: last key to results', unit: 'ms', samples: undebounced.map((run) => run.msAfterLastKey) },
  );
  result.notes.push(
    `Keys ${KEYSTROKE_INTERVAL_MS} ms apart, through the extension's SettledSearch (src/ui/settledSearch.ts, pause ${SEARCH_DEBOUNCE_MS} ms); "no debounce" is the same with a pause of 0.`,
    'Opening the search box also sends one request for the unfiltered list before anything is typed; it is not counted here.',
  );
  result.targets.push(
    { name: 'Search: one request per settled query', met: settledRequests === 1, figure: requestsText(settledRequests) },
    {
      name: `Search: typing ${TYPED.length} keys ${KEYSTROKE_INTERVAL_MS} ms apart reaches the server once`,
      met: typedRequests === 1,
      figure: `at most ${requestsText(typedRequests)} in ${typed.length} runs (without the debounce: ${requestsText(median(undebounced.map((run) => run.requests)))})`,
    },
  );
  return result;
}

function requestsText(count: number): string {
  return `${formatValue(count, 'count')} request${count === 1 ? '' : 's'}`;
}
