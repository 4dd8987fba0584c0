/**
 * What `list` and `show` call a search's state. The store keeps `running` until the owner writes another status, so
 * a search whose owner was killed (or whose owner's heartbeat went stale, store promise 11) still says `running`
 * there; to the user it is `interrupted`, with the command that continues it.
 */
import type { SearchRecord } from '../store/trial-store.js';

export interface ShownStatus {
  status: SearchRecord['status'] | 'interrupted';
  /** For an interrupted search: the command that continues it. */
  resumeWith?: string;
}

export function shownStatus(s: Pick<SearchRecord, 'name' | 'status' | 'owner'>, db: string): ShownStatus {
  if (s.status !== 'running' || s.owner?.alive === true) return { status: s.status };
  return { status: 'interrupted', resumeWith: `embnas resume ${s.name}${db === 'trials.db' ? '' : ` --db ${db}`}` };
}

/** "interrupted — resume with `embnas resume NAME`", or the plain status. */
export function statusLine(s: ShownStatus): string {
  return s.resumeWith ? `${s.status} — resume with \`${s.resumeWith}\`` : s.status;
}
