import { posix } from 'node:path';
import { Lexer, Parser, Renderer, type Token, type Tokens } from 'marked';
import { escapeHtml } from '../http/html.js';

/** One heading of a rendered page: its level, its words and its anchor. */
export interface GuideHeading {
  readonly depth: number;
  readonly text: string;
  readonly anchor: string;
}

/** A markdown file as a guide page: its title (the `#` heading), the HTML below it, its headings. */
export interface RenderedPage {
  readonly title: string;
  readonly html: string;
  readonly headings: readonly GuideHeading[];
}

/** Where a link between guide files goes: the served page's path for a file in the guide, else nothing. */
export type GuideLinkTarget = (file: string) => string | undefined;

/** What marked's text renderer writes for these characters, undone for a heading's words. */
const MARKED_ESCAPES: Readonly<Record<string, string>> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

/**
 * A heading's anchor as GitHub makes it, so `owner.md#a-full-disk` means the same on GitHub and here:
 * lower case, punctuation dropped, each space a dash.
 */
export function slugOf(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/**
 * marked's renderer for the guide. Raw HTML in a file is shown as text, never passed through (the guide
 * is served on the owner's origin); links to other guide files point at their served pages; links to
 * anything else in the repository (development docs, source files) become plain text; images show their
 * description (the pages' CSP would block a remote image anyway).
 */
class GuideRenderer extends Renderer {
  readonly headings: GuideHeading[] = [];
  private readonly taken = new Map<string, number>();

  constructor(
    private readonly file: string,
    private readonly target: GuideLinkTarget,
  ) {
    super();
  }

  override heading({ tokens, depth }: Tokens.Heading): string {
    const text = plainText(tokens);
    const anchor = this.unique(slugOf(text));
    this.headings.push({ depth, text, anchor });
    return `<h${depth} id="${anchor}">${this.parser.parseInline(tokens)}</h${depth}>\n`;
  }

  override html({ text }: Tokens.HTML | Tokens.Tag): string {
    return escapeHtml(text);
  }

  override link({ href, tokens }: Tokens.Link): string {
    const inner = this.parser.parseInline(tokens);
    const to = this.resolve(href);
    return to === undefined ? inner : `<a href="${escapeHtml(to)}">${inner}</a>`;
  }

  override image({ text }: Tokens.Image): string {
    return escapeHtml(text);
  }

  override table(token: Tokens.Table): string {
    // A wide table scrolls inside its box instead of widening a phone's page.
    return `<div class="scroll">${super.table(token)}</div>`;
  }

  /** GitHub numbers a repeated anchor: `pickup`, `pickup-1`. */
  private unique(slug: string): string {
    const seen = this.taken.get(slug);
    this.taken.set(slug, (seen ?? -1) + 1);
    return seen === undefined ? slug : `${slug}-${seen + 1}`;
  }

  private resolve(href: string): string | undefined {
    if (/^(https?|mailto):/i.test(href)) return href;
    if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) return undefined;
    if (href.startsWith('#')) return href;
    const [path = '', fragment] = href.split('#', 2);
    const page = this.target(posix.normalize(posix.join(posix.dirname(this.file), path)));
    if (page === undefined) return undefined;
    return fragment === undefined ? page : `${page}#${fragment}`;
  }
}

/** A heading's words without markup (marked's text renderer still escapes them, hence the decoding). */
function plainText(tokens: Token[]): string {
  const parser = new Parser({ gfm: true });
  const html = parser.parseInline(tokens, parser.textRenderer);
  return html.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => MARKED_ESCAPES[entity] ?? entity);
}

/**
 * Renders one markdown file of the guide. `file` is its path in the package (`docs/owner.md`), which
 * relative links are resolved against; `target` says where a linked file is served, if it is.
 */
export function renderGuidePage(markdown: string, file: string, target: GuideLinkTarget): RenderedPage {
  const tokens = Lexer.lex(markdown, { gfm: true });
  const at = tokens.findIndex((t) => t.type === 'heading' && (t as Tokens.Heading).depth === 1);
  const top = at === -1 ? undefined : (tokens.splice(at, 1)[0] as Tokens.Heading);
  const renderer = new GuideRenderer(file, target);
  const html = new Parser({ gfm: true, renderer }).parse(tokens);
  const title = top === undefined ? posix.basename(file, '.md') : plainText(top.tokens);
  return { title, html, headings: renderer.headings };
}
