export function createPageService(knex) {
  async function tagsByPageIds(pageIds) {
    if (pageIds.length === 0) return new Map();
    const rows = await knex('page_tags as pt')
      .join('tags as t', 't.id', 'pt.tag_id')
      .whereIn('pt.page_id', pageIds)
      .select('pt.page_id', 't.name')
      .orderBy('t.name');
    const byPage = new Map();
    for (const row of rows) {
      if (!byPage.has(row.page_id)) byPage.set(row.page_id, []);
      byPage.get(row.page_id).push(row.name);
    }
    return byPage;
  }

  function toSummary(row, tags) {
    return {
      id: row.id,
      slug: row.slug,
      title: row.title,
      summary: row.summary,
      author: row.author_name,
      updatedAt: row.updated_at,
      tags,
    };
  }

  return {
    async listRecentPages({ limit, before }) {
      const query = knex('pages as p')
        .join('users as u', 'u.id', 'p.author_id')
        .select('p.id', 'p.slug', 'p.title', 'p.summary', 'p.updated_at', 'u.display_name as author_name')
        .orderBy([{ column: 'p.updated_at', order: 'desc' }, { column: 'p.id', order: 'desc' }])
        .limit(limit);
      if (before) {
        query.where('p.updated_at', '<', before);
      }
      const rows = await query;
      const tags = await tagsByPageIds(rows.map((r) => r.id));
      return rows.map((row) => toSummary(row, tags.get(row.id) || []));
    },

    async getPage(slug) {
      const row = await knex('pages as p')
        .join('users as u', 'u.id', 'p.author_id')
        .select('p.id', 'p.slug', 'p.title', 'p.summary', 'p.body', 'p.updated_at', 'u.display_name as author_name')
        .where('p.slug', slug)
        .first();
      if (!row) return null;
      const tags = await tagsByPageIds([row.id]);
      return { ...toSummary(row, tags.get(row.id) || []), body: row.body };
    },

    async updatePage(slug, { title, body, summary }) {
      const [row] = await knex('pages')
        .where({ slug })
        .update({ title, body, summary, updated_at: knex.fn.now() })
        .returning(['id']);
      return row ? this.getPage(slug) : null;
    },
  };
}
