/**
 * A calculation book as one HTML page with a print stylesheet: A4, page numbers in the page margin, table
 * headers repeated on every page, nothing wider than the page. Formulas are rendered by KaTeX as MathML
 * (Chromium, Firefox and Safari render it natively, so the page needs no math fonts or scripts). The CJK web
 * font is served by the API at /assets/fonts/ (see http/routes/books.ts).
 */
import katex from 'katex';
import type { Block, Book } from '../domain/book/model.js';
import { msg } from '../domain/book/messages.js';

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESC[c] ?? c);
}

function formula(tex: string): string {
  return katex.renderToString(tex, { output: 'mathml', displayMode: true, throwOnError: false });
}

function block(b: Block): string {
  switch (b.type) {
    case 'paragraph':
      return `<p>${esc(b.text)}</p>`;
    case 'formula':
      return `<div class="formula"><div class="math">${formula(b.tex)}</div><div class="clause">${esc(b.text)}<br><span>${esc(b.clause)}</span></div></div>`;
    case 'key_values':
      return `<table class="kv"><tbody>${b.rows
        .map((r) => `<tr><th scope="row">${esc(r.label)}</th><td>${esc(r.value)}</td></tr>`)
        .join('')}</tbody></table>`;
    case 'table':
      return `<table class="grid">${b.caption ? `<caption>${esc(b.caption)}</caption>` : ''}<thead><tr>${b.columns
        .map((c) => `<th class="${c.align ?? 'left'}">${esc(c.label)}</th>`)
        .join('')}</tr></thead><tbody>${b.rows
        .map(
          (row) =>
            `<tr>${row
              .map(
                (cell) =>
                  `<td class="${cell.align ?? 'left'}"${cell.value === undefined ? '' : ` data-value="${cell.value}"`}>${esc(cell.text)}</td>`,
              )
              .join('')}</tr>`,
        )
        .join('')}</tbody></table>`;
    case 'findings':
      return `<table class="grid findings"><thead><tr><th>${esc('⚑')}</th><th>code</th><th></th><th></th></tr></thead><tbody>${b.items
        .map(
          (f) =>
            `<tr class="${f.severity}"><td>${esc(f.severity_label)}</td><td><code>${esc(f.code)}</code></td><td>${esc(f.message)}</td><td>${esc(f.clause)}</td></tr>`,
        )
        .join('')}</tbody></table>`;
  }
}

const STYLE = `
@font-face { font-family: 'Noto Sans SC'; font-weight: 400; font-display: block;
  src: url('/assets/fonts/noto-sans-sc-chinese-simplified-400-normal.woff2') format('woff2'); }
@font-face { font-family: 'Noto Sans SC'; font-weight: 400; font-display: block; unicode-range: U+0000-00FF, U+0131, U+0152-0153, U+02BB-02BC, U+02C6, U+02DA, U+02DC, U+2000-206F, U+20AC, U+2122, U+2212, U+2215;
  src: url('/assets/fonts/noto-sans-latin-400-normal.woff2') format('woff2'); }
@font-face { font-family: 'Noto Sans SC'; font-weight: 400; font-display: block; unicode-range: U+0370-03FF;
  src: url('/assets/fonts/noto-sans-greek-400-normal.woff2') format('woff2'); }
@page { size: A4; margin: 18mm 15mm 20mm 15mm;
  @bottom-center { content: counter(page) " / " counter(pages); font: 9pt 'Noto Sans SC', sans-serif; color: #555; } }
* { box-sizing: border-box; }
html { font-family: 'Noto Sans SC', 'Noto Sans', sans-serif; font-size: 10.5pt; color: #111; line-height: 1.5; }
body { margin: 0 auto; max-width: 180mm; padding: 12mm 0; }
h1 { font-size: 18pt; margin: 0 0 6mm; }
h2 { font-size: 13pt; margin: 7mm 0 3mm; border-bottom: 1px solid #999; break-after: avoid; }
.cover { border: 1px solid #333; padding: 8mm; margin-bottom: 8mm; break-after: page; }
.cover table { width: 100%; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; table-layout: fixed; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 1px solid #bbb; padding: 1mm 1.5mm; vertical-align: top; overflow-wrap: anywhere; word-break: break-word; }
th { background: #eee; font-weight: 600; }
.kv th { width: 38%; text-align: left; }
.right { text-align: right; font-variant-numeric: tabular-nums; }
.center { text-align: center; }
.left { text-align: left; }
.formula { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 4mm; align-items: center; margin: 2mm 0; break-inside: avoid; }
.formula .math { overflow-x: auto; }
.formula .clause { font-size: 9pt; color: #333; }
.formula .clause span { color: #666; }
.findings .error td:first-child { color: #a00; font-weight: 600; }
.findings .warning td:first-child { color: #a60; }
code { font-size: 9pt; overflow-wrap: anywhere; }
.provenance td { font-family: monospace; font-size: 8.5pt; }
.conclusion { font-weight: 600; }
@media screen { body { padding: 12mm; } }
`;

/** The book as a complete HTML document. */
export function renderBookHtml(book: Book): string {
  const lang = book.lang;
  const c = book.cover;
  const coverRows: [string, string][] = [
    [msg(lang, 'cover.project'), c.project],
    ...(c.site ? ([[msg(lang, 'cover.site'), c.site]] as [string, string][]) : []),
    [msg(lang, 'cover.subject'), c.subject],
    [msg(lang, 'cover.author'), c.author],
    [msg(lang, 'cover.date'), `${c.issued_at} (${c.timezone})`],
  ];
  const sections = book.sections
    .map(
      (s) =>
        `<section id="${esc(s.id)}" class="${esc(s.id)}"><h2>${esc(s.title)}</h2>${s.blocks.map(block).join('\n')}</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(book.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<div class="cover"><h1>${esc(book.title)}</h1><table class="kv"><tbody>${coverRows
    .map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(v)}</td></tr>`)
    .join('')}</tbody></table></div>
${sections}
<script type="application/json" id="book-source">${JSON.stringify({
    kind: book.kind,
    provenance: book.provenance,
  }).replace(/</g, '\\u003c')}</script>
</body>
</html>
`;
}
