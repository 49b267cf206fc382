// Reads an OpenDocument text (.odt) as text, one line per paragraph, heading or list item, split into
// pages where the document starts them (page-break styles, and the soft page breaks of its last layout).
import JSZip from 'jszip';
import { readFile } from 'node:fs/promises';
import { JSDOM } from 'jsdom';
import type { ExtractionResult, Extractor } from '../extraction.ts';
import { splitAtPageMarks } from './pageMarks.ts';

const TEXT_NS = 'urn:oasis:names:tc:opendocument:xmlns:text:1.0';
const OFFICE_NS = 'urn:oasis:names:tc:opendocument:xmlns:office:1.0';
const META_NS = 'urn:oasis:names:tc:opendocument:xmlns:meta:1.0';
const DC_NS = 'http://purl.org/dc/elements/1.1/';
const STYLE_NS = 'urn:oasis:names:tc:opendocument:xmlns:style:1.0';
const FO_NS = 'urn:oasis:names:w3:org:1999:XSL:Format';
const FO_NS_COMPATIBLE = 'urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0';
/** Where a page starts, in the text being built: XML 1.0 cannot carry a form feed, so no text holds one. */
const PAGE_MARK = '\f';

// Not part of the text a reader sees: comments, deleted text kept by change tracking, footnote numbers.
const SKIPPED_ELEMENTS = new Set([
  `${OFFICE_NS} annotation`,
  `${TEXT_NS} tracked-changes`,
  `${TEXT_NS} note-citation`,
]);

export const extractOdt: Extractor = async (input) => {
  const base = { mime: input.mime, pages: [], children: [], metadata: {}, warnings: [] as string[] };
  try {
    const zip = await JSZip.loadAsync(await readFile(input.path));
    const manifest = (await zip.file('META-INF/manifest.xml')?.async('string')) ?? '';
    if (manifest.includes('encryption-data')) {
      return {
        ...base,
        status: 'encrypted',
        reason: 'The document is password-protected; remove the password and upload it again.',
      };
    }
    const content = await zip.file('content.xml')?.async('string');
    if (content === undefined) {
      return {
        ...base,
        status: 'failed',
        reason: 'The file is not an OpenDocument text: it has no content.xml.',
      };
    }
    const styles = (await zip.file('styles.xml')?.async('string')) ?? '';
    const pageTexts = documentPages(content, styles);
    const metaXml = await zip.file('meta.xml')?.async('string');
    const metadata = metaXml ? documentProperties(metaXml, base.warnings) : {};
    if (pageTexts.every((page) => page === '')) {
      return {
        ...base,
        metadata,
        status: 'empty',
        reason: 'The document contains no text (it may hold only images).',
      };
    }
    return {
      ...base,
      metadata,
      status: 'extracted',
      pages: pageTexts.map((text, index) => ({
        number: index + 1,
        text,
        method: 'odt' as const,
        confidence: null,
      })),
    } satisfies ExtractionResult;
  } catch (error) {
    return {
      ...base,
      status: 'failed',
      reason: `The OpenDocument file could not be read: ${describe(error)}`,
    };
  }
};

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return /zip|central directory|signature/i.test(message)
    ? 'the file is damaged or truncated (not a valid ZIP).'
    : message;
}

function parseXml(xml: string, name: string): Document {
  try {
    return new JSDOM(xml, { contentType: 'application/xml' }).window.document;
  } catch (error) {
    // jsdom's message starts with the document URL, which means nothing to a user.
    const detail = (error as Error).message.replace(/^about:blank:/, 'line ');
    throw new Error(`its ${name} is not well-formed XML (${detail})`, { cause: error });
  }
}

/** Names of the paragraph styles that start a new page (fo:break-before="page"), inherited ones too. */
function pageBreakStyles(documents: Document[]): Set<string> {
  const parents = new Map<string, string>();
  const breaking = new Set<string>();
  for (const document of documents) {
    for (const style of document.getElementsByTagNameNS(STYLE_NS, 'style')) {
      const name = style.getAttributeNS(STYLE_NS, 'name');
      if (!name) continue;
      const parent = style.getAttributeNS(STYLE_NS, 'parent-style-name');
      if (parent) parents.set(name, parent);
      for (const properties of style.getElementsByTagNameNS(STYLE_NS, 'paragraph-properties')) {
        const before =
          properties.getAttributeNS(FO_NS, 'break-before') ??
          properties.getAttributeNS(FO_NS_COMPATIBLE, 'break-before');
        if (before === 'page') breaking.add(name);
      }
    }
  }
  const breaks = (name: string, depth = 0): boolean =>
    breaking.has(name) || (depth < 10 && parents.has(name) && breaks(parents.get(name)!, depth + 1));
  return new Set([...parents.keys(), ...breaking].filter((name) => breaks(name)));
}

/** The text of each page, one line per paragraph. */
function documentPages(contentXml: string, stylesXml: string): string[] {
  const content = parseXml(contentXml, 'content.xml');
  // styles.xml holds the named styles a paragraph's automatic style may inherit from; if it is broken,
  // only the page breaks it defines are lost.
  let styles: Document[] = [content];
  try {
    if (stylesXml) styles = [content, parseXml(stylesXml, 'styles.xml')];
  } catch {
    // keep content.xml's own styles
  }
  const text = documentText(content, pageBreakStyles(styles));
  return splitAtPageMarks(text, PAGE_MARK, pageLines);
}

function pageLines(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join('\n');
}

/**
 * ODF collapses white space in text like HTML does and spells out the spaces it keeps (<text:s>), tabs
 * and line breaks as elements; paragraphs and headings (also inside lists and tables) end a line.
 */
function documentText(content: Document, breakingStyles: Set<string>): string {
  const body = content.getElementsByTagNameNS(OFFICE_NS, 'body')[0];
  if (!body) return '';
  const parts: string[] = [];
  const walk = (node: Node, inParagraph: boolean): void => {
    if (node.nodeType === node.TEXT_NODE) {
      // Text outside paragraphs is only the indentation of the XML.
      if (inParagraph) parts.push((node.textContent ?? '').replace(/[ \t\r\n]+/g, ' '));
      return;
    }
    if (node.nodeType !== node.ELEMENT_NODE) return;
    const element = node as Element;
    if (SKIPPED_ELEMENTS.has(`${element.namespaceURI} ${element.localName}`)) return;
    if (element.namespaceURI === TEXT_NS) {
      if (element.localName === 's') return void parts.push(' '.repeat(spaceCount(element)));
      if (element.localName === 'tab') return void parts.push('\t');
      if (element.localName === 'line-break') return void parts.push('\n');
      if (element.localName === 'soft-page-break') return void parts.push(PAGE_MARK);
    }
    const paragraph =
      element.namespaceURI === TEXT_NS && (element.localName === 'p' || element.localName === 'h');
    if (paragraph && breakingStyles.has(element.getAttributeNS(TEXT_NS, 'style-name') ?? '')) {
      parts.push(PAGE_MARK);
    }
    if (paragraph) parts.push('\n');
    for (const child of element.childNodes) walk(child, inParagraph || paragraph);
    if (paragraph) parts.push('\n');
  };
  walk(body, false);
  return parts.join('');
}

// A hostile count (text:c="1e9") must not build a gigabyte of spaces.
function spaceCount(element: Element): number {
  const count = Number(element.getAttributeNS(TEXT_NS, 'c') ?? 1);
  return Number.isFinite(count) ? Math.min(Math.max(Math.trunc(count), 1), 100) : 1;
}

/** Title, author and dates from meta.xml, when the document has them; broken ones cost only a warning. */
function documentProperties(metaXml: string, warnings: string[]): Record<string, unknown> {
  let document: Document;
  try {
    document = parseXml(metaXml, 'meta.xml');
  } catch (error) {
    warnings.push(`The document properties were left out: ${(error as Error).message}.`);
    return {};
  }
  const field = (namespace: string, name: string) =>
    document.getElementsByTagNameNS(namespace, name)[0]?.textContent?.trim() || undefined;
  const properties = {
    title: field(DC_NS, 'title'),
    author: field(META_NS, 'initial-creator') ?? field(DC_NS, 'creator'),
    created: field(META_NS, 'creation-date'),
    modified: field(DC_NS, 'date'),
  };
  return Object.fromEntries(Object.entries(properties).filter(([, value]) => value !== undefined));
}
