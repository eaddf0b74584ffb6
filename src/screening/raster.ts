/** Decoded images as plain RGB rasters, resizing, PNG/JPEG encoding and the model input tensor layout. */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** An 8-bit RGB image, row-major, 3 bytes per pixel. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Drops the alpha channel of RGBA pixels, compositing them over white (transparent areas read as empty belt). */
export function rgbaToRgb(width: number, height: number, rgba: Uint8Array): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < width * height; i++, j += 3) {
    const a = rgba[i * 4 + 3]! / 255;
    data[j] = Math.round(rgba[i * 4]! * a + 255 * (1 - a));
    data[j + 1] = Math.round(rgba[i * 4 + 1]! * a + 255 * (1 - a));
    data[j + 2] = Math.round(rgba[i * 4 + 2]! * a + 255 * (1 - a));
  }
  return { width, height, data };
}

/**
 * Resizes by area averaging (each output pixel is the mean of the input pixels it covers, with
 * fractional weights at the edges): the same filter for any scale, exact for integer factors.
 */
export function resizeArea(img: RgbImage, width: number, height: number): RgbImage {
  const out = new Uint8Array(width * height * 3);
  const sx = img.width / width;
  const sy = img.height / height;
  const acc = new Float64Array(3);
  for (let oy = 0; oy < height; oy++) {
    const y0 = oy * sy;
    const y1 = y0 + sy;
    for (let ox = 0; ox < width; ox++) {
      const x0 = ox * sx;
      const x1 = x0 + sx;
      acc.fill(0);
      let total = 0;
      for (let iy = Math.floor(y0); iy < Math.min(Math.ceil(y1), img.height); iy++) {
        const wy = Math.min(y1, iy + 1) - Math.max(y0, iy);
        if (wy <= 0) continue;
        for (let ix = Math.floor(x0); ix < Math.min(Math.ceil(x1), img.width); ix++) {
          const wx = Math.min(x1, ix + 1) - Math.max(x0, ix);
          if (wx <= 0) continue;
          const w = wx * wy;
          const p = (iy * img.width + ix) * 3;
          acc[0]! += img.data[p]! * w;
          acc[1]! += img.data[p + 1]! * w;
          acc[2]! += img.data[p + 2]! * w;
          total += w;
        }
      }
      const o = (oy * width + ox) * 3;
      out[o] = Math.round(acc[0]! / total);
      out[o + 1] = Math.round(acc[1]! / total);
      out[o + 2] = Math.round(acc[2]! / total);
    }
  }
  return { width, height, data: out };
}

/** Encodes an RGB image as PNG (colour type 2, 8 bits). */
export function encodePng(img: RgbImage): Buffer {
  const png = new PNG({
    width: img.width,
    height: img.height,
    colorType: 2,
    inputColorType: 2,
    inputHasAlpha: false,
  });
  png.data = Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength);
  return PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false });
}

/** Encodes an RGB image as baseline JPEG at `quality` (1-100). */
export function encodeJpeg(img: RgbImage, quality = 90): Buffer {
  const rgba = new Uint8Array(img.width * img.height * 4);
  for (let i = 0; i < img.width * img.height; i++) {
    rgba[i * 4] = img.data[i * 3]!;
    rgba[i * 4 + 1] = img.data[i * 3 + 1]!;
    rgba[i * 4 + 2] = img.data[i * 3 + 2]!;
    rgba[i * 4 + 3] = 255;
  }
  return jpeg.encode({ width: img.width, height: img.height, data: rgba }, quality).data;
}
