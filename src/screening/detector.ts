/**
 * The detector port and its ONNX Runtime implementation. A detector takes a decoded image and returns
 * prohibited-item detections with scores and boxes in the image's own pixels.
 */
import ort from 'onnxruntime-node';
import { ParcelgateError } from '../domain/index.js';
import { isThreatClass, suppress, type Detection, type ThreatClass } from './categories.js';
import {
  baselineModelPath,
  loadModelDescription,
  modelPathVariable,
  type ModelDescription,
} from './model-description.js';
import { modelShapeMismatch, type TensorShape } from './model-shapes.js';
import { channelCount, toTensor } from './preprocess.js';
import type { RgbImage } from './raster.js';

/** What a detector says about itself (recorded with every screening). */
export interface ModelInfo {
  id: string;
  version: string;
  /** Categories this model can report. */
  classes: ThreatClass[];
  thresholds: Record<ThreatClass, number>;
}

export interface DetectOptions {
  /** Report candidates from this score instead of the per-class thresholds (for evaluation curves). */
  minScore?: number;
}

/** The detector port: any model, local or remote, that reports detections for an image. */
export interface Detector {
  readonly info: ModelInfo;
  detect(image: RgbImage, opts?: DetectOptions): Promise<Detection[]>;
  close(): Promise<void>;
}

type Output = ModelDescription['output'];

/** The categories and thresholds a description declares. */
export function modelInfo(description: ModelDescription): ModelInfo {
  const map = labelMapper(description);
  const classes = [
    ...new Set(description.labels.map((_, i) => map(i)).filter((c): c is ThreatClass => c !== undefined)),
  ];
  const thresholds = Object.fromEntries(classes.map((c) => [c, description.thresholds[c] ?? 0.5])) as Record<
    ThreatClass,
    number
  >;
  return { id: description.id, version: description.version, classes, thresholds };
}

/** The model file chosen: `file`, else $PARCELGATE_SCREENING_MODEL, else the shipped baseline. */
export const chosenModelPath = (file?: string): string =>
  file ?? process.env[modelPathVariable] ?? baselineModelPath();

/** Maps a model label index to a category (undefined: ignored label). */
function labelMapper(d: ModelDescription): (index: number) => ThreatClass | undefined {
  const table = d.labels.map((l) => d.classMap?.[l] ?? (isThreatClass(l) ? l : undefined));
  return (i) => table[i];
}

/** Decodes CenterNet-style outputs: 3x3 local maxima of the heatmap, boxes from the box map. */
function decodeCenterNet(
  heat: Float32Array,
  box: Float32Array,
  dims: readonly number[],
  out: Extract<Output, { kind: 'centernet' }>,
  d: ModelDescription,
  image: RgbImage,
  floor: (c: ThreatClass) => number,
  mapLabel: (i: number) => ThreatClass | undefined,
): Detection[] {
  const [, classes = 0, h = 0, w = 0] = dims;
  const found: Detection[] = [];
  for (let c = 0; c < classes; c++) {
    const cls = mapLabel(c);
    if (cls === undefined) continue;
    const min = floor(cls);
    const base = c * h * w;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const s = heat[base + y * w + x]!;
        if (s < min) continue;
        let peak = true;
        for (let dy = -1; dy <= 1 && peak; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const yy = y + dy;
            const xx = x + dx;
            if ((dx || dy) && yy >= 0 && yy < h && xx >= 0 && xx < w && heat[base + yy * w + xx]! > s) {
              peak = false;
              break;
            }
          }
        }
        if (!peak) continue;
        const at = y * w + x;
        const cx = ((x + box[at]!) * out.stride) / d.input.width;
        const cy = ((y + box[h * w + at]!) * out.stride) / d.input.height;
        const bw = box[2 * h * w + at]!;
        const bh = box[3 * h * w + at]!;
        found.push({
          class: cls,
          score: s,
          box: toPixels(cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2, image),
        });
      }
    }
  }
  return found;
}

function toPixels(x0: number, y0: number, x1: number, y1: number, image: RgbImage) {
  const clamp = (v: number, max: number) => Math.max(0, Math.min(max, Math.round(v * max)));
  return {
    x0: clamp(x0, image.width),
    y0: clamp(y0, image.height),
    x1: clamp(x1, image.width),
    y1: clamp(y1, image.height),
  };
}

const round = (s: number): number => Math.round(s * 10_000) / 10_000;

/** Runs an ONNX model described by a model description file. */
export class OnnxDetector implements Detector {
  private constructor(
    readonly info: ModelInfo,
    private readonly description: ModelDescription,
    private readonly session: ort.InferenceSession,
  ) {}

  /** Loads the model named by `file`, else $PARCELGATE_SCREENING_MODEL, else the shipped baseline. */
  static async load(file?: string): Promise<OnnxDetector> {
    const chosen = chosenModelPath(file);
    const { description, onnxPath } = loadModelDescription(chosen);
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(onnxPath, {
        executionProviders: ['cpu'],
        intraOpNumThreads: 1,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
      });
    } catch (e) {
      throw new ParcelgateError(
        'screening.model-invalid',
        `${chosen}: ONNX Runtime cannot load ${onnxPath}: ${(e as Error).message}`,
        500,
        {
          file: chosen,
        },
      );
    }
    const names = new Set([...session.inputNames]);
    if (!names.has(description.input.name))
      throw new ParcelgateError(
        'screening.model-invalid',
        `${chosen}: the model has no input '${description.input.name}' (it has ${[...names].join(', ')})`,
        500,
        {
          file: chosen,
          path: '/input/name',
        },
      );
    const outputs = new Set(session.outputNames);
    const wanted = Object.entries(description.output).filter(
      ([k]) => k !== 'kind' && k !== 'stride' && k !== 'normalized',
    );
    for (const [key, name] of wanted) {
      if (!outputs.has(String(name)))
        throw new ParcelgateError(
          'screening.model-invalid',
          `${chosen}: the model has no output '${String(name)}' (it has ${session.outputNames.join(', ')})`,
          500,
          {
            file: chosen,
            path: `/output/${key}`,
          },
        );
    }
    const mismatch = modelShapeMismatch(
      description,
      session.inputMetadata as readonly TensorShape[],
      session.outputMetadata as readonly TensorShape[],
    );
    if (mismatch !== undefined)
      throw new ParcelgateError('screening.model-invalid', `${chosen}: ${mismatch.message}`, 500, {
        file: chosen,
        path: mismatch.path,
      });
    return new OnnxDetector(modelInfo(description), description, session);
  }

  async detect(image: RgbImage, opts: DetectOptions = {}): Promise<Detection[]> {
    const d = this.description;
    const c = channelCount(d.input);
    const data = new Float32Array(c * d.input.width * d.input.height);
    toTensor(image, d.input, data);
    const dims =
      d.input.layout === 'nchw'
        ? [1, c, d.input.height, d.input.width]
        : [1, d.input.height, d.input.width, c];
    let results: ort.InferenceSession.ReturnType;
    try {
      results = await this.session.run({ [d.input.name]: new ort.Tensor('float32', data, dims) });
    } catch (e) {
      throw new ParcelgateError(
        'screening.model-failed',
        `model ${this.info.id} failed: ${(e as Error).message}`,
        500,
      );
    }
    const floor = (cls: ThreatClass) => opts.minScore ?? this.info.thresholds[cls] ?? 0.5;
    const mapLabel = labelMapper(d);
    const out = d.output;
    const f32 = (name: string): ort.Tensor => {
      const t = results[name];
      if (!t)
        throw new ParcelgateError(
          'screening.model-failed',
          `model ${this.info.id} produced no output '${name}'`,
          500,
        );
      return t;
    };
    const numbers = (t: ort.Tensor): number[] =>
      Array.from(t.data as ArrayLike<number | bigint>, (v) => Number(v));
    let found: Detection[] = [];
    if (out.kind === 'centernet') {
      const heat = f32(out.heatmap);
      found = decodeCenterNet(
        heat.data as Float32Array,
        f32(out.boxes).data as Float32Array,
        heat.dims,
        out,
        d,
        image,
        floor,
        mapLabel,
      );
    } else if (out.kind === 'boxes') {
      const boxes = numbers(f32(out.boxes));
      const scores = numbers(f32(out.scores));
      const labels = numbers(f32(out.labels));
      for (let i = 0; i < scores.length; i++) {
        const cls = mapLabel(labels[i]!);
        if (cls === undefined || scores[i]! < floor(cls)) continue;
        const sx = out.normalized ? 1 : 1 / d.input.width;
        const sy = out.normalized ? 1 : 1 / d.input.height;
        found.push({
          class: cls,
          score: scores[i]!,
          box: toPixels(
            boxes[i * 4]! * sx,
            boxes[i * 4 + 1]! * sy,
            boxes[i * 4 + 2]! * sx,
            boxes[i * 4 + 3]! * sy,
            image,
          ),
        });
      }
    } else {
      const scores = numbers(f32(out.scores));
      scores.forEach((s, i) => {
        const cls = mapLabel(i);
        if (cls !== undefined && s >= floor(cls))
          found.push({ class: cls, score: s, box: { x0: 0, y0: 0, x1: image.width, y1: image.height } });
      });
    }
    return suppress(found).map((f) => ({ ...f, score: round(f.score) }));
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

/**
 * A detector whose description is checked at once while the ONNX session is created in the
 * background; the first image waits for it, and a broken ONNX file fails only there. `serve` loads
 * its model whole before it listens instead (`loadScreeningModel`, docs/screening.md).
 */
export class DeferredDetector implements Detector {
  readonly info: ModelInfo;
  private readonly loading: Promise<OnnxDetector>;

  constructor(file?: string) {
    this.info = modelInfo(loadModelDescription(chosenModelPath(file)).description);
    this.loading = OnnxDetector.load(file);
    this.loading.catch(() => undefined);
  }

  async detect(image: RgbImage, opts?: DetectOptions): Promise<Detection[]> {
    return (await this.loading).detect(image, opts);
  }

  async close(): Promise<void> {
    const d = await this.loading.catch(() => undefined);
    await d?.close();
  }
}
