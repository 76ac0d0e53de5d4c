/**
 * The calculation book (计算书): a document an engineer can check, sign and reproduce. A book is built in one
 * language from a calculation's input and result; renderers (HTML, PDF) only lay it out, so every number a
 * reader sees is in this structure, formatted once.
 */

export const BOOK_LANGS = ['zh-CN', 'en'] as const;
export type BookLang = (typeof BOOK_LANGS)[number];

export const BOOK_KINDS = ['demand', 'feeder', 'site'] as const;
export type BookKind = (typeof BOOK_KINDS)[number];

/** A table cell: the formatted text and, for numbers, the exact value it shows (for machine comparison). */
export interface Cell {
  text: string;
  value?: number;
  align?: 'left' | 'right' | 'center';
}

export type Block =
  | { type: 'paragraph'; text: string }
  /**
   * A formula: `tex` for the HTML renderer (KaTeX, MathML output), `text` the same formula in plain Unicode for
   * the PDF and for search; `clause` the standard and clause it comes from.
   */
  | { type: 'formula'; tex: string; text: string; clause: string }
  | {
      type: 'table';
      caption?: string;
      columns: { label: string; align?: 'left' | 'right' | 'center' }[];
      rows: Cell[][];
    }
  | { type: 'findings'; items: BookFinding[] }
  | { type: 'key_values'; rows: { label: string; value: string }[] };

export interface BookFinding {
  severity: 'error' | 'warning' | 'info';
  severity_label: string;
  code: string;
  message: string;
  clause: string;
}

export interface BookSection {
  id: string;
  title: string;
  blocks: Block[];
}

export interface BookProvenance {
  tpp_version: string;
  engine_version: string;
  rule_set: string;
  edition: string;
  catalogue_version: string;
  /** SHA-256 of the canonical JSON of the input as understood (units parsed). */
  input_sha256: string;
  /** SHA-256 of the canonical JSON of the result (its provenance block excluded). */
  result_sha256: string;
  /** Whether the same input under the newer rule-set edition gives another result (null: no newer edition). */
  newer_edition: { rule_set: string; edition: string; changes_result: boolean } | null;
}

export interface Book {
  format: 'tpp-calculation-book/1';
  kind: BookKind;
  lang: BookLang;
  title: string;
  cover: {
    project: string;
    site: string | null;
    subject: string;
    author: string;
    /** Local date and time of issue, ISO 8601 with the offset of the time zone it is given in. */
    issued_at: string;
    timezone: string;
  };
  sections: BookSection[];
  conclusion: { compliant: boolean; text: string[] };
  provenance: BookProvenance;
  /** What the book was made from: `verify` recomputes `result` from `input`. */
  source: { kind: BookKind; input: unknown };
}
