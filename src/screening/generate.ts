/**
 * Procedural X-ray-like images of cluttered parcels, with and without threat objects, and their
 * ground-truth boxes. Seeded: the same seed always draws the same image.
 *
 * Physics, simplified: every object is a set of parts with a thickness map, a linear attenuation
 * coefficient and an effective atomic number. A pixel's transmitted intensity is exp(-Σ μ·t)
 * (Beer-Lambert) and its hue follows the attenuation-weighted atomic number, as on dual-energy
 * scanners: organic (low Z) orange, mixed green, metal blue, too dense to penetrate black.
 * Scatter blur, quantum noise and detector-line gain stripes are added at the end.
 */
import { Prng } from '../sim/prng.js';
import { threatClasses, type Box, type ThreatClass } from './categories.js';
import type { RgbImage } from './raster.js';

interface Material {
  mu: number;
  z: number;
}

const materials = {
  cloth: { mu: 0.05, z: 6.8 },
  paper: { mu: 0.16, z: 7.2 },
  plastic: { mu: 0.12, z: 6.2 },
  wood: { mu: 0.1, z: 6.5 },
  rubber: { mu: 0.14, z: 6.5 },
  aluminium: { mu: 0.35, z: 13 },
  glass: { mu: 0.3, z: 12 },
  steel: { mu: 1.1, z: 26 },
  copper: { mu: 1.3, z: 29 },
  water: { mu: 0.045, z: 7.4 },
  organicDense: { mu: 0.16, z: 7 },
  cell: { mu: 0.3, z: 20 },
  circuit: { mu: 0.25, z: 14 },
} satisfies Record<string, Material>;

/** Thickness (in arbitrary units) of a part at local coordinates (u, v); 0 outside. */
type ThicknessFn = (u: number, v: number) => number;

interface Part {
  material: Material;
  /** Local bounding box [u0, v0, u1, v1]. */
  bounds: [number, number, number, number];
  thickness: ThicknessFn;
}

/** An object: parts in local coordinates, placed by rotation, mirror and translation. */
interface SceneObject {
  parts: Part[];
  cx: number;
  cy: number;
  angle: number;
  mirror: boolean;
  threat?: ThreatClass;
}

/** One generated parcel image and its ground truth. */
export interface GeneratedImage {
  image: RgbImage;
  /** Threat objects in the image with their tight boxes in pixels. */
  objects: { class: ThreatClass; box: Box }[];
}

export interface GenerateOptions {
  width?: number;
  height?: number;
  /** Probability that the image holds at least one threat (default 0.6). */
  threatRate?: number;
  /** Restrict the threats drawn to these classes (default all). */
  classes?: readonly ThreatClass[];
}

const rect =
  (hu: number, hv: number, depth: number, profile: 'flat' | 'cyl' = 'flat'): ThicknessFn =>
  (u, v) => {
    if (Math.abs(u) > hu || Math.abs(v) > hv) return 0;
    if (profile === 'flat') return depth;
    const q = v / hv;
    return depth * Math.sqrt(Math.max(0, 1 - q * q));
  };

const ellipse =
  (ru: number, rv: number, depth: number, profile: 'flat' | 'dome' = 'flat'): ThicknessFn =>
  (u, v) => {
    const q = (u * u) / (ru * ru) + (v * v) / (rv * rv);
    if (q > 1) return 0;
    return profile === 'flat' ? depth : depth * Math.sqrt(1 - q);
  };

const ring =
  (ru: number, rv: number, width: number, depth: number): ThicknessFn =>
  (u, v) => {
    const outer = (u * u) / (ru * ru) + (v * v) / (rv * rv);
    const ri = Math.max(1, ru - width);
    const rj = Math.max(1, rv - width);
    const inner = (u * u) / (ri * ri) + (v * v) / (rj * rj);
    return outer <= 1 && inner > 1 ? depth : 0;
  };

/** Irregular blob: radius varies with angle by a few random harmonics. */
function blob(
  rng: Prng,
  radius: number,
  depth: number,
  roughness: number,
  profile: 'flat' | 'dome',
): Part['thickness'] {
  const harmonics = Array.from({ length: 4 }, (_, i) => ({
    k: i + 2,
    a: rng.range(-roughness, roughness) / (i + 1),
    phi: rng.range(0, 2 * Math.PI),
  }));
  const maxR = radius * (1 + harmonics.reduce((t, h) => t + Math.abs(h.a), 0));
  const table = new Float32Array(256);
  for (let i = 0; i < 256; i++) {
    const theta = (i / 256) * 2 * Math.PI - Math.PI;
    let r = radius;
    for (const h of harmonics) r += radius * h.a * Math.sin(h.k * theta + h.phi);
    table[i] = r;
  }
  return (u, v) => {
    const d2 = u * u + v * v;
    if (d2 > maxR * maxR) return 0;
    const r = table[Math.min(255, Math.floor(((Math.atan2(v, u) + Math.PI) / (2 * Math.PI)) * 256))]!;
    if (d2 > r * r) return 0;
    return profile === 'flat' ? depth : depth * Math.sqrt(1 - d2 / (r * r));
  };
}

const part = (material: Material, bounds: Part['bounds'], thickness: ThicknessFn): Part => ({
  material,
  bounds,
  thickness,
});

/** Shifts a part's local frame so that it sits at (du, dv) and is rotated by `a` within the object. */
function placed(p: Part, du: number, dv: number, a = 0): Part {
  const c = Math.cos(a);
  const s = Math.sin(a);
  const [u0, v0, u1, v1] = p.bounds;
  const corners = [
    [u0, v0],
    [u1, v0],
    [u0, v1],
    [u1, v1],
  ].map(([u, v]) => [du + u! * c - v! * s, dv + u! * s + v! * c] as const);
  const us = corners.map((k) => k[0]);
  const vs = corners.map((k) => k[1]);
  return {
    material: p.material,
    bounds: [Math.min(...us), Math.min(...vs), Math.max(...us), Math.max(...vs)],
    thickness: (u, v) => {
      const x = u - du;
      const y = v - dv;
      return p.thickness(x * c + y * s, -x * s + y * c);
    },
  };
}

/**
 * A rectangular part of half-sizes `hu` × `hv` and thickness `depth` (`cyl`: rounded across v), centred
 * at (du, dv) of the object's frame and turned by `a`: the building block of most objects.
 */
function slab(
  material: Material,
  hu: number,
  hv: number,
  depth: number,
  at: readonly [du: number, dv: number, a?: number] = [0, 0],
  profile: 'flat' | 'cyl' = 'flat',
): Part {
  return placed(part(material, [-hu, -hv, hu, hv], rect(hu, hv, depth, profile)), at[0], at[1], at[2] ?? 0);
}

// ---- threat objects ---------------------------------------------------------------------------

function knife(rng: Prng): Part[] {
  const blade = rng.range(34, 70);
  const width = rng.range(6, 12);
  const handle = blade * rng.range(0.55, 0.8);
  const tipStart = rng.range(0.55, 0.8);
  const edge: ThicknessFn = (u, v) => {
    if (u < 0 || u > blade || v < -width / 2) return 0;
    const t = u / blade;
    const upper = t < tipStart ? width / 2 : width / 2 - (width * (t - tipStart)) / (1 - tipStart);
    return v <= upper ? 2.2 : 0;
  };
  const folding = rng.chance(0.3);
  return [
    part(materials.steel, [0, -width / 2, blade, width / 2], edge),
    slab(
      folding ? materials.aluminium : rng.chance(0.5) ? materials.wood : materials.plastic,
      handle / 2,
      width * 0.7,
      folding ? 3 : 6,
      [-handle / 2, 0],
      'cyl',
    ),
    // bolster and tang rivets
    slab(materials.steel, 2, width * 0.75, 2.5, [-1, 0]),
    placed(part(materials.steel, [-1.5, -1.5, 1.5, 1.5], ellipse(1.5, 1.5, 3)), -handle * 0.35, 0),
    placed(part(materials.steel, [-1.5, -1.5, 1.5, 1.5], ellipse(1.5, 1.5, 3)), -handle * 0.7, 0),
  ];
}

function gun(rng: Prng): Part[] {
  const slide = rng.range(48, 72);
  const height = slide * rng.range(0.2, 0.26);
  const grip = slide * rng.range(0.55, 0.7);
  const gripWidth = height * rng.range(1.0, 1.25);
  const gripAngle = rng.range(1.65, 1.9);
  const polymer = rng.chance(0.4);
  // grip and magazine share one frame, turned back from the slide
  const gripAt = [
    -slide * 0.34 + Math.cos(gripAngle) * grip * 0.5,
    height * 0.4 + Math.sin(gripAngle) * grip * 0.5,
    gripAngle,
  ] as const;
  return [
    slab(materials.steel, slide / 2, height / 2, 2.6),
    // barrel inside the slide
    slab(materials.steel, slide * 0.45, height * 0.18, 2, [slide * 0.04, 0], 'cyl'),
    slab(polymer ? materials.plastic : materials.steel, grip / 2, gripWidth / 2, polymer ? 8 : 1.8, gripAt),
    // magazine in the grip
    slab(materials.steel, grip * 0.42, gripWidth * 0.28, 1.6, gripAt),
    // trigger guard
    placed(
      part(
        materials.steel,
        [-height * 0.7, -height * 0.55, height * 0.7, height * 0.55],
        ring(height * 0.7, height * 0.55, 2, 1.8),
      ),
      -slide * 0.08,
      height * 0.85,
    ),
  ];
}

function batteryPack(rng: Prng): Part[] {
  const cols = rng.int(2, 4);
  const rows = rng.int(1, 3);
  const cell = rng.range(8, 12);
  const length = cell * rng.range(3.2, 3.8);
  const sideView = rng.chance(0.7);
  const parts: Part[] = [];
  const w = sideView ? cols * length : cols * cell;
  const h = rows * cell;
  parts.push(slab(materials.plastic, w / 2 + 3, h / 2 + 3, 3));
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const cu = -w / 2 + (sideView ? (c + 0.5) * length : (c + 0.5) * cell);
      const cv = -h / 2 + (r + 0.5) * cell;
      if (sideView) {
        // the cell's bounds leave half a unit around its shape
        parts.push(
          placed(
            part(
              materials.cell,
              [-length / 2, -cell / 2, length / 2, cell / 2],
              rect(length / 2 - 0.5, cell / 2 - 0.5, cell * 0.6, 'cyl'),
            ),
            cu,
            cv,
          ),
        );
        // positive terminal cap
        parts.push(slab(materials.steel, 1, cell / 4, 2, [cu + length / 2 - 1, cv]));
      } else {
        parts.push(
          placed(
            part(
              materials.cell,
              [-cell / 2, -cell / 2, cell / 2, cell / 2],
              ellipse(cell / 2 - 0.5, cell / 2 - 0.5, length * 0.5),
            ),
            cu,
            cv,
          ),
        );
        parts.push(
          placed(
            part(
              materials.steel,
              [-cell / 2, -cell / 2, cell / 2, cell / 2],
              ring(cell / 2 - 0.5, cell / 2 - 0.5, 1, 1.5),
            ),
            cu,
            cv,
          ),
        );
      }
    }
  }
  // nickel strips along the rows
  parts.push(slab(materials.steel, w / 2, 0.8, 1, [0, -h / 2 + cell / 2]));
  // protection board
  parts.push(slab(materials.circuit, 3, h / 2, 3, [w / 2 + 1, 0]));
  return parts;
}

function liquidContainer(rng: Prng): Part[] {
  const height = rng.range(36, 66);
  const radius = height * rng.range(0.22, 0.34);
  const neck = radius * rng.range(0.35, 0.55);
  const fill = rng.range(0.55, 0.95);
  const glass = rng.chance(0.3);
  const wall = glass ? materials.glass : materials.plastic;
  const bodyH = height * 0.75;
  const liquid: ThicknessFn = (u, v) => {
    // u runs from the bottom (−bodyH/2) to the top; liquid fills the lower `fill` part of the body
    if (u > -bodyH / 2 + bodyH * fill || Math.abs(u) > bodyH / 2 || Math.abs(v) > radius) return 0;
    const q = v / radius;
    return 2 * radius * Math.sqrt(Math.max(0, 1 - q * q));
  };
  return [
    part(materials.water, [-bodyH / 2, -radius, bodyH / 2, radius], liquid),
    part(wall, [-bodyH / 2, -radius, bodyH / 2, radius], (u, v) => {
      if (Math.abs(u) > bodyH / 2 || Math.abs(v) > radius) return 0;
      return Math.abs(v) > radius - 1.5 || Math.abs(u) > bodyH / 2 - 1.5 ? (glass ? 3 : 2) : 0.4;
    }),
    slab(wall, height * 0.13, neck, glass ? 4 : 3, [bodyH / 2 + height * 0.12, 0], 'cyl'),
    // cap
    slab(materials.plastic, 2.5, neck * 1.2, 5, [bodyH / 2 + height * 0.25, 0]),
  ];
}

function denseOrganicMass(rng: Prng): Part[] {
  const radius = rng.range(15, 30);
  const brick = rng.chance(0.45);
  const depth = rng.range(7, 13);
  if (brick) {
    const hu = radius * rng.range(0.9, 1.3);
    const hv = radius * rng.range(0.55, 0.8);
    return [
      part(materials.organicDense, [-hu, -hv, hu, hv], (u, v) => {
        if (Math.abs(u) > hu || Math.abs(v) > hv) return 0;
        const edge = Math.min(hu - Math.abs(u), hv - Math.abs(v));
        return depth * Math.min(1, 0.55 + edge / 6);
      }),
      // wrapping tape
      part(materials.plastic, [-hu, -hv, hu, hv], rect(hu, hv, 2)),
    ];
  }
  return [
    part(
      materials.organicDense,
      [-radius * 1.4, -radius * 1.4, radius * 1.4, radius * 1.4],
      blob(rng, radius, depth, 0.25, 'dome'),
    ),
  ];
}

const threatMakers: Record<ThreatClass, (rng: Prng) => Part[]> = {
  knife,
  gun,
  'battery-pack': batteryPack,
  'liquid-container': liquidContainer,
  'dense-organic-mass': denseOrganicMass,
};

// ---- benign clutter ---------------------------------------------------------------------------

function clothing(rng: Prng): Part[] {
  const r = rng.range(30, 70);
  return [
    part(
      materials.cloth,
      [-r * 1.4, -r * 1.4, r * 1.4, r * 1.4],
      blob(rng, r, rng.range(6, 14), 0.35, 'dome'),
    ),
  ];
}

function book(rng: Prng): Part[] {
  const hu = rng.range(20, 45);
  const hv = hu * rng.range(0.6, 0.8);
  return [part(materials.paper, [-hu, -hv, hu, hv], rect(hu, hv, rng.range(2, 6)))];
}

function shoe(rng: Prng): Part[] {
  const ru = rng.range(28, 40);
  const rv = ru * 0.38;
  return [
    part(materials.rubber, [-ru, -rv, ru, rv], ellipse(ru, rv, 6, 'dome')),
    slab(materials.steel, 4, 0.6, 1, [ru * 0.2, 0]),
  ];
}

function phone(rng: Prng): Part[] {
  const hu = rng.range(14, 20);
  const hv = hu * 0.5;
  return [
    part(materials.aluminium, [-hu, -hv, hu, hv], (u, v) =>
      Math.abs(u) <= hu && Math.abs(v) <= hv
        ? Math.abs(u) > hu - 1.2 || Math.abs(v) > hv - 1.2
          ? 3
          : 0.6
        : 0,
    ),
    slab(materials.cell, hu * 0.5, hv * 0.7, 1.2, [-hu * 0.15, 0]),
    slab(materials.circuit, hu * 0.25, hv * 0.7, 2, [hu * 0.6, 0]),
  ];
}

function laptop(rng: Prng): Part[] {
  const hu = rng.range(50, 70);
  const hv = hu * 0.65;
  return [
    part(materials.aluminium, [-hu, -hv, hu, hv], rect(hu, hv, 1.2)),
    slab(materials.circuit, hu * 0.4, hv * 0.35, 2, [0, -hv * 0.4]),
    slab(materials.cell, hu * 0.7, hv * 0.15, 1.4, [0, hv * 0.55]),
  ];
}

function cable(rng: Prng): Part[] {
  const points = Array.from(
    { length: rng.int(3, 6) },
    () => [rng.range(-40, 40), rng.range(-40, 40)] as const,
  );
  const radius = rng.range(1, 2.2);
  return points.slice(1).map((p, i) => {
    const q = points[i]!;
    const du = p[0] - q[0];
    const dv = p[1] - q[1];
    const len = Math.hypot(du, dv) / 2;
    return slab(
      materials.copper,
      len,
      radius,
      radius * 0.8,
      [(p[0] + q[0]) / 2, (p[1] + q[1]) / 2, Math.atan2(dv, du)],
      'cyl',
    );
  });
}

function pen(rng: Prng): Part[] {
  const len = rng.range(25, 40);
  return [
    part(materials.plastic, [-len, -2.5, len, 2.5], rect(len, 2.5, 5, 'cyl')),
    slab(materials.steel, len * 0.5, 0.5, 1),
  ];
}

function coins(rng: Prng): Part[] {
  return Array.from({ length: rng.int(1, 5) }, () => {
    const r = rng.range(3, 5.5);
    return placed(
      part(materials.steel, [-r, -r, r, r], ellipse(r, r, 0.8)),
      rng.range(-12, 12),
      rng.range(-12, 12),
    );
  });
}

function keys(rng: Prng): Part[] {
  const len = rng.range(12, 18);
  return [
    slab(materials.steel, len, 2, 0.8),
    placed(part(materials.steel, [-5, -5, 5, 5], ring(5, 5, 1.5, 1)), -len - 4, 0),
  ];
}

function cosmeticJar(rng: Prng): Part[] {
  const r = rng.range(7, 12);
  return [
    part(materials.plastic, [-r, -r, r, r], ring(r, r, 1.5, 4)),
    part(materials.paper, [-r, -r, r, r], ellipse(r, r, 3)),
  ];
}

function toy(rng: Prng): Part[] {
  const r = rng.range(15, 25);
  return [
    part(materials.plastic, [-r * 1.4, -r * 1.4, r * 1.4, r * 1.4], blob(rng, r, 8, 0.4, 'flat')),
    slab(materials.circuit, 4, 4, 1.5),
  ];
}

const clutterMakers: readonly (readonly [(rng: Prng) => Part[], number])[] = [
  [clothing, 5],
  [book, 3],
  [shoe, 2],
  [phone, 1],
  [laptop, 0.6],
  [cable, 2],
  [pen, 1.5],
  [coins, 1],
  [keys, 1],
  [cosmeticJar, 1],
  [toy, 1.5],
];

function pickClutter(rng: Prng): (rng: Prng) => Part[] {
  const total = clutterMakers.reduce((s, [, w]) => s + w, 0);
  let x = rng.range(0, total);
  for (const [make, w] of clutterMakers) {
    x -= w;
    if (x <= 0) return make;
  }
  return clutterMakers[0]![0];
}

// ---- rendering --------------------------------------------------------------------------------

interface Accumulator {
  width: number;
  height: number;
  att: Float32Array;
  zw: Float32Array;
}

/** Adds an object's parts into the accumulator; returns the tight pixel box it covered. */
function render(acc: Accumulator, obj: SceneObject): Box | undefined {
  const c = Math.cos(obj.angle);
  const s = Math.sin(obj.angle);
  const m = obj.mirror ? -1 : 1;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const p of obj.parts) {
    const [u0, v0, u1, v1] = p.bounds;
    const xs: number[] = [];
    const ys: number[] = [];
    for (const [u, v] of [
      [u0, v0],
      [u1, v0],
      [u0, v1],
      [u1, v1],
    ] as const) {
      xs.push(obj.cx + u * c - v * m * s);
      ys.push(obj.cy + u * s + v * m * c);
    }
    const px0 = Math.max(0, Math.floor(Math.min(...xs)));
    const px1 = Math.min(acc.width - 1, Math.ceil(Math.max(...xs)));
    const py0 = Math.max(0, Math.floor(Math.min(...ys)));
    const py1 = Math.min(acc.height - 1, Math.ceil(Math.max(...ys)));
    for (let y = py0; y <= py1; y++) {
      for (let x = px0; x <= px1; x++) {
        const dx = x + 0.5 - obj.cx;
        const dy = y + 0.5 - obj.cy;
        const u = dx * c + dy * s;
        const v = (-dx * s + dy * c) * m;
        const t = p.thickness(u, v);
        if (t <= 0) continue;
        const a = p.material.mu * t;
        const i = y * acc.width + x;
        acc.att[i]! += a;
        acc.zw[i]! += a * p.material.z;
        if (x < x0) x0 = x;
        if (y < y0) y0 = y;
        if (x > x1) x1 = x;
        if (y > y1) y1 = y;
      }
    }
  }
  return x0 === Infinity ? undefined : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

const orange = [236, 150, 40] as const;
const green = [70, 180, 70] as const;
const blue = [50, 100, 220] as const;

/** Pseudo-colour of a pixel from total attenuation and effective atomic number. */
function colour(att: number, z: number, out: Uint8Array, o: number): void {
  const hue = z < 10 ? orange : z < 18 ? green : blue;
  const next = z < 10 ? green : z < 18 ? blue : blue;
  const f = z < 10 ? Math.max(0, (z - 8) / 2) : z < 18 ? Math.max(0, (z - 15) / 3) : 0;
  const opacity = 1 - Math.exp(-att);
  for (let k = 0; k < 3; k++) {
    const base = hue[k]! * (1 - f) + next[k]! * f;
    const v = opacity < 0.5 ? 255 + (base - 255) * (opacity / 0.5) : base * (1 - (opacity - 0.5) / 0.5) * 1.0;
    out[o + k] = Math.max(0, Math.min(255, Math.round(v)));
  }
}

/** Draws one parcel image. */
export function generateImage(rng: Prng, opts: GenerateOptions = {}): GeneratedImage {
  const width = opts.width ?? 256;
  const height = opts.height ?? 256;
  const classes = opts.classes ?? threatClasses;
  const acc: Accumulator = {
    width,
    height,
    att: new Float32Array(width * height),
    zw: new Float32Array(width * height),
  };
  // the parcel: a cardboard box (walls seen edge-on read as a darker frame)
  const bw = width * rng.range(0.7, 0.95);
  const bh = height * rng.range(0.6, 0.92);
  const box: SceneObject = {
    cx: width / 2 + rng.range(-8, 8),
    cy: height / 2 + rng.range(-8, 8),
    angle: rng.range(-0.08, 0.08),
    mirror: false,
    parts: [
      part(materials.paper, [-bw / 2, -bh / 2, bw / 2, bh / 2], (u, v) => {
        if (Math.abs(u) > bw / 2 || Math.abs(v) > bh / 2) return 0;
        return Math.abs(u) > bw / 2 - 3 || Math.abs(v) > bh / 2 - 3 ? 6 : 0.6;
      }),
    ],
  };
  render(acc, box);
  const place = (parts: Part[], threat?: ThreatClass): SceneObject => ({
    parts,
    cx: box.cx + rng.range(-bw * 0.36, bw * 0.36),
    cy: box.cy + rng.range(-bh * 0.36, bh * 0.36),
    angle: rng.range(0, 2 * Math.PI),
    mirror: rng.chance(0.5),
    ...(threat ? { threat } : {}),
  });
  const clutter = rng.int(4, 11);
  const threats: ThreatClass[] = [];
  if (rng.chance(opts.threatRate ?? 0.6)) {
    threats.push(rng.pick(classes));
    if (rng.chance(0.2)) threats.push(rng.pick(classes));
  }
  // threats are drawn among the clutter, not always on top (X-rays add up, order does not matter
  // for the image, only for which objects overlap)
  const objects: SceneObject[] = [];
  for (let i = 0; i < clutter; i++) objects.push(place(pickClutter(rng)(rng)));
  for (const t of threats) objects.splice(rng.int(0, objects.length), 0, place(threatMakers[t](rng), t));
  const truth: { class: ThreatClass; box: Box }[] = [];
  for (const o of objects) {
    const b = render(acc, o);
    if (o.threat && b) truth.push({ class: o.threat, box: b });
  }
  // scatter (3x3 blur of attenuation), quantum noise, detector line gain
  const blurred = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      let n = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          const w = dx === 0 && dy === 0 ? 4 : 1;
          s += acc.att[yy * width + xx]! * w;
          n += w;
        }
      }
      blurred[y * width + x] = s / n;
    }
  }
  const gain = Float32Array.from({ length: width }, () => 1 + rng.normal() * 0.01);
  const data = new Uint8Array(width * height * 3);
  const noise = rng.range(0.01, 0.035);
  for (let i = 0; i < width * height; i++) {
    const a = blurred[i]!;
    const z = a > 1e-6 ? acc.zw[i]! / Math.max(acc.att[i]!, 1e-6) : 7;
    const transmitted = Math.exp(-a) * gain[i % width]! + rng.normal() * noise * Math.sqrt(Math.exp(-a));
    const att = -Math.log(Math.min(1, Math.max(1e-3, transmitted)));
    colour(att, z, data, i * 3);
  }
  return { image: { width, height, data }, objects: truth };
}

/** Draws `count` images from `seed` (each image from its own derived seed, so any one can be redrawn alone). */
export function* generateImages(
  seed: string,
  count: number,
  opts: GenerateOptions = {},
): Generator<GeneratedImage> {
  for (let i = 0; i < count; i++) yield generateImage(new Prng(`${seed}:${i}`), opts);
}
