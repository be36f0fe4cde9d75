import { createElement, type ReactElement } from 'react'
import Markdown, { defaultUrlTransform, type Components } from 'react-markdown'

/**
 * How a trade's notes (markdown the trader typed, or that came in with an imported file) are
 * shown. react-markdown builds React elements, never an HTML string, so nothing here goes
 * through innerHTML; on top of its defaults:
 * - raw HTML in the text (`<script>`, `<img onerror=…>`) is dropped (`skipHtml`), not rendered;
 * - link targets pass react-markdown's URL check (only http(s), mailto and relative links;
 *   `javascript:` and `data:` become empty), and open outside the app (`_blank`, no referrer);
 * - images are shown as their alt text, so a note never makes the app load a remote picture
 *   (the CSP's `img-src 'self' data:` would block it anyway).
 * Written without JSX so a node test can render it with react-dom/server.
 */
const components: Components = {
  a: ({ href, children }) =>
    href
      ? createElement('a', { href, target: '_blank', rel: 'noreferrer noopener' }, children)
      : createElement('span', null, children),
  img: ({ alt }) => createElement('span', { className: 'jr-md-img' }, alt ? `[image: ${alt}]` : '[image]'),
}

/** The notes as React elements (see above for what is dropped). */
export function renderNotes(text: string): ReactElement {
  return createElement(
    Markdown,
    { skipHtml: true, components, urlTransform: defaultUrlTransform },
    text,
  ) as ReactElement
}
