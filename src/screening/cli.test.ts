import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { packageRoot } from '../reference/index.js';
import { scratchDir } from '../testing/scratch.js';

const bin = join(packageRoot, 'bin', 'parcelgate.js');
const tmp = scratchDir('parcelgate-screen-');
after(() => rmSync(tmp, { recursive: true, force: true }));
const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    cwd: tmp,
    env: { ...process.env, CI: 'true' },
  });

test('screen --generate writes sample images; screen reads them back as one NDJSON line each', () => {
  const g = run('screen', '--generate', 'samples', '--count', '4', '--seed', 'cli');
  assert.equal(g.status, 0, g.stderr);
  const truth = JSON.parse(readFileSync(join(tmp, 'samples', 'truth.json'), 'utf8')) as { file: string }[];
  assert.equal(truth.length, 4);
  writeFileSync(join(tmp, 'not-an-image.png'), 'hello');
  const files = [...truth.map((t) => join('samples', t.file)), 'not-an-image.png'];
  const r = run('screen', ...files);
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(lines.length, 5);
  for (const l of lines.slice(0, 4)) {
    assert.equal(l.width, 320);
    assert.match(l.model, /^parcelgate-baseline@/);
    assert.ok(Array.isArray(l.detections));
  }
  assert.equal(lines[3].format, 'jpeg');
  assert.deepEqual(lines[4].error.code, 'screening.image-unsupported-type');
});

test('screen without images or options is a usage error', () => {
  const r = run('screen');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /give image files/);
});

test('serve refuses to start, with exit 2, when the configured X-ray model cannot be loaded', () => {
  const baseline = JSON.parse(
    readFileSync(join(packageRoot, 'data', 'screening', 'baseline.json'), 'utf8'),
  ) as {
    onnx: string;
    sha256?: string;
    input: { width: number };
  };
  delete baseline.sha256;
  // An ONNX file ONNX Runtime cannot read, and the real graph described with the wrong input size.
  writeFileSync(join(tmp, 'garbage.onnx'), 'not a model');
  writeFileSync(join(tmp, 'unreadable.json'), JSON.stringify({ ...baseline, onnx: 'garbage.onnx' }));
  writeFileSync(
    join(tmp, 'wrong-shape.json'),
    JSON.stringify({
      ...baseline,
      onnx: join(packageRoot, 'data', 'screening', 'baseline.onnx'),
      input: { ...baseline.input, width: 96 },
    }),
  );
  for (const [model, problem] of [
    ['unreadable.json', /ONNX Runtime cannot load .*garbage\.onnx/],
    ['wrong-shape.json', /input|width|96/],
  ] as const) {
    const file = join(tmp, model);
    const r = spawnSync(
      process.execPath,
      [bin, 'serve', '--port', '18397', '--data-dir', join(tmp, `serve-${model}`)],
      {
        encoding: 'utf8',
        cwd: tmp,
        // Without the check the server would listen and only fail on its first image.
        timeout: 60_000,
        env: { ...process.env, CI: 'true', PARCELGATE_SCREENING_MODEL: file },
      },
    );
    assert.equal(r.status, 2, `${model}: ${r.stderr}`);
    assert.ok(r.stderr.includes(`the X-ray screening model ${file} cannot be used: `), r.stderr);
    assert.match(r.stderr, /screening\.model-invalid/);
    assert.match(r.stderr, problem);
    assert.doesNotMatch(r.stderr, /parcelgate API on/);
  }
});
