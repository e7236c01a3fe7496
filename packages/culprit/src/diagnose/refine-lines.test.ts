import assert from 'node:assert/strict';
import { test } from 'node:test';
import { callLine, loopHeaderLine, patternDefinitionLine, refineLines } from './refine-lines.js';

const webhook = [
  'export function verify(body: string, signature: string) {',
  '  const secret = process.env.SECRET ?? "dev";',
  "  const key = crypto.pbkdf2Sync(secret, 'salt', 200000, 64, 'sha512');",
  '  return sign(key, body) === signature;',
  '}',
];

test('the call a function spends its time in is found below its first line', () => {
  assert.equal(callLine(webhook, 1, 'pbkdf2Sync'), 3);
  assert.equal(callLine(webhook, 1, 'scryptSync'), undefined);
});

test("a loop body's first query moves up to the loop's header, not past its function", () => {
  const source = [
    'async function list(rows) {',
    '  const out = [];',
    '  for (const row of rows) {',
    '    row.author = await users.find(row.authorId);',
    '  }',
    '}',
  ];
  assert.equal(loopHeaderLine(source, 4), 3);
  assert.equal(loopHeaderLine(['function one(id) {', '  return db.get(id);', '}'], 2), undefined);
});

test('findings with a callee move; others and unreadable files stay', () => {
  const finding = {
    rule: 'blocking-call',
    severity: 'warning' as const,
    title: 't',
    impact: 0.5,
    evidence: [],
    callee: 'pbkdf2Sync',
    location: { file: '/app/src/webhooks.ts', line: 1, column: 1 },
  };
  const read = (file: string) => (file === '/app/src/webhooks.ts' ? webhook.join('\n') : undefined);
  assert.equal(refineLines([finding], read)[0]?.location?.line, 3);
  const titled = { ...finding, title: 'POST /hook spends 80% in pbkdf2Sync at /app/src/webhooks.ts:1 (verify)' };
  titled.location = { ...finding.location, functionName: 'verify' } as typeof finding.location;
  assert.equal(
    refineLines([titled], read)[0]?.title,
    'POST /hook spends 80% in pbkdf2Sync at /app/src/webhooks.ts:3 (verify)',
    'the title names the line the finding moved to',
  );
  assert.equal(
    refineLines([{ ...finding, location: { ...finding.location, file: '/elsewhere.ts' } }], read)[0]?.location?.line,
    1,
  );
});

test('a hot line that runs a pattern constant moves to the pattern', () => {
  const source = [
    'const EMAIL = /^([a-z0-9]+[._-]?)*[a-z0-9]+@([a-z0-9-]+\\.)+[a-z]{2,}$/;',
    '',
    'function isValidEmail(value) {',
    '  return EMAIL.test(value);',
    '}',
    'const clean = (text) => text.replace(SPACES, " ");',
    'const SPACES = new RegExp("\\\\s+", "g");',
  ];
  assert.equal(patternDefinitionLine(source, 4), 1);
  assert.equal(patternDefinitionLine(source, 6), 7);
  assert.equal(patternDefinitionLine(source, 3), undefined);
});
