/**
 * The model description file: a small JSON next to an ONNX file that says how to feed the model and
 * how to read its outputs. The shipped baseline is `data/screening/baseline.json`; an administration
 * points `PARCELGATE_SCREENING_MODEL` (or `--model`) at its own description to use its own model.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ParcelgateError } from '../domain/index.js';
import { dataPath } from '../reference/index.js';
import { threatClasses } from './categories.js';

const ThreatClassSchema = Type.Union(threatClasses.map((c) => Type.Literal(c)));

export const ModelDescription = Type.Object(
  {
    format: Type.Literal('parcelgate-screening-model/1'),
    id: Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'Model identifier recorded with every detection',
    }),
    version: Type.String({ minLength: 1, maxLength: 40 }),
    onnx: Type.String({ minLength: 1, description: 'ONNX file, relative to this description' }),
    sha256: Type.Optional(
      Type.String({ pattern: '^[0-9a-f]{64}$', description: 'Digest of the ONNX file, checked on load' }),
    ),
    input: Type.Object(
      {
        name: Type.String({ minLength: 1 }),
        width: Type.Integer({ minimum: 8, maximum: 4096 }),
        height: Type.Integer({ minimum: 8, maximum: 4096 }),
        channels: Type.Union([Type.Literal('rgb'), Type.Literal('bgr'), Type.Literal('gray')]),
        layout: Type.Union([Type.Literal('nchw'), Type.Literal('nhwc')]),
        scale: Type.Number({ exclusiveMinimum: 0 }),
        mean: Type.Array(Type.Number(), { minItems: 1, maxItems: 3 }),
        std: Type.Array(Type.Number({ exclusiveMinimum: 0 }), { minItems: 1, maxItems: 3 }),
      },
      { additionalProperties: false },
    ),
    output: Type.Union([
      Type.Object(
        {
          kind: Type.Literal('centernet'),
          heatmap: Type.String({ description: 'Output [n, classes, h, w], scores in [0, 1]' }),
          boxes: Type.String({
            description: 'Output [n, 4, h, w]: centre offset x, y in cells; width, height as fractions',
          }),
          stride: Type.Integer({ minimum: 1 }),
        },
        { additionalProperties: false },
      ),
      Type.Object(
        {
          kind: Type.Literal('boxes'),
          boxes: Type.String({ description: 'Output [N, 4] or [1, N, 4]: x0, y0, x1, y1' }),
          scores: Type.String({ description: 'Output [N] or [1, N]' }),
          labels: Type.String({ description: 'Output [N] or [1, N]: label index' }),
          normalized: Type.Boolean({
            description: 'Boxes are fractions of the input (true) or input pixels (false)',
          }),
        },
        { additionalProperties: false },
      ),
      Type.Object(
        {
          kind: Type.Literal('classes'),
          scores: Type.String({ description: 'Output [1, labels]: one score per label, no boxes' }),
        },
        { additionalProperties: false },
      ),
    ]),
    labels: Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      description:
        "The model's label names by index; names that are not categories are ignored unless mapped",
    }),
    classMap: Type.Optional(Type.Record(Type.String(), ThreatClassSchema)),
    thresholds: Type.Record(Type.String(), Type.Number({ minimum: 0, maximum: 1 }), {
      description: 'Score from which a detection is reported, per category (missing: 0.5)',
    }),
    training: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false },
);
export type ModelDescription = Static<typeof ModelDescription>;

/** Path of the shipped baseline description. */
export const baselineModelPath = (): string => dataPath('screening', 'baseline.json');

/** Environment variable naming the model description to use instead of the baseline. */
export const modelPathVariable = 'PARCELGATE_SCREENING_MODEL';

const invalid = (file: string, message: string, details: Record<string, unknown> = {}): never => {
  throw new ParcelgateError('screening.model-invalid', `${file}: ${message}`, 500, { file, ...details });
};

/** Reads and checks a description; returns it with the resolved ONNX path. */
export function loadModelDescription(file: string): { description: ModelDescription; onnxPath: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    return invalid(file, `cannot read the model description: ${(e as Error).message}`);
  }
  const first = Value.Errors(ModelDescription, raw).First();
  if (first) return invalid(file, `${first.path || '/'}: ${first.message}`, { path: first.path });
  const description = raw as ModelDescription;
  const onnxPath = path.resolve(path.dirname(file), description.onnx);
  if (!fs.existsSync(onnxPath)) invalid(file, `ONNX file ${onnxPath} does not exist`, { path: '/onnx' });
  if (description.sha256) {
    const digest = createHash('sha256').update(fs.readFileSync(onnxPath)).digest('hex');
    if (digest !== description.sha256)
      invalid(file, `ONNX file digest ${digest} does not match sha256 ${description.sha256}`, {
        path: '/sha256',
      });
  }
  const mapped = description.labels.filter(
    (l) => description.classMap?.[l] ?? (threatClasses as readonly string[]).includes(l),
  );
  if (mapped.length === 0)
    invalid(file, 'no label maps to a screening category; add a classMap', { path: '/labels' });
  return { description, onnxPath };
}
