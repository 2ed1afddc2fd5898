// Draws the CORS Lens icon (a magnifying lens over a crossed link) into public/icons/*.png.
// Run once when the design changes; the PNGs are committed.
import { deflateSync } from 'node:zlib';
import { writeFileSync, mkdirSync } from 'node:fs';

function crc32(buf) {
  let c,
    crc = 0xffffffff;
  for (let n = 0; n < buf.length; n++) {
    c = (crc ^ buf[n]) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size, pixel) {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x + 0.5, y + 0.5, size);
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = r;
      raw[o + 1] = g;
      raw[o + 2] = b;
      raw[o + 3] = a;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
// Supersampled coverage of: lens ring, handle, and a red slash inside the lens.
function shape(px, py, s) {
  const x = px / s,
    y = py / s;
  const cx = 0.42,
    cy = 0.42,
    r = 0.3,
    w = 0.085;
  const d = Math.hypot(x - cx, y - cy);
  if (Math.abs(d - r) < w / 2) return [26, 115, 232];
  // handle along the diagonal from the ring to the corner
  const t = (x - cx + (y - cy)) / 2;
  const off = Math.abs(x - cx - (y - cy)) / Math.SQRT2;
  if (t * Math.SQRT2 > r && t * Math.SQRT2 < r + 0.3 && off < 0.07) return [26, 115, 232];
  // red slash inside the lens
  const off2 = Math.abs(x - cx + (y - cy)) / Math.SQRT2;
  if (d < r - w && off2 < 0.045) return [217, 48, 37];
  return null;
}
function pixel(x, y, s) {
  let hits = 0,
    col = [0, 0, 0];
  const n = 4;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const c = shape(x - 0.5 + (i + 0.5) / n, y - 0.5 + (j + 0.5) / n, s);
      if (c) {
        hits++;
        col = c;
      }
    }
  return [...col, Math.round((255 * hits) / (n * n))];
}
mkdirSync('public/icons', { recursive: true });
for (const s of [16, 32, 48, 128]) writeFileSync(`public/icons/icon${s}.png`, png(s, pixel));
console.log('icons written');
