// The web page: search, browse pages of results, view one postcard with every
// relation expanded. One static document; it only calls the JSON API.
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ephemera: postcard archive</title>
<style>
  body { font: 15px/1.45 Georgia, serif; margin: 0; background: #f6f1e7; color: #2b2418; }
  header { padding: 12px 20px; background: #2b2418; color: #f6f1e7; display: flex; gap: 12px; align-items: center; }
  header h1 { font-size: 20px; margin: 0 12px 0 0; }
  input, button { font: inherit; padding: 4px 8px; }
  main { display: grid; grid-template-columns: minmax(260px, 1fr) 2fr; gap: 20px; padding: 20px; }
  ol { padding-left: 0; list-style: none; margin: 0; }
  li { padding: 6px 8px; border-bottom: 1px solid #d8cdb6; cursor: pointer; }
  li:hover, li.active { background: #eadfc8; }
  .meta { color: #6b5d45; font-size: 13px; }
  .card { background: #fffdf8; border: 1px solid #d8cdb6; padding: 16px 20px; }
  .scans { display: flex; gap: 12px; margin: 12px 0; }
  .scans img { width: 48%; border: 1px solid #d8cdb6; background: #eee; }
  pre { white-space: pre-wrap; font: italic 16px/1.5 Georgia, serif; }
  .error { color: #9b1c1c; }
</style>
</head>
<body>
<header>
  <h1>ephemera</h1>
  <form id="search"><input id="q" placeholder="a surname, a town, a word" size="30"> <button>Search</button></form>
  <span id="total" class="meta"></span>
</header>
<main>
  <section><ol id="results"></ol><p><button id="prev">&larr;</button> <span id="page"></span> <button id="next">&rarr;</button></p></section>
  <section id="detail" class="card">Search the archive, or browse it page by page.</section>
</main>
<script>
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');
let state = { q: '', page: 1 };
async function api(path) {
  const response = await fetch(path);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
  return body;
}
async function search() {
  const params = new URLSearchParams({ page: state.page, page_size: 20, fields: 'id,title,postmark_date,kind' });
  if (state.q) params.set('q', state.q);
  try {
    const data = await api('/api/ephemera/?' + params);
    $('total').textContent = data.count.toLocaleString() + ' items';
    $('page').textContent = 'page ' + data.page;
    $('results').innerHTML = data.results.map((r) =>
      '<li data-id="' + r.id + '">' + esc(r.title) + '<div class="meta">' + esc(r.kind) + ' · ' + esc(r.postmark_date || 'no postmark') + '</div></li>').join('');
  } catch (error) { $('results').innerHTML = '<li class="error">' + esc(error.message) + '</li>'; }
}
async function show(id) {
  try {
    const e = await api('/api/ephemera/' + id + '/?img=2&expand=~all&referrer=/');
    const person = (p) => p ? esc(p.full_name) : 'unknown';
    const scan = (s) => s ? '<img alt="" src="' + esc(s.url) + '">' : '';
    $('detail').innerHTML = '<h2>' + esc(e.title) + '</h2>' +
      '<div class="meta">' + esc(e.kind) + ' · postmarked ' + esc(e.postmark_date || '?') + (e.postmark_place ? ' at ' + esc(e.postmark_place.name) : '') +
      ' · from ' + person(e.sender) + ' to ' + person(e.recipient) + '</div>' +
      '<div class="scans">' + scan(e.front) + scan(e.back) + '</div>' +
      '<pre>' + esc(e.transcription) + '</pre>' +
      '<p class="meta">People: ' + e.people.map(person).join(', ') + '<br>Places: ' + e.places.map((p) => esc(p.name)).join(', ') +
      '<br>Tags: ' + e.tags.map((t) => esc(t.name)).join(', ') + '<br>Collection: ' + esc(e.collection && e.collection.name) + '</p>';
  } catch (error) { $('detail').innerHTML = '<p class="error">' + esc(error.message) + '</p>'; }
}
$('search').addEventListener('submit', (event) => { event.preventDefault(); state = { q: $('q').value, page: 1 }; search(); });
$('prev').addEventListener('click', () => { if (state.page > 1) { state.page--; search(); } });
$('next').addEventListener('click', () => { state.page++; search(); });
$('results').addEventListener('click', (event) => {
  const li = event.target.closest('li[data-id]');
  if (!li) return;
  document.querySelectorAll('li.active').forEach((el) => el.classList.remove('active'));
  li.classList.add('active');
  show(li.dataset.id);
});
search();
</script>
</body>
</html>
`;
