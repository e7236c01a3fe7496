// A call-heavy request (the story's shape): builds 23,159 model instances and
// serializes one. Used by the overhead bench, in-process, without a server.
export class Model {
  constructor(row) {
    this.pk = row.pk;
    this.title = row.title;
    this.tags = row.tags.slice();
  }
}

const table = Array.from({ length: 23_159 }, (_, pk) => ({ pk, title: `card ${pk}`, tags: ['postcard', pk % 9] }));

export function request() {
  const models = table.map((row) => new Model(row));
  return JSON.stringify(models[20_000]).length + models.length;
}
