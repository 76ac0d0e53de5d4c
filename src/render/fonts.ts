/**
 * Fonts for the server-side PDF: Noto Sans SC (CJK and Latin) from @fontsource/noto-sans-sc, with Noto Sans
 * (Greek, Latin extended) from @fontsource/noto-sans and Noto Sans SC's numbered subsets (mathematical
 * symbols such as ≤ √ ∑) as fallbacks. Fontsource splits the fonts by Unicode range; `unicode.json` of each
 * package says which file covers which code points, and fontkit confirms the glyph is there.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import zlib from 'node:zlib';
import * as fontkit from 'fontkit';

const require = createRequire(import.meta.url);

export interface FontFile {
  /** Name the PDF registers the font under. */
  name: string;
  path: string;
  /**
   * The parsed font, shared by every PDF of the process: pdfkit takes a fontkit font as a font source, and
   * fontkit's first layout of a CJK font (its GSUB/GPOS tables) costs over a second, so it is paid once.
   */
  font?: fontkit.Font;
}

interface Candidate extends FontFile {
  ranges: [number, number][];
}

/**
 * A WOFF 1.0 file unpacked to the plain OpenType (sfnt) it wraps (W3C WOFF 1.0 §4–5: a header, a table
 * directory, each table zlib-compressed when that made it smaller). fontkit reads WOFF directly but inflates
 * a table again on every access in JavaScript, which made one book take tens of seconds; unpacked once with
 * node's zlib, a font is read at memory speed.
 */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.readUInt32BE(0) !== 0x774f4646) return woff; // not 'wOFF': already an sfnt
  const flavor = woff.readUInt32BE(4);
  const numTables = woff.readUInt16BE(12);
  const tables: { tag: number; checksum: number; data: Buffer }[] = [];
  for (let i = 0; i < numTables; i++) {
    const e = 44 + i * 20;
    const offset = woff.readUInt32BE(e + 4);
    const compLength = woff.readUInt32BE(e + 8);
    const origLength = woff.readUInt32BE(e + 12);
    const raw = woff.subarray(offset, offset + compLength);
    tables.push({
      tag: woff.readUInt32BE(e),
      checksum: woff.readUInt32BE(e + 16),
      data: compLength < origLength ? zlib.inflateSync(raw) : Buffer.from(raw),
    });
  }
  let searchRange = 1;
  let entrySelector = 0;
  while (searchRange * 2 <= numTables) {
    searchRange *= 2;
    entrySelector++;
  }
  const headerSize = 12 + numTables * 16;
  const size = tables.reduce((s, t) => s + ((t.data.length + 3) & ~3), headerSize);
  const out = Buffer.alloc(size);
  out.writeUInt32BE(flavor, 0);
  out.writeUInt16BE(numTables, 4);
  out.writeUInt16BE(searchRange * 16, 6);
  out.writeUInt16BE(entrySelector, 8);
  out.writeUInt16BE(numTables * 16 - searchRange * 16, 10);
  let offset = headerSize;
  tables.forEach((t, i) => {
    const d = 12 + i * 16;
    out.writeUInt32BE(t.tag, d);
    out.writeUInt32BE(t.checksum, d + 4);
    out.writeUInt32BE(offset, d + 8);
    out.writeUInt32BE(t.data.length, d + 12);
    t.data.copy(out, offset);
    offset += (t.data.length + 3) & ~3;
  });
  return out;
}

function openFont(file: string): fontkit.Font {
  return fontkit.create(woffToSfnt(fs.readFileSync(file))) as fontkit.Font;
}

function packageDir(pkg: string): string {
  return path.dirname(require.resolve(`${pkg}/package.json`));
}

function parseRanges(spec: string): [number, number][] {
  return spec.split(',').map((part) => {
    const p = part.trim().replace(/^U\+/i, '');
    const [a, b] = p.split('-');
    const lo = parseInt(a ?? '0', 16);
    return [lo, b === undefined ? lo : parseInt(b, 16)];
  });
}

function candidates(pkg: string, family: string, order: (subset: string) => number): Candidate[] {
  const dir = packageDir(pkg);
  const table = JSON.parse(fs.readFileSync(path.join(dir, 'unicode.json'), 'utf8')) as Record<string, string>;
  return Object.entries(table)
    .map(([subset, spec]) => {
      const id = subset.replace(/[[\]]/g, '');
      return {
        name: `${family}-${id}`,
        path: path.join(dir, 'files', `${family}-${id}-400-normal.woff`),
        ranges: parseRanges(spec),
      };
    })
    .filter((c) => fs.existsSync(c.path))
    .sort((a, b) => order(a.name) - order(b.name));
}

/** Picks a font for every code point: the primary CJK font first, then the fallbacks that cover it. */
export class FontSet {
  readonly primary: FontFile & { font: fontkit.Font };
  private readonly primaryFont: fontkit.Font;
  private readonly fallbacks: Candidate[];
  private readonly memo = new Map<number, FontFile>();

  constructor() {
    const sc = packageDir('@fontsource/noto-sans-sc');
    const primaryPath = path.join(sc, 'files', 'noto-sans-sc-chinese-simplified-400-normal.woff');
    this.primaryFont = openFont(primaryPath);
    this.primary = { name: 'noto-sans-sc', path: primaryPath, font: this.primaryFont };
    const rank = (name: string) => (name.includes('-latin') ? 0 : name.includes('greek') ? 1 : 2);
    this.fallbacks = [
      ...candidates('@fontsource/noto-sans', 'noto-sans', rank),
      ...candidates('@fontsource/noto-sans-sc', 'noto-sans-sc', () => 3),
    ];
  }

  /** The font that draws `cp` (the primary one when none has it: the PDF then shows its .notdef box). */
  fontFor(cp: number): FontFile {
    const hit = this.memo.get(cp);
    if (hit) return hit;
    let chosen: FontFile = this.primary;
    if (!this.primaryFont.hasGlyphForCodePoint(cp)) {
      for (const c of this.fallbacks) {
        if (!c.ranges.some(([lo, hi]) => cp >= lo && cp <= hi)) continue;
        c.font ??= openFont(c.path);
        if (c.font.hasGlyphForCodePoint(cp)) {
          chosen = c;
          break;
        }
      }
    }
    this.memo.set(cp, chosen);
    return chosen;
  }

  /** `text` split into runs that one font draws. */
  runs(text: string): { font: FontFile; text: string }[] {
    const out: { font: FontFile; text: string }[] = [];
    for (const ch of text) {
      const cp = ch.codePointAt(0) ?? 32;
      const font = cp <= 0x20 ? (out.at(-1)?.font ?? this.primary) : this.fontFor(cp);
      const last = out.at(-1);
      if (last && last.font === font) last.text += ch;
      else out.push({ font, text: ch });
    }
    return out;
  }
}

let shared: FontSet | undefined;

/** One font set per process (opening the CJK font costs ~100 ms). */
export function fontSet(): FontSet {
  shared ??= new FontSet();
  return shared;
}
