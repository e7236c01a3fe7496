/**
 * Values as short strings, for logpoint values and the locals of a captured
 * stack. Pure: reads the inspector's RemoteObject descriptions only, never
 * calls back into the app.
 */

const MAX = 120;
const PREVIEW_ITEMS = 5;

export interface RemoteValue {
  type: string;
  subtype?: string;
  value?: unknown;
  unserializableValue?: string;
  description?: string;
  className?: string;
  /** Present when asked for (`generatePreview`): the first properties, already rendered by V8. */
  preview?: {
    overflow?: boolean;
    properties?: Array<{ name: string; type: string; value?: string; subtype?: string }>;
  };
}

export function shorten(text: string, max = MAX): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}

export function renderRemote(value: RemoteValue | undefined): string {
  if (!value) return 'undefined';
  switch (value.type) {
    case 'undefined':
      return 'undefined';
    case 'string':
      return shorten(JSON.stringify(value.value));
    case 'number':
    case 'bigint':
    case 'boolean':
      return value.unserializableValue ?? String(value.value);
    case 'function':
      return shorten(`[${value.className ?? 'Function'} ${firstLine(value.description)}]`);
    case 'object':
      if (value.subtype === 'null') return 'null';
      return shorten(withPreview(value));
    default:
      return shorten(value.description ?? String(value.value));
  }
}

/** `Object {id: 30, title: "card 30"}`, `Array(40) [1, 2, 3, …]`: the description, plus V8's preview when there is one. */
function withPreview(value: RemoteValue): string {
  const description = value.description ?? value.className ?? 'Object';
  const properties = value.preview?.properties;
  if (!properties || properties.length === 0) return description;
  const isArray = value.subtype === 'array' || value.subtype === 'typedarray';
  const items = properties.slice(0, PREVIEW_ITEMS).map((p) => {
    const shown = p.type === 'string' ? JSON.stringify(p.value ?? '') : (p.value ?? p.type);
    return isArray ? shown : `${p.name}: ${shown}`;
  });
  if (value.preview?.overflow || properties.length > PREVIEW_ITEMS) items.push('…');
  const body = items.join(', ');
  const label = description === 'Object' ? '' : `${description} `;
  return isArray ? `${label}[${body}]` : `${label}{${body}}`;
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n', 1)[0] ?? '';
}
