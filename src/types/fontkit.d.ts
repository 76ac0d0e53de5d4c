/** The part of fontkit (pdfkit's font engine; it ships no types) that the PDF font fallback uses. */
declare module 'fontkit' {
  export interface Font {
    hasGlyphForCodePoint(codePoint: number): boolean;
  }
  export function openSync(path: string): Font | { fonts: Font[] };
  export function create(buffer: Uint8Array, postscriptName?: string): Font | { fonts: Font[] };
}
