/** The model input: an RGB raster resized to the model's size and laid out as a float tensor. */
import { resizeArea, type RgbImage } from './raster.js';

/** How a model wants its input (from the model description file). */
export interface InputSpec {
  width: number;
  height: number;
  /** Channel order: `rgb`, `bgr` or `gray` (mean of R, G, B). */
  channels: 'rgb' | 'bgr' | 'gray';
  layout: 'nchw' | 'nhwc';
  /** Multiplies each 0-255 value before mean and std: 1/255 maps to [0, 1]. */
  scale: number;
  mean: number[];
  std: number[];
}

/** Number of channels an input spec produces. */
export const channelCount = (spec: InputSpec): number => (spec.channels === 'gray' ? 1 : 3);

/** Writes one image into `out` at `offset` (floats) in the spec's layout; returns the number of floats written. */
export function toTensor(img: RgbImage, spec: InputSpec, out: Float32Array, offset = 0): number {
  const resized =
    img.width === spec.width && img.height === spec.height ? img : resizeArea(img, spec.width, spec.height);
  const c = channelCount(spec);
  const plane = spec.width * spec.height;
  const order = spec.channels === 'bgr' ? [2, 1, 0] : [0, 1, 2];
  for (let i = 0; i < plane; i++) {
    const p = i * 3;
    for (let k = 0; k < c; k++) {
      const raw =
        spec.channels === 'gray'
          ? (resized.data[p]! + resized.data[p + 1]! + resized.data[p + 2]!) / 3
          : resized.data[p + order[k]!]!;
      const v = (raw * spec.scale - (spec.mean[k] ?? 0)) / (spec.std[k] ?? 1);
      out[offset + (spec.layout === 'nchw' ? k * plane + i : i * c + k)] = v;
    }
  }
  return plane * c;
}
