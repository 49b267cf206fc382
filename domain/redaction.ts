// Burns redactions into text: each hidden span becomes a mark naming its kind ("[redacted: phone]"), and
// each hidden value is also replaced wherever else it is written (another page, an e-mail header, a
// suggestion), so what a redaction hides cannot be read around it.

export interface HiddenSpan {
  start: number;
  end: number;
  kind: string;
}

export interface HiddenValue {
  text: string;
  kind: string;
}

/** What replaces a hidden span. */
export function redactionMark(kind: string): string {
  return `[redacted: ${kind}]`;
}

// Shorter values ("Анна") would hide ordinary words elsewhere: they are hidden only at their own place.
const MIN_VALUE_LENGTH = 5;

/** `text` with `spans` (offsets in `text`) and every occurrence of `values` replaced by their marks. */
export function redactText(
  text: string,
  spans: readonly HiddenSpan[],
  values: readonly HiddenValue[],
): string {
  const ordered = spans
    .filter((span) => span.start >= 0 && span.end <= text.length && span.start < span.end)
    .sort((a, b) => a.start - b.start);
  let result = '';
  let at = 0;
  for (const span of ordered) {
    if (span.start < at) {
      // Overlapping spans: extend the one already burned in.
      at = Math.max(at, span.end);
      continue;
    }
    result += text.slice(at, span.start) + redactionMark(span.kind);
    at = span.end;
  }
  result += text.slice(at);
  return redactValues(result, values);
}

/** `text` with every occurrence of each value replaced by its mark (longest values first). */
export function redactValues(text: string, values: readonly HiddenValue[]): string {
  let result = text;
  for (const value of [...values].sort((a, b) => b.text.length - a.text.length)) {
    if (value.text.trim().length < MIN_VALUE_LENGTH) continue;
    if (result.includes(value.text)) result = result.split(value.text).join(redactionMark(value.kind));
  }
  return result;
}

/** Every string inside `value` (objects, arrays) with the hidden values replaced. */
export function redactStrings<T>(value: T, values: readonly HiddenValue[]): T {
  if (!values.length) return value;
  if (typeof value === 'string') return redactValues(value, values) as T;
  if (Array.isArray(value)) return value.map((item) => redactStrings(item, values)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, redactStrings(item, values)]),
    ) as T;
  }
  return value;
}
