import assert from 'node:assert/strict';
import { test } from 'node:test';
import { joinLine } from './join-lines.js';

const at = { file: '/app/src/courses.js', line: 3, column: 18, functionName: 'list' };
const read = (source: string[]) => (path: string) => (path === at.file ? source.join('\n') : undefined);

test('Sequelize: two has-many includes, the line of the list that holds them; an order naming one again is not it', () => {
  const source = [
    'async function list(page) {',
    '  const where = { published: true };',
    '  const rows = await Course.findAll({',
    '    where,',
    '    include: [',
    "      { model: Lesson, as: 'lessons' },",
    "      { model: Enrollment, as: 'enrollments', attributes: ['id'] },",
    '    ],',
    "    order: [['title', 'ASC'], [{ model: Lesson, as: 'lessons' }, 'position', 'ASC']],",
    '    limit: 20,',
    '  });',
    '  return rows;',
    '}',
  ];
  const sql =
    'SELECT `Course`.*, `lessons`.`id`, `enrollments`.`id` FROM (SELECT * FROM `courses` AS `Course` WHERE `Course`.`published` = ? LIMIT ?) AS `Course` LEFT OUTER JOIN `lessons` AS `lessons` ON `Course`.`id` = `lessons`.`course_id` LEFT OUTER JOIN `enrollments` AS `enrollments` ON `Course`.`id` = `enrollments`.`course_id`';
  assert.equal(joinLine(sql, at, read(source))?.line, 5);
});

test('TypeORM relations listed on one line, or one join only, or no source: no line of its own', () => {
  const oneLine = [
    'async function list() {',
    '  return this.repo',
    "    .find({ relations: ['lessons', 'enrollments'], take: 20 });",
    '}',
  ];
  const sql =
    'SELECT * FROM "course" "c" LEFT JOIN "lesson" "l" ON "l"."courseId" = "c"."id" LEFT JOIN "enrollment" "e" ON "e"."courseId" = "c"."id"';
  assert.equal(joinLine(sql, { ...at, line: 2 }, read(oneLine))?.line, 3, 'the line that names them');
  assert.equal(joinLine('SELECT * FROM a JOIN lessons l ON l.a = a.id', at, read(oneLine)), undefined);
  assert.equal(
    joinLine(sql, at, () => undefined),
    undefined,
  );
});
