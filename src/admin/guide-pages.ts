import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RenderedPage, renderGuidePage } from './guide-render.js';

/** The files the owner's guide serves, in the order its index lists them; `id` is the page's path. */
export const GUIDE_DOCS = [
  { id: 'owner', file: 'docs/owner.md' },
  { id: 'kitchen', file: 'docs/kitchen.md' },
  { id: 'hardware', file: 'hardware/README.md' },
  { id: 'operations', file: 'docs/operations.md' },
  { id: 'install', file: 'docs/install.md' },
  { id: 'customers-and-agents', file: 'docs/customers-and-agents.md' },
] as const;

/** A page of the guide, by its path under `/admin/guide/`. */
export type GuideDocId = (typeof GUIDE_DOCS)[number]['id'];

/**
 * The package's top directory, where `docs/` and `hardware/` sit: two levels above this file both in
 * `src/admin/` (a checkout) and in `dist/admin/` (the installed app and the bundle).
 */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The served address of a guide page, or of one of its sections. */
export function guidePath(doc: GuideDocId, anchor?: string): string {
  return anchor === undefined ? `/admin/guide/${doc}` : `/admin/guide/${doc}#${anchor}`;
}

/** A rendered guide page with its id. */
export interface GuidePage extends RenderedPage {
  readonly id: GuideDocId;
}

/** The whole guide: every page that could be read, and the files that could not. */
export interface Guide {
  readonly pages: readonly GuidePage[];
  readonly missing: readonly string[];
  page(id: string): GuidePage | undefined;
}

const servedAt = (file: string) => GUIDE_DOCS.find((d) => d.file === file);

/** Reads and renders every guide file under `root`; a file that cannot be read is left out and named. */
export function loadGuide(root: string): Guide {
  const pages: GuidePage[] = [];
  const missing: string[] = [];
  for (const doc of GUIDE_DOCS) {
    let markdown: string;
    try {
      markdown = readFileSync(join(root, doc.file), 'utf8');
    } catch {
      missing.push(doc.file);
      continue;
    }
    const target = (file: string) => {
      const linked = servedAt(file);
      return linked === undefined ? undefined : guidePath(linked.id);
    };
    pages.push({ id: doc.id, ...renderGuidePage(markdown, doc.file, target) });
  }
  return { pages, missing, page: (id) => pages.find((p) => p.id === id) };
}

/**
 * The guide, rendered at its first request and kept for the life of the process: the files are part of
 * the installed package and change only with it. `loaded` hears of that one rendering.
 */
export function cachedGuide(root: string, loaded: (guide: Guide) => void): () => Guide {
  let guide: Guide | undefined;
  return () => {
    if (guide === undefined) {
      guide = loadGuide(root);
      loaded(guide);
    }
    return guide;
  };
}
