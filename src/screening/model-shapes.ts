/**
 * Checks a model description against the tensor shapes its ONNX graph declares, so that a model whose
 * input size, layout, channels or outputs do not match is refused at start-up (`screening.model-invalid`)
 * rather than failing, or answering nonsense, on every image.
 */
import type { ModelDescription } from './model-description.js';
import { channelCount } from './preprocess.js';

/** A graph input or output as ONNX Runtime describes it: symbolic dimensions are strings. */
export interface TensorShape {
  name: string;
  shape?: readonly (number | string)[];
}

/** A mismatch between the description and the graph, with the description field it concerns. */
export interface ShapeMismatch {
  path: string;
  message: string;
}

const fixed = (d: number | string | undefined): d is number => typeof d === 'number' && d >= 0;
const show = (shape: readonly (number | string)[]): string => `[${shape.join(', ')}]`;

/** The first mismatch between what the description feeds and reads and what the graph declares, if any. */
export function modelShapeMismatch(
  d: ModelDescription,
  inputs: readonly TensorShape[],
  outputs: readonly TensorShape[],
): ShapeMismatch | undefined {
  const input = inputs.find((i) => i.name === d.input.name)?.shape;
  if (input !== undefined) {
    const c = channelCount(d.input);
    const { width, height, layout } = d.input;
    const fed = layout === 'nchw' ? [1, c, height, width] : [1, height, width, c];
    const fields =
      layout === 'nchw' ? ['', 'channels', 'height', 'width'] : ['', 'height', 'width', 'channels'];
    if (input.length !== 4)
      return {
        path: '/input/name',
        message: `input '${d.input.name}' has shape ${show(input)}, not a batch of images (4 dimensions)`,
      };
    const other = layout === 'nchw' ? [1, height, width, c] : [1, c, height, width];
    const fits = (dims: number[]) => [1, 2, 3].every((i) => !fixed(input[i]) || input[i] === dims[i]);
    for (let i = 1; i < 4; i++) {
      const want = input[i];
      if (fixed(want) && want !== fed[i])
        return {
          path: fits(other) ? '/input/layout' : `/input/${fields[i]}`,
          message:
            `input '${d.input.name}' has shape ${show(input)} but the description feeds ${show(fed)} ` +
            `(${layout}, ${d.input.channels}, ${width}x${height})`,
        };
    }
  }
  const shapeOf = (name: string) => outputs.find((o) => o.name === name)?.shape;
  const labels = d.labels.length;
  const out = d.output;
  const expect = (
    key: string,
    name: string,
    ok: (s: readonly (number | string)[]) => boolean,
    what: string,
  ): ShapeMismatch | undefined => {
    const s = shapeOf(name);
    if (s === undefined || ok(s)) return undefined;
    return { path: `/output/${key}`, message: `output '${name}' has shape ${show(s)}, expected ${what}` };
  };
  const dimIs = (s: readonly (number | string)[], i: number, n: number) => !fixed(s[i]) || s[i] === n;
  if (out.kind === 'centernet') {
    return (
      expect(
        'heatmap',
        out.heatmap,
        (s) => s.length === 4 && dimIs(s, 1, labels),
        `[n, ${labels} labels, h, w]`,
      ) ??
      expect('boxes', out.boxes, (s) => s.length === 4 && dimIs(s, 1, 4), '[n, 4, h, w]') ??
      expect(
        'stride',
        out.heatmap,
        (s) => dimIs(s, 2, d.input.height / out.stride) && dimIs(s, 3, d.input.width / out.stride),
        `a ${d.input.width / out.stride}x${d.input.height / out.stride} grid (input ${d.input.width}x${d.input.height} at stride ${out.stride})`,
      )
    );
  }
  if (out.kind === 'boxes') {
    const list = (s: readonly (number | string)[]) => s.length === 1 || s.length === 2;
    return (
      expect(
        'boxes',
        out.boxes,
        (s) => (s.length === 2 || s.length === 3) && dimIs(s, s.length - 1, 4),
        '[N, 4] or [1, N, 4]',
      ) ??
      expect('scores', out.scores, list, '[N] or [1, N]') ??
      expect('labels', out.labels, list, '[N] or [1, N]')
    );
  }
  return expect(
    'scores',
    out.scores,
    (s) => s.length === 2 && dimIs(s, 1, labels),
    `[1, ${labels}] (one score per label)`,
  );
}
