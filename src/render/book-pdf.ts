/**
 * A calculation book as PDF, made on the server without a browser (pdfkit): A4, embedded and subset fonts
 * (Noto Sans SC with fallbacks, so Chinese text is searchable), page numbers "page / pages", table headers
 * repeated after a page break, cells wrapped inside their column.
 */
import PDFDocument from 'pdfkit';
import type { Block, Book, Cell } from '../domain/book/model.js';
import { msg } from '../domain/book/messages.js';
import { fontSet, type FontFile, type FontSet } from './fonts.js';

const MM = 72 / 25.4;
const MARGIN = { top: 18 * MM, bottom: 20 * MM, left: 15 * MM, right: 15 * MM };
const BODY = 9.5;
const SMALL = 8;

class Writer {
  readonly doc: PDFKit.PDFDocument;
  private readonly fonts: FontSet;
  private readonly registered = new Set<string>();
  readonly width: number;

  constructor(book: Book) {
    this.fonts = fontSet();
    this.doc = new PDFDocument({
      size: 'A4',
      margins: MARGIN,
      bufferPages: true,
      info: {
        Title: book.title,
        Author: book.cover.author,
        Subject: book.cover.subject,
        Creator: `tpp ${book.provenance.tpp_version}`,
        Producer: 'tpp calculation book (pdfkit)',
        CreationDate: new Date(Date.parse(book.cover.issued_at.replace(/([+-]\d\d:\d\d)$/, ':00$1'))),
      },
      lang: book.lang,
      displayTitle: true,
    });
    this.width = this.doc.page.width - MARGIN.left - MARGIN.right;
    this.use(this.fonts.primary);
  }

  private use(f: FontFile): void {
    if (!this.registered.has(f.name)) {
      this.doc.registerFont(f.name, (f.font ?? f.path) as string);
      this.registered.add(f.name);
    }
    this.doc.font(f.name);
  }

  /** Writes `text` at (x, y) or at the cursor, wrapping within `width`, switching fonts per run. */
  text(
    text: string,
    opts: {
      x?: number;
      y?: number;
      width?: number;
      size?: number;
      align?: 'left' | 'right' | 'center';
      color?: string;
    } = {},
  ): void {
    const doc = this.doc;
    doc.fontSize(opts.size ?? BODY).fillColor(opts.color ?? '#111');
    const runs = this.fonts.runs(text.length === 0 ? ' ' : text);
    const x = opts.x ?? doc.x;
    const y = opts.y ?? doc.y;
    runs.forEach((run, i) => {
      this.use(run.font);
      const last = i === runs.length - 1;
      const o = {
        width: opts.width ?? this.width,
        align: opts.align ?? 'left',
        continued: !last,
        lineGap: 1,
      };
      if (i === 0) doc.text(run.text, x, y, o);
      else doc.text(run.text, o);
    });
    this.use(this.fonts.primary);
  }

  height(text: string, width: number, size = BODY): number {
    this.doc.fontSize(size);
    return this.doc.heightOfString(text.length === 0 ? ' ' : text, { width, lineGap: 1 });
  }

  ensure(h: number): void {
    if (this.doc.y + h > this.doc.page.height - MARGIN.bottom) this.doc.addPage();
  }

  heading(text: string, size: number): void {
    this.ensure(size * 3);
    this.doc.moveDown(0.6);
    this.text(text, { x: MARGIN.left, size });
    const y = this.doc.y + 1;
    this.doc
      .moveTo(MARGIN.left, y)
      .lineTo(MARGIN.left + this.width, y)
      .lineWidth(0.5)
      .strokeColor('#888')
      .stroke();
    this.doc.y = y + 4;
  }

  paragraph(text: string): void {
    this.ensure(this.height(text, this.width) + 4);
    this.text(text, { x: MARGIN.left });
    this.doc.moveDown(0.4);
  }

  table(
    columns: { label: string; align?: Cell['align'] }[],
    rows: Cell[][],
    widths?: number[],
    showHeader = true,
  ): void {
    const w = widths ?? this.columnWidths(columns, rows);
    const pad = 2.5;
    const drawRow = (cells: { text: string; align?: Cell['align'] }[], header: boolean, size: number) => {
      const h = Math.max(...cells.map((c, i) => this.height(c.text, (w[i] ?? 40) - 2 * pad, size))) + 2 * pad;
      return {
        h,
        draw: (y: number) => {
          let x = MARGIN.left;
          cells.forEach((c, i) => {
            const cw = w[i] ?? 40;
            if (header) this.doc.rect(x, y, cw, h).fillColor('#eeeeee').fill();
            this.doc.rect(x, y, cw, h).lineWidth(0.4).strokeColor('#999').stroke();
            this.text(c.text, {
              x: x + pad,
              y: y + pad,
              width: cw - 2 * pad,
              size,
              align: c.align ?? 'left',
            });
            x += cw;
          });
          this.doc.x = MARGIN.left;
          this.doc.y = y + h;
        },
      };
    };
    const header = showHeader
      ? drawRow(
          columns.map((c) => ({ text: c.label, align: c.align })),
          true,
          SMALL,
        )
      : null;
    const bottom = () => this.doc.page.height - MARGIN.bottom;
    this.ensure((header?.h ?? 0) + 20);
    header?.draw(this.doc.y);
    for (const r of rows) {
      const row = drawRow(r, false, SMALL);
      if (this.doc.y + row.h > bottom()) {
        this.doc.addPage();
        header?.draw(this.doc.y);
      }
      row.draw(this.doc.y);
    }
    this.doc.moveDown(0.5);
  }

  /** Column widths from the text lengths, each at least 8 % of the page width, summing to the width. */
  private columnWidths(columns: { label: string }[], rows: Cell[][]): number[] {
    const weight = columns.map((c, i) =>
      Math.max(4, Math.min(60, Math.max(c.label.length, ...rows.map((r) => r[i]?.text.length ?? 0)))),
    );
    const min = this.width * 0.08;
    const total = weight.reduce((s, x) => s + x, 0);
    const raw = weight.map((x) => Math.max(min, (x / total) * this.width));
    const scale = this.width / raw.reduce((s, x) => s + x, 0);
    return raw.map((x) => x * scale);
  }

  block(b: Block): void {
    switch (b.type) {
      case 'paragraph':
        this.paragraph(b.text);
        return;
      case 'formula': {
        const h =
          this.height(b.text, this.width - 12, BODY + 1) + this.height(b.clause, this.width - 12, SMALL) + 10;
        this.ensure(h);
        const y = this.doc.y;
        this.doc.rect(MARGIN.left, y, this.width, h).fillColor('#f5f5f5').fill();
        this.text(b.text, { x: MARGIN.left + 6, y: y + 4, width: this.width - 12, size: BODY + 1 });
        this.text(b.clause, { x: MARGIN.left + 6, width: this.width - 12, size: SMALL, color: '#555' });
        this.doc.x = MARGIN.left;
        this.doc.y = y + h + 4;
        return;
      }
      case 'key_values':
        this.table(
          [{ label: '' }, { label: '' }],
          b.rows.map((r) => [{ text: r.label }, { text: r.value }]),
          [this.width * 0.38, this.width * 0.62],
          false,
        );
        return;
      case 'table':
        this.table(b.columns, b.rows);
        return;
      case 'findings':
        this.table(
          [{ label: '' }, { label: 'code' }, { label: '' }, { label: '' }],
          b.items.map((f) => [
            { text: f.severity_label },
            { text: f.code },
            { text: f.message },
            { text: f.clause },
          ]),
          [this.width * 0.1, this.width * 0.22, this.width * 0.48, this.width * 0.2],
        );
        return;
    }
  }
}

/** Renders the book as a PDF (resolves with the file's bytes). */
export async function renderBookPdf(book: Book): Promise<Buffer> {
  const w = new Writer(book);
  const doc = w.doc;
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  const lang = book.lang;
  // Cover
  doc.y = MARGIN.top + 40 * MM;
  w.text(book.title, { x: MARGIN.left, size: 18, align: 'center' });
  doc.moveDown(2);
  const c = book.cover;
  w.table(
    [{ label: '' }, { label: '' }],
    [
      [{ text: msg(lang, 'cover.project') }, { text: c.project }],
      ...(c.site ? [[{ text: msg(lang, 'cover.site') }, { text: c.site }]] : []),
      [{ text: msg(lang, 'cover.subject') }, { text: c.subject }],
      [{ text: msg(lang, 'cover.author') }, { text: c.author }],
      [{ text: msg(lang, 'cover.date') }, { text: `${c.issued_at} (${c.timezone})` }],
    ],
    [w.width * 0.3, w.width * 0.7],
    false,
  );
  doc.addPage();
  for (const s of book.sections) {
    w.heading(s.title, 13);
    for (const b of s.blocks) w.block(b);
  }
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const label = msg(lang, 'page.of', { page: i + 1, pages: range.count });
    // Writing into the bottom margin: lift the margin for this one line so pdfkit does not add a page.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    w.text(label, {
      x: MARGIN.left,
      y: doc.page.height - MARGIN.bottom + 8 * MM,
      width: w.width,
      size: SMALL,
      align: 'center',
      color: '#555',
    });
    w.text(book.title, {
      x: MARGIN.left,
      y: MARGIN.top - 10 * MM,
      width: w.width,
      size: SMALL,
      align: 'right',
      color: '#777',
    });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}
