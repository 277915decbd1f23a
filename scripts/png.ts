/**
 * Minimal PNG encode/decode with node's zlib only: enough to draw the app icons and to check
 * any icon's size and transparency (8-bit grey, RGB, palette, grey+alpha and RGBA, no interlace).
 */
import { deflateSync, inflateSync } from 'node:zlib';

/** An image as 8-bit RGBA, row by row. */
export interface RgbaImage {
  width: number;
  height: number;
  /** width * height * 4 bytes: r, g, b, a. */
  data: Uint8Array;
}

export class PngError extends Error {}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, payload: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(payload.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), payload]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** Encodes RGBA pixels as a PNG (colour type 6, 8 bits, filter 0 on every row). */
export function encodePng(image: RgbaImage): Buffer {
  const { width, height, data } = image;
  if (data.length !== width * height * 4) throw new PngError('pixel data does not match the size');
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  const raw = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0;
    raw.set(data.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** What IHDR says, without decoding the pixels. */
export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlace: number;
  /** True when the image can hold transparent pixels (alpha channel or tRNS chunk). */
  hasAlpha: boolean;
}

interface Chunk {
  type: string;
  data: Buffer;
}

function readChunks(png: Buffer): Chunk[] {
  if (png.length < 8 || !png.subarray(0, 8).equals(SIGNATURE))
    throw new PngError('not a PNG file (bad signature)');
  const chunks: Chunk[] = [];
  let offset = 8;
  while (offset + 12 <= png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const end = offset + 12 + length;
    if (end > png.length) throw new PngError(`truncated ${type} chunk`);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (crc32(png.subarray(offset + 4, offset + 8 + length)) !== png.readUInt32BE(end - 4))
      throw new PngError(`bad CRC in ${type} chunk`);
    chunks.push({ type, data });
    offset = end;
    if (type === 'IEND') break;
  }
  if (chunks[0]?.type !== 'IHDR') throw new PngError('IHDR chunk missing');
  if (!chunks.some((c) => c.type === 'IEND')) throw new PngError('IEND chunk missing');
  return chunks;
}

function headerOf(chunks: Chunk[]): PngHeader {
  const ihdr = (chunks[0] as Chunk).data;
  const colorType = ihdr[9] as number;
  return {
    width: ihdr.readUInt32BE(0),
    height: ihdr.readUInt32BE(4),
    bitDepth: ihdr[8] as number,
    colorType,
    interlace: ihdr[12] as number,
    hasAlpha: colorType === 4 || colorType === 6 || chunks.some((c) => c.type === 'tRNS'),
  };
}

export function readPngHeader(png: Buffer): PngHeader {
  return headerOf(readChunks(png));
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Decodes a PNG into RGBA. Throws a PngError naming what it cannot read. */
export function decodePng(png: Buffer): RgbaImage {
  const chunks = readChunks(png);
  const header = headerOf(chunks);
  const { width, height, bitDepth, colorType, interlace } = header;
  const channels = CHANNELS[colorType];
  if (channels === undefined) throw new PngError(`unknown colour type ${colorType}`);
  if (bitDepth !== 8 || interlace !== 0)
    throw new PngError(
      `unsupported PNG (bit depth ${bitDepth}, interlace ${interlace}): save it as 8-bit, not interlaced`,
    );
  const raw = inflateSync(
    Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)),
  );
  const stride = width * channels;
  if (raw.length < height * (stride + 1)) throw new PngError('image data is truncated');
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = y * stride;
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? (pixels[out + x - channels] as number) : 0;
      const up = y > 0 ? (pixels[out - stride + x] as number) : 0;
      const upLeft = y > 0 && x >= channels ? (pixels[out - stride + x - channels] as number) : 0;
      const value = line[x] as number;
      let decoded: number;
      switch (filter) {
        case 0:
          decoded = value;
          break;
        case 1:
          decoded = value + left;
          break;
        case 2:
          decoded = value + up;
          break;
        case 3:
          decoded = value + ((left + up) >> 1);
          break;
        case 4:
          decoded = value + paeth(left, up, upLeft);
          break;
        default:
          throw new PngError(`unknown filter ${String(filter)} on row ${y}`);
      }
      pixels[out + x] = decoded & 0xff;
    }
  }
  const palette = chunks.find((c) => c.type === 'PLTE')?.data;
  const transparency = chunks.find((c) => c.type === 'tRNS')?.data;
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const p = i * channels;
    let rgba: [number, number, number, number];
    switch (colorType) {
      case 0: {
        const g = pixels[p] as number;
        const transparent = transparency !== undefined && transparency.readUInt16BE(0) === g;
        rgba = [g, g, g, transparent ? 0 : 255];
        break;
      }
      case 2: {
        const r = pixels[p] as number;
        const g = pixels[p + 1] as number;
        const b = pixels[p + 2] as number;
        const transparent =
          transparency !== undefined &&
          transparency.readUInt16BE(0) === r &&
          transparency.readUInt16BE(2) === g &&
          transparency.readUInt16BE(4) === b;
        rgba = [r, g, b, transparent ? 0 : 255];
        break;
      }
      case 3: {
        const index = pixels[p] as number;
        if (!palette || index * 3 + 2 >= palette.length)
          throw new PngError('palette index out of range');
        rgba = [
          palette[index * 3] as number,
          palette[index * 3 + 1] as number,
          palette[index * 3 + 2] as number,
          transparency && index < transparency.length ? (transparency[index] as number) : 255,
        ];
        break;
      }
      case 4: {
        const g = pixels[p] as number;
        rgba = [g, g, g, pixels[p + 1] as number];
        break;
      }
      default:
        rgba = [
          pixels[p] as number,
          pixels[p + 1] as number,
          pixels[p + 2] as number,
          pixels[p + 3] as number,
        ];
    }
    data.set(rgba, i * 4);
  }
  return { width, height, data };
}

/** The RGBA values of one pixel. */
export function pixelAt(image: RgbaImage, x: number, y: number): [number, number, number, number] {
  const i = (y * image.width + x) * 4;
  return [
    image.data[i] as number,
    image.data[i + 1] as number,
    image.data[i + 2] as number,
    image.data[i + 3] as number,
  ];
}
