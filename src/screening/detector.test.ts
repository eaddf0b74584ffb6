import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ParcelgateError } from '../domain/index.js';
import { packageRoot } from '../reference/index.js';
import { DeferredDetector, OnnxDetector } from './detector.js';
import type { RgbImage } from './raster.js';
import { scratchDir } from '../testing/scratch.js';

const fixture = path.join(packageRoot, 'src', 'screening', 'testing', 'fixture-boxes.json');
const flat = (value: number, width = 200, height = 100): RgbImage => ({
  width,
  height,
  data: new Uint8Array(width * height * 3).fill(value),
});

describe('ONNX detector with an administration-supplied model description', () => {
  it('maps its labels, input layout and box format onto the screening categories', async () => {
    const d = await OnnxDetector.load(fixture);
    try {
      assert.deepEqual(d.info.classes, ['gun']);
      assert.equal(d.info.id, 'fixture-admin-model');
      // bright image: the 'pistol' score (mean brightness) is 1; the box is in the original image's pixels
      assert.deepEqual(await d.detect(flat(255)), [
        { class: 'gun', score: 1, box: { x0: 20, y0: 10, x1: 100, y1: 50 } },
      ]);
      // dark image: below the 0.5 threshold; the other label is not a category and is never reported
      assert.deepEqual(await d.detect(flat(0)), []);
      assert.equal((await d.detect(flat(0), { minScore: 0 })).length, 1);
    } finally {
      await d.close();
    }
  });

  it('refuses broken descriptions with screening.model-invalid naming the field', async () => {
    const dir = scratchDir('screening-model-');
    try {
      const base = JSON.parse(fs.readFileSync(fixture, 'utf8'));
      fs.copyFileSync(path.join(path.dirname(fixture), base.onnx), path.join(dir, base.onnx));
      const write = (doc: unknown) => {
        const f = path.join(dir, 'm.json');
        fs.writeFileSync(f, JSON.stringify(doc));
        return f;
      };
      const cases: [unknown, RegExp][] = [
        [{ ...base, sha256: 'a'.repeat(64) }, /digest/],
        [{ ...base, onnx: 'missing.onnx' }, /does not exist/],
        [{ ...base, input: { ...base.input, layout: 'chw' } }, /\/input\/layout/],
        [{ ...base, classMap: {} }, /no label maps/],
        [{ ...base, input: { ...base.input, name: 'image' } }, /no input 'image'/],
        [{ ...base, output: { ...base.output, scores: 'nope' } }, /no output 'nope'/],
      ];
      for (const [doc, message] of cases) {
        await assert.rejects(
          OnnxDetector.load(write(doc)),
          (e: ParcelgateError) => e.code === 'screening.model-invalid' && message.test(e.message),
        );
      }
      fs.writeFileSync(path.join(dir, 'bad.json'), '{not json');
      await assert.rejects(
        OnnxDetector.load(path.join(dir, 'bad.json')),
        (e: ParcelgateError) => e.code === 'screening.model-invalid',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses at load a description whose input or outputs do not fit the graph, naming the field', async () => {
    const dir = scratchDir('screening-shape-');
    try {
      const base = JSON.parse(fs.readFileSync(fixture, 'utf8'));
      fs.copyFileSync(path.join(path.dirname(fixture), base.onnx), path.join(dir, base.onnx));
      const baseline = JSON.parse(
        fs.readFileSync(path.join(packageRoot, 'data', 'screening', 'baseline.json'), 'utf8'),
      );
      fs.copyFileSync(
        path.join(packageRoot, 'data', 'screening', baseline.onnx),
        path.join(dir, baseline.onnx),
      );
      const cases: [unknown, string, RegExp][] = [
        // the fixture graph takes [1, 64, 64, 1] (NHWC grey)
        [{ ...base, input: { ...base.input, width: 32 } }, '/input/width', /\[1, 64, 64, 1\]/],
        [{ ...base, input: { ...base.input, layout: 'nchw' } }, '/input/layout', /nchw/],
        [
          { ...base, input: { ...base.input, channels: 'rgb', mean: [0, 0, 0], std: [1, 1, 1] } },
          '/input/channels',
          /rgb/,
        ],
        [
          { ...base, output: { kind: 'classes', scores: base.output.boxes } },
          '/output/scores',
          /one score per label/,
        ],
        [{ ...base, output: { ...base.output, boxes: base.output.scores } }, '/output/boxes', /\[N, 4\]/],
        // the baseline's heatmap and box map swapped, or read at the wrong stride
        [
          {
            ...baseline,
            sha256: undefined,
            output: { ...baseline.output, heatmap: 'boxes', boxes: 'heatmap' },
          },
          '/output/heatmap',
          /5 labels/,
        ],
        [
          { ...baseline, sha256: undefined, output: { ...baseline.output, stride: 4 } },
          '/output/stride',
          /32x32 grid/,
        ],
      ];
      for (const [i, [doc, field, message]] of cases.entries()) {
        const f = path.join(dir, `m${i}.json`);
        fs.writeFileSync(f, JSON.stringify(doc));
        await assert.rejects(OnnxDetector.load(f), (e: ParcelgateError) => {
          assert.equal(e.code, 'screening.model-invalid', `${field}: ${e.message}`);
          assert.equal((e.details as { path?: string }).path, field, e.message);
          assert.match(e.message, message);
          return true;
        });
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a deferred detector checks the description at once and runs the model once it is loaded', async () => {
    const d = new DeferredDetector(fixture);
    try {
      assert.deepEqual(d.info.classes, ['gun']);
      assert.equal((await d.detect(flat(255))).length, 1);
    } finally {
      await d.close();
    }
    assert.throws(
      () => new DeferredDetector(path.join(os.tmpdir(), 'no-such-model.json')),
      (e: ParcelgateError) => e.code === 'screening.model-invalid',
    );
  });
});
