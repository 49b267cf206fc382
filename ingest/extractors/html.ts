// Reads a saved web page (an article snapshot) as text: the article Readability finds, else the whole body.
import { readFile } from 'node:fs/promises';
import { Readability } from '@mozilla/readability';
import { JSDOM, VirtualConsole } from 'jsdom';
import {
  byteOrderMarkEncoding,
  decodeEncodedWords,
  decodeText,
  decodeWithCharset,
  type DecodedText,
} from '../charset.ts';
import type { ExtractionResult, Extractor } from '../extraction.ts';

// Browsers look for a declared charset in the first 1024 bytes; saved pages put long comments first.
const CHARSET_PRESCAN_BYTES = 4096;
const META_CHARSET = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([-\w.:]+)/i;

export const extractHtml: Extractor = async (input) => {
  const warnings: string[] = [];
  const base = { mime: input.mime, pages: [], children: [], metadata: {}, warnings };
  let bytes: Buffer;
  try {
    bytes = await readFile(input.path);
  } catch (error) {
    return {
      ...base,
      status: 'failed',
      reason: `The web page could not be read: ${(error as Error).message}`,
    };
  }

  const decoded = decodeHtmlBytes(bytes, warnings);
  try {
    const page = readPage(decoded.text, warnings);
    const metadata = { ...page.metadata, encoding: decoded.encoding };
    if (!page.text) return { ...base, metadata, status: 'empty', reason: 'The web page contains no text.' };
    return {
      ...base,
      metadata,
      status: 'extracted',
      pages: [{ number: 1, text: page.text, method: 'html', confidence: null }],
    } satisfies ExtractionResult;
  } catch (error) {
    return {
      ...base,
      status: 'failed',
      reason: `The web page could not be parsed: ${(error as Error).message}`,
    };
  }
};

type Article = ReturnType<Readability<Node>['parse']>;

/** The page's text, led by its title, and what the page says about itself. */
function readPage(html: string, warnings: string[]): { text: string; metadata: Record<string, unknown> } {
  // Archived notices are sometimes text saved under an .html name: parsing would glue their lines.
  if (!/<[a-z!/?]/i.test(html)) {
    warnings.push('The file holds no HTML markup; it was read as plain text.');
    return { text: html.replace(/\r\n?/g, '\n').trim(), metadata: {} };
  }
  const dom = parseInert(html);
  try {
    const document = dom.window.document;
    // Readability changes the document it reads, and the fallback needs the untouched body.
    const article = new Readability<Node>(document.cloneNode(true) as Document, {
      serializer: (node) => node,
    }).parse();
    const metadata = pageMetadata(document, article);
    let text = article?.content ? readableText(article.content) : '';
    if (!text && document.body) {
      text = readableText(document.body);
      if (text) warnings.push('No article was found in the page; the whole page text was kept.');
    }
    const title = typeof metadata.title === 'string' ? metadata.title : '';
    return { text: title && !text.startsWith(title) ? `${title}\n${text}`.trim() : text, metadata };
  } finally {
    dom.window.close();
  }
}

/** Converts an HTML fragment (an e-mail body) to readable text, one line per paragraph. */
export function htmlToText(html: string): string {
  const dom = parseInert(html);
  const body = dom.window.document.body;
  const text = body ? readableText(body) : '';
  dom.window.close();
  return text;
}

/** BOM, then a declared charset, then a guess; a declaration the bytes contradict loses, with a warning. */
function decodeHtmlBytes(bytes: Buffer, warnings: string[]): DecodedText {
  const guessed = decodeText(bytes);
  const label = META_CHARSET.exec(bytes.subarray(0, CHARSET_PRESCAN_BYTES).toString('latin1'))?.[1];
  if (byteOrderMarkEncoding(bytes) || !label) return guessed;

  // A page found by its <meta> is not UTF-16 (its ASCII would be full of NULs): browsers read it as UTF-8.
  const declaresUtf8 = /^utf-?(8|16(le|be)?)$/i.test(label);
  const bytesAreUtf8 = guessed.encoding === 'utf-8';
  if (declaresUtf8) {
    if (!bytesAreUtf8)
      warnings.push(`The page declares UTF-8 but its bytes are not; read as ${guessed.encoding}.`);
    return guessed;
  }
  // Valid multi-byte UTF-8 does not happen by chance in a legacy code page: the page was re-saved as
  // UTF-8 and kept its old declaration.
  if (bytesAreUtf8 && /[^\p{ASCII}]/u.test(guessed.text)) {
    warnings.push(`The page declares ${label} but its bytes are UTF-8; read as UTF-8.`);
    return guessed;
  }
  const declared = decodeWithCharset(bytes, label);
  if (!declared)
    warnings.push(`The page declares an unknown charset "${label}"; read as ${guessed.encoding}.`);
  return declared ?? guessed;
}

/**
 * A DOM that runs no scripts and loads nothing: jsdom fetches subresources (scripts, styles, images,
 * frames) only when asked with `resources: 'usable'`, and runs scripts only with `runScripts`.
 */
function parseInert(html: string): JSDOM {
  return new JSDOM(html, { contentType: 'text/html', virtualConsole: new VirtualConsole() });
}

function pageMetadata(document: Document, article: Article): Record<string, unknown> {
  const meta = (selector: string) => document.querySelector(selector)?.getAttribute('content')?.trim();
  const rawTitle = document.title.trim() || meta('meta[property="og:title"]') || article?.title?.trim();
  return withoutEmpty({
    // Saved e-mails (Lumen's notices) carry their subject as an RFC 2047 encoded word.
    title: rawTitle ? decodeEncodedWords(rawTitle) : undefined,
    canonicalUrl:
      document.querySelector('link[rel~="canonical" i]')?.getAttribute('href')?.trim() ||
      meta('meta[property="og:url"]'),
    publishedTime: meta('meta[property="article:published_time"]') || article?.publishedTime,
    siteName: meta('meta[property="og:site_name"]') || article?.siteName,
    byline: article?.byline?.trim(),
    lang: document.documentElement.getAttribute('lang')?.trim(),
  });
}

function withoutEmpty(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(record).filter(([, value]) => value !== undefined && value !== ''),
  );
}

const SKIPPED_ELEMENTS = new Set([
  'SCRIPT',
  'STYLE',
  'NOSCRIPT',
  'TEMPLATE',
  'HEAD',
  'SVG',
  'IFRAME',
  'OBJECT',
]);
const BLOCK_ELEMENTS = new Set(
  (
    'ADDRESS ARTICLE ASIDE BLOCKQUOTE DD DETAILS DIV DL DT FIELDSET FIGCAPTION FIGURE FOOTER FORM ' +
    'H1 H2 H3 H4 H5 H6 HEADER HR LI MAIN NAV OL P PRE SECTION SUMMARY TABLE TR UL'
  ).split(' '),
);

/** The text a reader sees: one line per paragraph, heading, list item or table row; blank lines dropped. */
function readableText(root: Node): string {
  const parts: string[] = [];
  const walk = (node: Node, preformatted: boolean): void => {
    if (node.nodeType === node.TEXT_NODE) {
      const text = node.textContent ?? '';
      parts.push(preformatted ? text : text.replace(/[ \t\n\r\f]+/g, ' '));
      return;
    }
    if (node.nodeType !== node.ELEMENT_NODE) return;
    const tag = (node as Element).tagName.toUpperCase();
    if (SKIPPED_ELEMENTS.has(tag)) return;
    if (tag === 'BR') return void parts.push('\n');
    const block = BLOCK_ELEMENTS.has(tag);
    if (block) parts.push('\n');
    if (tag === 'TD' || tag === 'TH') parts.push(' ');
    for (const child of node.childNodes) walk(child, preformatted || tag === 'PRE');
    if (block) parts.push('\n');
  };
  walk(root, false);
  return parts
    .join('')
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}
