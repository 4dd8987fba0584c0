/**
 * The flags of `run` that change a search (the controller, the mode) are kept in its 'started' event, so that a resume
 * applies them too. Kept apart from the session's checks so that writing the search row needs no data or engine code.
 */
import { parseSpace } from '../space/load-space.js';
import type { Space } from '../space/schema.js';
import type { EventRecord, TrialStore } from '../store/trial-store.js';
import { type ControllerKind, isControllerKind } from '../controllers/registry.js';

/** A space with the flags of `run` that change the search applied (the controller, the mode). */
export function withOverrides(space: Space, o: { controller?: ControllerKind; mode?: 'pertrial' | 'oneshot' }): Space {
  return {
    ...space,
    search: {
      ...space.search,
      ...(o.controller ? { controller: o.controller } : {}),
      ...(o.mode ? { mode: o.mode } : {}),
    },
  };
}

/** Flags given to `run` that change the search are kept in its 'started' event; a resume applies them. */
export async function withStartOverrides(store: TrialStore, searchId: number, space: Space): Promise<Space> {
  const started = (await sinceStart(store, searchId))[0]?.payload as { controller?: string; mode?: string } | undefined;
  const kind = started?.controller;
  const controller = kind && isControllerKind(kind) ? kind : undefined;
  const mode = started?.mode === 'oneshot' || started?.mode === 'pertrial' ? started.mode : undefined;
  return withOverrides(space, { controller, mode });
}

/**
 * A stored search's effective space: the text it was started with, parsed (`label` names it in a message), with the
 * flags its run was given applied. What a resume, a worker, a report and a repeated `run` all read.
 */
export async function storedSpace(
  store: TrialStore,
  search: { id: number; spaceText: string; spacePath: string },
  label = search.spacePath,
): Promise<Space> {
  return withStartOverrides(store, search.id, parseSpace(search.spaceText, label).space);
}

/** The events of a search from its latest 'started' on: a search started again in place starts over. */
export async function sinceStart(store: TrialStore, searchId: number): Promise<EventRecord[]> {
  const events = await store.events(searchId);
  const at = events.findLastIndex((e) => e.kind === 'started');
  return at < 0 ? events : events.slice(at);
}
