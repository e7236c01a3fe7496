import { knex } from '../db.js';

const SELECT_COLUMNS = [
  'e.id',
  'e.full_name as fullName',
  'e.title',
  'e.email',
  'e.manager_id as managerId',
  'd.name as department',
];

export function allEmployees() {
  return knex('employees as e').leftJoin('departments as d', 'd.id', 'e.department_id').select(SELECT_COLUMNS);
}

export function employeeById(id) {
  return knex('employees as e')
    .leftJoin('departments as d', 'd.id', 'e.department_id')
    .select(SELECT_COLUMNS)
    .where('e.id', id)
    .first();
}

export function directReports(managerId) {
  return knex('employees as e')
    .leftJoin('departments as d', 'd.id', 'e.department_id')
    .select(SELECT_COLUMNS)
    .where('e.manager_id', managerId)
    .orderBy('e.full_name');
}
