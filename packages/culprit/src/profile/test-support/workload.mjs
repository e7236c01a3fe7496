// A small workload with known call counts, profiled in-process by the tests.
// Plain JavaScript so positions in V8's source equal positions in this file.
export class Row {
  constructor(id) {
    this.id = id;
    this.fields = { name: `row ${id}`, tags: [id % 7, id % 11] };
  }
  get label() {
    return this.fields.name;
  }
}

export class Plain {
  value = 1;
}

export function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

function spin(iterations) {
  let x = 0;
  for (let i = 0; i < iterations; i++) x += Math.sqrt(x + i);
  return x;
}

/** One "request": 2,000 rows, 500 plain objects, fib(15), a few ms of arithmetic. */
export function request() {
  let total = 0;
  for (let i = 0; i < 2000; i++) total += new Row(i).label.length;
  for (let i = 0; i < 500; i++) total += new Plain().value;
  total += fib(15);
  total += [1, 2, 3].map((v) => v * 2).length;
  spin(3_000_000);
  return total;
}

/** An async "request": the work after the await must still belong to it. */
export async function asyncRequest() {
  await new Promise((resolve) => setImmediate(resolve));
  return spin(2_000_000);
}
