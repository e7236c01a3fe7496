import { allEmployees, directReports, employeeById } from '../repositories/employeeRepository.js';

function toNode(employee) {
  return {
    id: employee.id,
    name: employee.fullName,
    title: employee.title,
    department: employee.department,
  };
}

export function buildTree(employees) {
  const childrenOf = (managerId) =>
    employees
      .filter((e) => e.managerId === managerId)
      .map((e) => ({ ...toNode(e), reports: childrenOf(e.id) }));
  return childrenOf(null);
}

function countNodes(nodes) {
  return nodes.reduce((sum, n) => sum + 1 + countNodes(n.reports), 0);
}

export async function orgTree() {
  const employees = await allEmployees();
  const roots = buildTree(employees);
  return { headcount: countNodes(roots), roots };
}

export async function employeeWithReports(id) {
  const employee = await employeeById(id);
  if (!employee) return null;
  const reports = await directReports(id);
  return { ...toNode(employee), email: employee.email, reports: reports.map(toNode) };
}
