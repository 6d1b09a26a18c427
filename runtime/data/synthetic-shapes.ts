/**
 * Geometry of the synthetic `shapes` classes. A class is a base shape (16 of them, all
 * distinct under rotation) plus, past 16 classes, a geometric variant: number of copies,
 * aspect ratio, fill pattern and size band. Colour never enters a class.
 *
 * Shapes live in unit coordinates: (u, v) in [-1, 1]², v pointing down, inside the unit
 * disc so that any rotation stays within the radius. Polygon vertices are literals, so
 * no transcendental function is evaluated here.
 */

export const BASE_SHAPES = [
  "disc", "square", "triangle", "cross", "ring", "star", "bars", "crescent",
  "frame", "ell", "tee", "hexagon", "half-disc", "dumbbell", "arrow", "heart",
] as const;
export type BaseShape = (typeof BASE_SHAPES)[number];

export const COPIES = [1, 2, 3, 4] as const;
export const ASPECTS = [1, 0.6, 0.38] as const;
export const FILLS = ["solid", "striped", "dotted"] as const;
export const SIZE_BANDS = [[0.22, 0.44], [0.13, 0.22]] as const;
/** How many distinct classes the variants can express. */
export const MAX_CLASSES = BASE_SHAPES.length * COPIES.length * ASPECTS.length * FILLS.length * SIZE_BANDS.length;

export interface ShapeClass {
  readonly base: number;
  readonly copies: number;
  readonly aspect: number;
  readonly fill: number;
  /** Radius of the whole figure as a fraction of the image side: [lo, hi). */
  readonly band: readonly [number, number];
}

/** The geometry of class `c` (mixed radix: base shape fastest, then copies, aspect, fill, size). */
export function shapeClass(c: number): ShapeClass {
  if (!Number.isInteger(c) || c < 0 || c >= MAX_CLASSES) throw new RangeError(`synthetic: class ${c} outside 0..${MAX_CLASSES - 1}`);
  const nb = BASE_SHAPES.length;
  let v = Math.floor(c / nb);
  const copies = COPIES[v % COPIES.length]!;
  v = Math.floor(v / COPIES.length);
  const aspect = ASPECTS[v % ASPECTS.length]!;
  v = Math.floor(v / ASPECTS.length);
  const fill = v % FILLS.length;
  v = Math.floor(v / FILLS.length);
  return { base: c % nb, copies, aspect, fill, band: SIZE_BANDS[v % SIZE_BANDS.length]! };
}

/** A human name for class `c` ("star", "2 discs, squashed 0.6, striped, small"). */
export function className(c: number): string {
  const k = shapeClass(c);
  const parts = [`${k.copies > 1 ? `${k.copies} ` : ""}${BASE_SHAPES[k.base]}`];
  if (k.aspect !== 1) parts.push(`squashed ${k.aspect}`);
  if (k.fill !== 0) parts.push(FILLS[k.fill]!);
  if (k.band !== SIZE_BANDS[0]) parts.push("small");
  return parts.join(", ");
}

// prettier-ignore
const TRIANGLE = new Float64Array([0, -0.98, 0.848705, 0.49, -0.848705, 0.49]);
// prettier-ignore
const STAR = new Float64Array([0, -0.98, 0.235114, -0.323607, 0.932035, -0.302837, 0.380423, 0.123607, 0.57603, 0.792837, 0, 0.4, -0.57603, 0.792837, -0.380423, 0.123607, -0.932035, -0.302837, -0.235114, -0.323607]);
// prettier-ignore
const HEXAGON = new Float64Array([0.92, 0, 0.46, 0.796743, -0.46, 0.796743, -0.92, 0, -0.46, -0.796743, 0.46, -0.796743]);

/** Even-odd point-in-polygon test; vertices as x0,y0,x1,y1,... */
function inPolygon(p: Float64Array, x: number, y: number): boolean {
  let inside = false;
  const n = p.length;
  for (let i = 0, j = n - 2; i < n; j = i, i += 2) {
    const xi = p[i]!, yi = p[i + 1]!, xj = p[j]!, yj = p[j + 1]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

const box = (u: number, v: number, x0: number, x1: number, y0: number, y1: number): boolean => u >= x0 && u <= x1 && v >= y0 && v <= y1;

/** Is (u, v) inside base shape `b`? */
export function insideBase(b: number, u: number, v: number): boolean {
  const r2 = u * u + v * v;
  const au = Math.abs(u), av = Math.abs(v);
  switch (b) {
    case 0: return r2 <= 0.64;
    case 1: return au <= 0.68 && av <= 0.68;
    case 2: return inPolygon(TRIANGLE, u, v);
    case 3: return (au <= 0.25 && av <= 0.9) || (av <= 0.25 && au <= 0.9);
    case 4: return r2 >= 0.27 && r2 <= 0.7744;
    case 5: return inPolygon(STAR, u, v);
    case 6: return au <= 0.8 && (av <= 0.16 || Math.abs(av - 0.58) <= 0.16);
    case 7: return r2 <= 0.7225 && (u - 0.4) * (u - 0.4) + v * v > 0.4225;
    case 8: return au <= 0.7 && av <= 0.7 && !(au <= 0.38 && av <= 0.38);
    case 9: return box(u, v, -0.65, -0.2, -0.8, 0.8) || box(u, v, -0.65, 0.65, 0.35, 0.8);
    case 10: return box(u, v, -0.85, 0.85, -0.8, -0.38) || box(u, v, -0.22, 0.22, -0.8, 0.85);
    case 11: return inPolygon(HEXAGON, u, v);
    case 12: return v <= 0.3 && u * u + (v - 0.3) * (v - 0.3) <= 0.7225;
    case 13: return (au - 0.55) * (au - 0.55) + v * v <= 0.1225 || (au <= 0.56 && av <= 0.12);
    case 14: return box(u, v, -0.85, 0.15, -0.17, 0.17) || (u >= 0.05 && u <= 0.9 && av <= (0.9 - u) * 0.75);
    case 15: {
      const x = u * 1.25, y = 0.15 - v * 1.25;
      const q = x * x + y * y - 1;
      return q * q * q <= x * x * y * y * y;
    }
    default: return false;
  }
}

/** Is (u, v) inside class `k`'s single figure (aspect and fill applied)? */
export function insideClass(k: ShapeClass, u: number, v: number): boolean {
  const vs = v / k.aspect;
  if (!insideBase(k.base, u, vs)) return false;
  if (k.fill === 0) return true;
  const fu = (u + 4) * 2.5 - Math.floor((u + 4) * 2.5);
  if (k.fill === 1) return fu < 0.55;
  const fv = (vs + 4) * 2.5 - Math.floor((vs + 4) * 2.5);
  return (fu - 0.5) * (fu - 0.5) + (fv - 0.5) * (fv - 0.5) > 0.09;
}

/** Centres (in units of the figure radius) and relative radius of each copy, before rotation. */
export function copyLayout(copies: number): { offsets: readonly (readonly [number, number])[]; radius: number } {
  switch (copies) {
    case 1: return { offsets: [[0, 0]], radius: 1 };
    case 2: return { offsets: [[-0.5, 0], [0.5, 0]], radius: 0.5 };
    case 3: return { offsets: [[0, -0.5], [-0.5, 0.42], [0.5, 0.42]], radius: 0.46 };
    default: return { offsets: [[-0.5, -0.5], [0.5, -0.5], [-0.5, 0.5], [0.5, 0.5]], radius: 0.46 };
  }
}
