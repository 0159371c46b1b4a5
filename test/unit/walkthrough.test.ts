/**
 * The Get Started walkthrough: what it says and links to is what the extension has (its commands, its view, the context key it sets, the token facts the sign-in flow states).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import { ACCESS_TOKEN_HELP_PAGE, API_TOKEN_PAGE, REQUIRED_SCOPES } from '../../src/auth/tokenHelp';
import { Commands } from '../../src/common/commandIds';
import { WALKTHROUGH_ID } from '../../src/walkthrough/walkthroughId';
import { localizedManifest, repoRoot } from '../harness/paths';

interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: unknown; svg?: string };
  completionEvents?: string[];
}
interface Manifest {
  contributes: {
    walkthroughs: { id: string; title: string; steps: Step[] }[];
    commands: { command: string; title: string; category?: string }[];
    views: Record<string, { id: string }[]>;
  };
}

const manifest = localizedManifest<Manifest>();
const walkthrough = manifest.contributes.walkthroughs.find((entry) => entry.id === WALKTHROUGH_ID);
const commandIds = new Set(manifest.contributes.commands.map((command) => command.command));
const viewIds = new Set(Object.values(manifest.contributes.views).flatMap((views) => views.map((view) => view.id)));
const stepMedia = (step: Step) => fs.readFileSync(path.join(repoRoot, step.media.markdown ?? ''), 'utf8');

describe('the walkthrough in package.json', () => {
  it('has the id the extension opens, and five steps', () => {
    assert.ok(walkthrough, `no walkthrough "${WALKTHROUGH_ID}" in package.json`);
    assert.deepEqual(
      walkthrough.steps.map((step) => step.id),
      ['signIn', 'findRepository', 'clone', 'openWithoutCloning', 'createRepository'],
    );
  });

  it('has "Bitbucket: Get Started" in the palette', () => {
    const command = manifest.contributes.commands.find((entry) => entry.command === Commands.openWalkthrough);
    assert.deepEqual(command, { command: 'bitbucket.openWalkthrough', title: 'Get Started', category: 'Bitbucket' });
  });

  it('gives every step a button for a command the extension contributes, and a media file under media/walkthrough/', () => {
    for (const step of walkthrough!.steps) {
      const buttons = [...step.description.matchAll(/\]\(command:([\w.]+)\)/g)].map((match) => match[1]);
      assert.ok(buttons.length > 0, `${step.id} has a command button`);
      for (const id of buttons) assert.ok(commandIds.has(id), `${step.id}: ${id} is a contributed command`);
      assert.match(step.media.markdown ?? '', /^media\/walkthrough\/[\w-]+\.md$/, `${step.id}: markdown media`);
      assert.ok(stepMedia(step).trim().length > 0, `${step.id}: ${step.media.markdown} exists and says something`);
    }
  });

  it('ticks every step by itself: a context key the extension sets, its view, or its commands', () => {
    for (const step of walkthrough!.steps) {
      assert.ok((step.completionEvents ?? []).length > 0, `${step.id} has completion events`);
      for (const event of step.completionEvents!) {
        const [kind, argument] = [event.slice(0, event.indexOf(':')), event.slice(event.indexOf(':') + 1)];
        if (kind === 'onCommand') assert.ok(commandIds.has(argument), `${step.id}: ${argument} is a contributed command`);
        else if (kind === 'onView') assert.ok(viewIds.has(argument), `${step.id}: ${argument} is a contributed view`);
        // AUTH_STATE_CONTEXT_KEY in src/auth/accounts.ts, which sets it to signedOut, signedIn or expired.
        else if (kind === 'onContext') assert.equal(argument, 'bitbucket.authState == signedIn');
        else assert.fail(`${step.id}: unexpected completion event ${event}`);
      }
    }
  });

  it('says where to create a token and which scopes it needs, as the sign-in flow and the README do', () => {
    const signIn = walkthrough!.steps.find((step) => step.id === 'signIn')!;
    const media = stepMedia(signIn);
    const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    for (const text of [API_TOKEN_PAGE, ACCESS_TOKEN_HELP_PAGE, ...REQUIRED_SCOPES]) {
      assert.ok(media.includes(text), `signIn.md names ${text}`);
    }
    assert.ok(signIn.description.includes(`(${API_TOKEN_PAGE})`), 'the step links to the API token page');
    const scopes = [...media.matchAll(/`([a-z]+:[a-z]+:bitbucket)`/g)].map((match) => match[1]);
    assert.deepEqual(scopes, [...REQUIRED_SCOPES], 'no scope more or less than the sign-in flow asks for');
    const dataCenterLinks = [...media.matchAll(/\((https:\/\/confluence\.atlassian\.com\/[^)]+)\)/g)].map((match) => match[1]);
    assert.ok(dataCenterLinks.length > 0, 'signIn.md links to the Data Center HTTP access token page');
    for (const link of dataCenterLinks) assert.ok(readme.includes(link), `README.md links to ${link} too`);
    assert.match(signIn.description, /HTTP access token/);
  });
});
