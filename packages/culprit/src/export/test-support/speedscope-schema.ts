/**
 * The parts of speedscope's file-format JSON Schema that a sampled profile
 * uses, written from its documentation (https://www.speedscope.app/file-format-schema.json,
 * generated from speedscope's `file-format-spec.ts`), checked with ajv.
 */
import { Ajv } from 'ajv';

const schema = {
  $id: 'speedscope-file',
  type: 'object',
  required: ['$schema', 'shared', 'profiles'],
  properties: {
    $schema: { const: 'https://www.speedscope.app/file-format-schema.json' },
    name: { type: 'string' },
    activeProfileIndex: { type: 'number' },
    exporter: { type: 'string' },
    shared: {
      type: 'object',
      required: ['frames'],
      properties: {
        frames: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name'],
            properties: {
              name: { type: 'string' },
              file: { type: 'string' },
              line: { type: 'number' },
              col: { type: 'number' },
            },
            additionalProperties: false,
          },
        },
      },
    },
    profiles: {
      type: 'array',
      items: {
        type: 'object',
        required: ['type', 'name', 'unit', 'startValue', 'endValue', 'samples', 'weights'],
        properties: {
          type: { const: 'sampled' },
          name: { type: 'string' },
          unit: { enum: ['none', 'nanoseconds', 'microseconds', 'milliseconds', 'seconds', 'bytes'] },
          startValue: { type: 'number' },
          endValue: { type: 'number' },
          samples: { type: 'array', items: { type: 'array', items: { type: 'number' } } },
          weights: { type: 'array', items: { type: 'number' } },
        },
        additionalProperties: false,
      },
    },
  },
} as const;

const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

/** Schema errors plus the checks a schema cannot say (frame indices in range, one weight per sample). */
export function validateSpeedscope(file: unknown): string[] {
  if (!validate(file)) return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
  const errors: string[] = [];
  const typed = file as { shared: { frames: unknown[] }; profiles: Array<{ samples: number[][]; weights: number[] }> };
  for (const profile of typed.profiles) {
    if (profile.samples.length !== profile.weights.length) errors.push('samples and weights differ in length');
    for (const stack of profile.samples) {
      if (stack.some((i) => !Number.isInteger(i) || i < 0 || i >= typed.shared.frames.length))
        errors.push('frame index out of range');
    }
  }
  return errors;
}
