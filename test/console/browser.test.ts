import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { scratchDir } from '../../src/testing/scratch.js';
import {
  browserTestMs,
  closePage,
  launchChromium,
  openPage,
  processesOfProfile,
  skipWithoutChromium,
  within,
} from './browser.js';

test('opening a page fails with a clear error when Chromium never answers, and passes a page through', async () => {
  const silent = { newPage: () => new Promise<Page>(() => undefined) } as unknown as BrowserContext;
  await assert.rejects(openPage(silent, 50), /Chromium opened no page within 0.05 s/);
  const page = {} as Page;
  const answering = { newPage: () => Promise.resolve(page) } as unknown as BrowserContext;
  assert.equal(await openPage(answering, 50), page);
});

test('closing a page that Chromium never closes fails with a clear error', async () => {
  const stuck = { close: () => new Promise<void>(() => undefined) } as unknown as Page;
  await assert.rejects(closePage(stuck, 20), { message: 'Chromium did not close the page within 0.02 s' });
  let closed = false;
  const closing = { close: async () => void (closed = true) } as unknown as Page;
  await closePage(closing, 20);
  assert.ok(closed);
});

test('within passes a result or a failure through, and names what did not happen in time', async () => {
  assert.equal(await within(Promise.resolve(7), 50, 'never'), 7);
  await assert.rejects(within(Promise.reject(new Error('own failure')), 50, 'never'), /own failure/);
  await assert.rejects(within(new Promise(() => undefined), 20, 'the page did not count'), {
    message: 'the page did not count within 0.02 s',
  });
});

test('the processes of a profile are found by their exact --user-data-dir', async () => {
  const proc = scratchDir('parcelgate-proc-');
  const fake = (pid: number, argv: string[]) => {
    mkdirSync(join(proc, String(pid)));
    writeFileSync(join(proc, String(pid), 'cmdline'), argv.map((a) => `${a}\0`).join(''));
  };
  fake(11, ['chromium', '--user-data-dir=/tmp/p1', '--headless']);
  fake(12, ['chromium', '--type=renderer', '--user-data-dir=/tmp/p1']);
  fake(13, ['chromium', '--user-data-dir=/tmp/p10']);
  fake(15, ['chromium --type=renderer --user-data-dir=/tmp/p1 --no-sandbox']);
  fake(16, ['chromium --type=renderer --user-data-dir=/tmp/p1']);
  fake(17, ['chromium --type=renderer --user-data-dir=/tmp/p1x --no-sandbox']);
  mkdirSync(join(proc, 'self'));
  mkdirSync(join(proc, '14')); // gone before its command line is read
  assert.deepEqual(processesOfProfile('/tmp/p1', proc).sort(), [11, 12, 15, 16]);
  assert.deepEqual(processesOfProfile('/tmp/p2', proc), []);
  assert.deepEqual(processesOfProfile('/tmp/p1', join(proc, 'absent')), []);

  // And on the real /proc, a live process.
  const dir = scratchDir('parcelgate-profile-');
  const child = spawn(process.execPath, [
    '-e',
    'setInterval(() => {}, 1000)',
    '--',
    `--user-data-dir=${dir}`,
  ]);
  try {
    await once(child, 'spawn');
    assert.deepEqual(processesOfProfile(dir), [child.pid]);
  } finally {
    child.kill('SIGKILL');
  }
});

test(
  'a Chromium that stops answering is ended when it does not close in time, leaving no process of its profile',
  { skip: skipWithoutChromium, timeout: browserTestMs },
  async () => {
    const browser = await launchChromium(undefined, 2_000);
    const page = await openPage(browser.context);
    await page.setContent('<h1>open</h1>');
    const pids = processesOfProfile(browser.profile);
    const said: string[] = [];
    const write = process.stderr.write;
    try {
      assert.ok(
        pids.length >= 3,
        `Chromium, its zygote and renderers run under the profile (${pids.length})`,
      );
      // Frozen, it answers nothing: a close without a limit would never return.
      for (const pid of pids) process.kill(pid, 'SIGSTOP');
      process.stderr.write = (chunk: string | Uint8Array) => said.push(String(chunk)) > 0;
      await browser.close();
    } finally {
      process.stderr.write = write;
      for (const pid of processesOfProfile(browser.profile)) process.kill(pid, 'SIGKILL');
    }
    assert.match(said.join(''), /^Chromium did not close within 2 s; ended its \d+ processes\n$/);
    assert.deepEqual(processesOfProfile(browser.profile), []);
  },
);
