/**
 * The application as the workflow and the deadline sweep see it: its state, the deferred documents it still
 * owes, its window and energisation date. Dates are local dates `YYYY-MM-DD` in the site's time zone.
 */
import type { DocumentGate } from '../catalog/documents.js';

export const APPLICATION_STATES = [
  'submitted',
  'accepted',
  'accepted_with_deferrals',
  'rejected',
  'approved',
  'energised',
  'overdue',
  'suspended',
  'withdrawn',
  'expired',
  'closed',
] as const;
export type ApplicationState = (typeof APPLICATION_STATES)[number];

/** States that accept no event at all. */
export const TERMINAL_STATES: readonly ApplicationState[] = ['rejected', 'withdrawn', 'closed'];

/** A document accepted as deferred (容缺) and what happened to it. */
export interface DeferredDocumentRecord {
  type: string;
  /** Last local date on which it may be supplied (inclusive). */
  due_date: string;
  gates?: DocumentGate;
  /** Local date it was supplied; absent while outstanding. */
  supplied_on?: string;
}

export interface ApplicationSnapshot {
  state: ApplicationState;
  /**
   * States to return to, last pushed last: entering `overdue`, `suspended` or `expired` pushes the state it
   * left; leaving by `documents_completed`, `resume` or `extend` pops it. Empty in every other state.
   */
  return_stack: ApplicationState[];
  /** The supply point the capacity is reserved on; approval requires one. */
  assigned_point_id?: string | null;
  deferred_documents: DeferredDocumentRecord[];
  /** End of the requested window (exclusive local date, the first day without supply). */
  window_end: string;
  /** Local date of energisation; set by the `energise` event, never cleared. */
  energised_on?: string;
  /** End of the term after an engineer's extension (exclusive local date); replaces the computed term end. */
  term_extended_until?: string;
}

/** Deferred documents not yet supplied. */
export function outstandingDocuments(
  app: Pick<ApplicationSnapshot, 'deferred_documents'>,
): DeferredDocumentRecord[] {
  return app.deferred_documents.filter((d) => d.supplied_on === undefined);
}
