/**
 * Draws the app icons: manifest/color.png (192x192) and manifest/outline.png (32x32, white on a
 * transparent background). The mark is a medal on two ribbon tails, with a "B" cut out of it.
 *
 *   npx tsx scripts/make-icons.ts
 *
 * Teams' icon rules: the colour icon's symbol sits in the central 120x120 of 192x192; the outline
 * icon is white with a transparent background and 4 px of padding
 * (https://learn.microsoft.com/microsoftteams/platform/concepts/design/design-teams-app-icon-store-appbar).
 * Shapes are drawn in a unit square and supersampled for anti-aliasing.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';

type Rgba = readonly [number, number, number, number];

/** Accent colour of the manifest (accentColor) and background of the colour icon. */
export const ACCENT = '#1B365D';

const NAVY: Rgba = [0x1b, 0x36, 0x5d, 255];
const GOLD: Rgba = [0xf2, 0xb3, 0x3d, 255];
const DARK_GOLD: Rgba = [0xc9, 0x8a, 0x1c, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

/** Signed distance to a box whose right corners are rounded with radius r (left corners square). */
function boxDistance(
  x: number,
  y: number,
  box: { left: number; top: number; right: number; bottom: number; radius: number },
): number {
  const cx = (box.left + box.right) / 2;
  const cy = (box.top + box.bottom) / 2;
  const r = x > cx ? box.radius : 0;
  const qx = Math.abs(x - cx) - (box.right - box.left) / 2 + r;
  const qy = Math.abs(y - cy) - (box.bottom - box.top) / 2 + r;
  return Math.min(Math.max(qx, qy), 0) + Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) - r;
}

function insidePolygon(x: number, y: number, points: readonly (readonly [number, number])[]) {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i] as readonly [number, number];
    const [xj, yj] = points[j] as readonly [number, number];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** The geometry of the mark inside a given square of the unit icon. */
function mark(scale: number, offsetX: number, offsetY: number, letterScale = 1) {
  // Mark coordinates: a 1x1 square; the medal's centre at (0.5, 0.36), radius 0.36.
  const medal = { cx: 0.5, cy: 0.37, r: 0.37 };
  const gap = 0.045;
  // The "B": height 0.38, stem 0.09, bowls 0.075 thick, lower bowl a little wider.
  const k = letterScale;
  const top = medal.cy - 0.19 * k;
  const bottom = medal.cy + 0.19 * k;
  const left = medal.cx - 0.115 * k;
  const stroke = 0.08 * k;
  const middle = top + 0.175 * k;
  const upper = { left, top, right: left + 0.205 * k, bottom: middle + stroke / 2, radius: 0 };
  upper.radius = (upper.bottom - upper.top) / 2;
  const lower = { left, top: middle - stroke / 2, right: left + 0.235 * k, bottom, radius: 0 };
  lower.radius = (lower.bottom - lower.top) / 2;
  const counter = (bowl: typeof upper) => ({
    left: bowl.left + stroke + 0.01 * k,
    top: bowl.top + stroke,
    right: bowl.right - stroke,
    bottom: bowl.bottom - stroke,
    radius: bowl.radius - stroke,
  });
  const upperCounter = counter(upper);
  const lowerCounter = counter(lower);
  // Ribbon tails: two slanted strips with a notched end, behind the medal.
  const leftTail = [
    [0.34, 0.58],
    [0.52, 0.66],
    [0.4, 1.0],
    [0.31, 0.9],
    [0.22, 0.96],
  ] as const;
  const rightTail = leftTail.map(([x, y]) => [1 - x, y] as const);

  return (ux: number, uy: number) => {
    const x = (ux - offsetX) / scale;
    const y = (uy - offsetY) / scale;
    const fromCentre = Math.hypot(x - medal.cx, y - medal.cy);
    const onMedal = fromCentre <= medal.r;
    return {
      medal: onMedal,
      innerRing: fromCentre <= medal.r * 0.86 && fromCentre >= medal.r * 0.8,
      letter:
        onMedal &&
        ((boxDistance(x, y, upper) < 0 && boxDistance(x, y, upperCounter) > 0) ||
          (boxDistance(x, y, lower) < 0 && boxDistance(x, y, lowerCounter) > 0)),
      tail:
        fromCentre > medal.r + gap &&
        (insidePolygon(x, y, leftTail) || insidePolygon(x, y, rightTail)),
    };
  };
}

/** Renders with n x n samples per pixel, averaging in premultiplied alpha. */
function render(size: number, colourAt: (x: number, y: number) => Rgba, samples = 8): PNG {
  const image = new PNG({ width: size, height: size });
  const data = image.data;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const c = colourAt(
            (px + (sx + 0.5) / samples) / size,
            (py + (sy + 0.5) / samples) / size,
          );
          const alpha = c[3] / 255;
          r += c[0] * alpha;
          g += c[1] * alpha;
          b += c[2] * alpha;
          a += alpha;
        }
      }
      const i = (py * size + px) * 4;
      const count = samples * samples;
      if (a > 0) {
        data[i] = Math.round(r / a);
        data[i + 1] = Math.round(g / a);
        data[i + 2] = Math.round(b / a);
      }
      data[i + 3] = Math.round((a / count) * 255);
    }
  }
  return image;
}

/** 192x192: navy background, gold medal with a navy "B", white ribbon tails. */
export function drawColorIcon(): PNG {
  // The symbol fits in the central 120x120 (0.1875..0.8125).
  const at = mark(0.6, 0.2, 0.19);
  return render(
    192,
    (x, y) => {
      const part = at(x, y);
      if (part.medal) return part.letter ? NAVY : part.innerRing ? DARK_GOLD : GOLD;
      if (part.tail) return WHITE;
      return NAVY;
    },
    4,
  );
}

/** 32x32: white medal with the "B" cut out, white tails, transparent elsewhere (4 px padding). */
export function drawOutlineIcon(): PNG {
  const at = mark(0.75, 0.125, 0.125, 1.2);
  return render(32, (x, y) => {
    const part = at(x, y);
    if (part.medal) return part.letter ? CLEAR : WHITE;
    return part.tail ? WHITE : CLEAR;
  });
}

/** No row filter and zlib's default strategy: half the size of pngjs's defaults for flat shapes. */
const PNG_OPTIONS = { filterType: 0, deflateStrategy: 0 };

if (require.main === module) {
  const dir = path.join(__dirname, '..', 'manifest');
  writeFileSync(path.join(dir, 'color.png'), PNG.sync.write(drawColorIcon(), PNG_OPTIONS));
  writeFileSync(path.join(dir, 'outline.png'), PNG.sync.write(drawOutlineIcon(), PNG_OPTIONS));
  console.log(`wrote ${dir}/color.png and ${dir}/outline.png`);
}
