/** `culprit/budget`: performance budgets for tests (queries, rows, objects built, time per request). */
export { type Budget, type BudgetViolation, checkBudget, describeViolations } from './check-budget.js';
export { assertWithinBudget, type MeasureOptions, measureRequest } from './measure-request.js';
