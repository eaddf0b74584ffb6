/**
 * Screening throughput, as ratios against image decoding alone in the same run:
 *   decode   check + decode of 640x480 PNG scanner images (the baseline)
 *   prepare  decode + resize to the model input + tensor layout
 *   screen   decode + prepare + ONNX inference (one image at a time, one intra-op thread) + box decoding
 * `node dist/bench/run.js screening`; BENCH_SCREEN_IMAGES sets the number of images (default 40).
 */
import { Prng } from '../src/sim/prng.js';
import { checkImage, encodePng, generateImage, OnnxDetector } from '../src/screening/index.js';
import { toTensor } from '../src/screening/preprocess.js';
import { loadModelDescription, baselineModelPath } from '../src/screening/model-description.js';

export async function benchScreening(say: (line: string) => void): Promise<void> {
  const n = Number(process.env.BENCH_SCREEN_IMAGES ?? 40);
  const files = Array.from({ length: n }, (_, i) =>
    encodePng(generateImage(new Prng(`bench:${i}`), { width: 640, height: 480 }).image),
  );
  const detector = await OnnxDetector.load();
  const { description } = loadModelDescription(baselineModelPath());
  const tensor = new Float32Array(3 * description.input.width * description.input.height);
  // warm-up
  await detector.detect(checkImage(files[0]!).rgb);
  const time = async (body: (b: Buffer) => Promise<void> | void): Promise<number> => {
    const t0 = performance.now();
    for (const f of files) await body(f);
    return (n / (performance.now() - t0)) * 1000;
  };
  const decode = await time((f) => void checkImage(f));
  const prepare = await time((f) => void toTensor(checkImage(f).rgb, description.input, tensor));
  const screen = await time(async (f) => void (await detector.detect(checkImage(f).rgb)));
  await detector.close();
  say(
    `screening: ${n} generated 640x480 PNG scanner images, model ${detector.info.id}@${detector.info.version}`,
  );
  say(`  decode only            ${decode.toFixed(1).padStart(7)} images/s  (baseline)`);
  say(
    `  decode + prepare       ${prepare.toFixed(1).padStart(7)} images/s  (${(prepare / decode).toFixed(2)}x of decode)`,
  );
  say(
    `  decode + prepare + run ${screen.toFixed(1).padStart(7)} images/s  (${(screen / decode).toFixed(2)}x of decode)`,
  );
}
