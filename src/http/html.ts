/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:28rem;padding:1.5rem 1rem;color:#222}
h1{font-size:1.4rem}label{display:block;margin:1rem 0 .25rem;font-weight:600}
input{box-sizing:border-box;width:100%;font-size:1.1rem;padding:.6rem;border:1px solid #888;border-radius:.4rem}
button{width:100%;font-size:1.1rem;padding:.8rem;margin-top:1rem;border:0;border-radius:.4rem;background:#1a5;color:#fff}
button.secondary{background:#ddd;color:#222}.error{color:#b00;font-weight:600}.hint{color:#555;font-size:.9rem}`;

/** A complete, self-contained, mobile-first page; `body` (and `head`, extra head elements) must already be escaped. */
export function page(title: string, body: string, head = ''): string {
  return `<!doctype html><html lang="en"><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style>${head}<body>${body}</body></html>`;
}
