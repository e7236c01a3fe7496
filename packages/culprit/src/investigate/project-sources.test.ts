import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { projectRootOf, projectSources } from './project-sources.js';

const base = mkdtempSync(join(tmpdir(), 'culprit-sources-'));
after(() => rmSync(base, { recursive: true, force: true }));
const project = join(base, 'app');
const outside = join(base, 'secret.txt');
mkdirSync(join(project, 'src'), { recursive: true });
mkdirSync(join(project, 'node_modules', 'dep'), { recursive: true });
writeFileSync(join(project, 'package.json'), '{}');
writeFileSync(join(project, 'src', 'api.ts'), 'line 1\nline 2\n');
writeFileSync(join(project, 'node_modules', 'dep', 'index.js'), 'dependency code');
writeFileSync(outside, 'TOP SECRET');
symlinkSync(outside, join(project, 'src', 'link.ts'));

test('project root: the nearest directory with a package.json', () => {
  assert.equal(projectRootOf(join(project, 'src')), project);
});

test('reads the project own files, by path or file URL', () => {
  const read = projectSources([project]);
  assert.equal(read(join(project, 'src', 'api.ts')), 'line 1\nline 2\n');
  assert.equal(read(pathToFileURL(join(project, 'src', 'api.ts')).href), 'line 1\nline 2\n');
});

test('never reads outside the project, in node_modules, through a symlink out, or a relative path', () => {
  const read = projectSources([project]);
  for (const file of [
    outside,
    '/etc/passwd',
    '/etc/shadow',
    pathToFileURL(outside).href,
    join(project, 'src', '..', '..', 'secret.txt'),
    join(project, 'src', 'link.ts'),
    join(project, 'node_modules', 'dep', 'index.js'),
    'src/api.ts',
    project,
  ]) {
    assert.equal(read(file), undefined, file);
  }
});
