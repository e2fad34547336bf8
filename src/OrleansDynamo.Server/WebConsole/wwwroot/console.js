// The OrleansDynamo web console: plain DOM, no framework and no build step. Every DynamoDB call goes through
// POST /console/api with the page's anti-forgery token; the server runs it as an HTTP request under the signed-in principal.
'use strict';

const $ = id => document.getElementById(id);
const state = { table: null, description: null, lastKey: null, item: null, partitions: new Map() };

function csrf() {
  const cookie = document.cookie.split('; ').find(c => c.startsWith('odyn-csrf='));
  return cookie ? decodeURIComponent(cookie.substring('odyn-csrf='.length)) : '';
}

async function post(path, body, target) {
  const headers = { 'Content-Type': 'application/x-amz-json-1.0', 'X-Odyn-Csrf': csrf() };
  if (target) headers['X-Amz-Target'] = 'DynamoDB_20120810.' + target;
  const response = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body ?? {}), credentials: 'same-origin' });
  const text = await response.text();
  const json = text ? JSON.parse(text) : {};
  if (!response.ok) throw new Error(((json.__type || 'Error').split('#').pop()) + ': ' + (json.message || json.Message || response.status));
  return json;
}

const dynamo = (operation, body) => post('/console/api', body, operation);

function show(message, isError) {
  $('message').textContent = message;
  $('message').className = isError ? 'error' : '';
}

async function guarded(action) {
  try { await action(); } catch (e) { show(e.message, true); }
}

// --- Values: plain JSON <-> DynamoDB JSON ---

function toDynamo(value) {
  if (value === null) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(toDynamo) };
  if (typeof value === 'object') return { M: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toDynamo(v)])) };
  throw new Error('Cannot store ' + typeof value);
}

function fromDynamo(value) {
  const [type, inner] = Object.entries(value)[0];
  switch (type) {
    case 'S': case 'B': return inner;
    case 'N': { const n = Number(inner); return Number.isSafeInteger(n) || String(n) === inner ? n : inner; }
    case 'BOOL': return inner;
    case 'NULL': return null;
    case 'L': return inner.map(fromDynamo);
    case 'M': return Object.fromEntries(Object.entries(inner).map(([k, v]) => [k, fromDynamo(v)]));
    case 'SS': case 'BS': return inner;
    case 'NS': return inner.map(Number);
    default: return inner;
  }
}

const itemToPlain = item => Object.fromEntries(Object.entries(item).map(([k, v]) => [k, fromDynamo(v)]));
const plainToItem = plain => Object.fromEntries(Object.entries(plain).map(([k, v]) => [k, toDynamo(v)]));

// A value typed in a form, as the key attribute's type wants it.
function typed(text, type) {
  return type === 'N' ? { N: text.trim() } : type === 'B' ? { B: text.trim() } : { S: text };
}

// --- Session ---

async function start() {
  $('login-form').addEventListener('submit', e => { e.preventDefault(); guarded(signIn); });
  $('sign-out').addEventListener('click', () => guarded(async () => { await post('/console/logout'); location.reload(); }));
  $('create-form').addEventListener('submit', e => { e.preventDefault(); guarded(createTable); });
  $('delete-table').addEventListener('click', () => guarded(deleteTable));
  $('search-mode').addEventListener('change', searchModeChanged);
  $('search-index').addEventListener('change', searchModeChanged);
  $('query-sk-op').addEventListener('change', () => { $('query-sk2').hidden = $('query-sk-op').value !== 'between'; });
  $('add-filter').addEventListener('click', () => addFilter());
  $('search-form').addEventListener('submit', e => { e.preventDefault(); guarded(() => search(false)); });
  $('next-page').addEventListener('click', () => guarded(() => search(true)));
  $('editor-format').addEventListener('change', () => guarded(renderEditor));
  $('new-item').addEventListener('click', () => { state.item = {}; renderEditor(); $('editor').focus(); });
  $('save-item').addEventListener('click', () => guarded(saveItem));
  $('delete-item').addEventListener('click', () => guarded(deleteItem));

  const session = await (await fetch('/console/session', { credentials: 'same-origin' })).json();
  if (session.signInRequired && !session.principal) { $('login').hidden = false; return; }
  enter(session.principal);
}

async function signIn() {
  const session = await post('/console/login', { accessKeyId: $('login-key').value, secretAccessKey: $('login-secret').value });
  $('login').hidden = true;
  enter(session.principal);
}

function enter(principal) {
  $('who').textContent = principal ? 'signed in as ' + principal : '';
  $('sign-out').hidden = !principal;
  $('app').hidden = false;
  guarded(loadTables);
  guarded(loadPartitions);
  setInterval(() => guarded(loadPartitions), 2000);
}

// --- Tables ---

async function loadTables() {
  const names = [];
  let start;
  do {
    const page = await dynamo('ListTables', start ? { ExclusiveStartTableName: start } : {});
    names.push(...page.TableNames);
    start = page.LastEvaluatedTableName;
  } while (start);
  const list = $('tables');
  list.replaceChildren(...names.map(name => {
    const li = document.createElement('li');
    li.textContent = name;
    li.dataset.table = name;
    li.className = name === state.table ? 'selected' : '';
    li.addEventListener('click', () => guarded(() => openTable(name)));
    return li;
  }));
}

async function createTable() {
  const name = $('create-name').value.trim();
  const keys = [{ AttributeName: $('create-pk').value.trim(), KeyType: 'HASH' }];
  const definitions = [{ AttributeName: keys[0].AttributeName, AttributeType: $('create-pk-type').value }];
  const sortKey = $('create-sk').value.trim();
  if (sortKey) {
    keys.push({ AttributeName: sortKey, KeyType: 'RANGE' });
    definitions.push({ AttributeName: sortKey, AttributeType: $('create-sk-type').value });
  }
  await dynamo('CreateTable', { TableName: name, KeySchema: keys, AttributeDefinitions: definitions, BillingMode: 'PAY_PER_REQUEST' });
  $('create-form').reset();
  show('Created table ' + name);
  await loadTables();
  await openTable(name);
}

async function deleteTable() {
  if (!state.table || !confirm('Delete table ' + state.table + ' and all its items?')) return;
  await dynamo('DeleteTable', { TableName: state.table });
  show('Deleted table ' + state.table);
  state.table = null;
  $('table').hidden = true;
  await loadTables();
}

async function openTable(name) {
  const description = (await dynamo('DescribeTable', { TableName: name })).Table;
  const ttl = (await dynamo('DescribeTimeToLive', { TableName: name })).TimeToLiveDescription;
  state.table = name;
  state.description = description;
  $('table').hidden = false;
  $('table-name').textContent = name;
  for (const li of $('tables').children) li.className = li.dataset.table === name ? 'selected' : '';

  const keyText = schema => schema.map(k => `${k.AttributeName} (${k.KeyType === 'HASH' ? 'partition' : 'sort'})`).join(', ');
  const facts = [
    ['Status', description.TableStatus],
    ['Key', keyText(description.KeySchema)],
    ['Billing', description.BillingModeSummary?.BillingMode ?? 'PROVISIONED'],
    ['Items', String(description.ItemCount ?? 0)],
    ['Size', (description.TableSizeBytes ?? 0) + ' bytes'],
    ['Global indexes', (description.GlobalSecondaryIndexes ?? []).map(i => `${i.IndexName}: ${keyText(i.KeySchema)} [${i.IndexStatus}]`).join('; ') || 'none'],
    ['Local indexes', (description.LocalSecondaryIndexes ?? []).map(i => `${i.IndexName}: ${keyText(i.KeySchema)}`).join('; ') || 'none'],
    ['Stream', description.StreamSpecification?.StreamEnabled ? `${description.StreamSpecification.StreamViewType} (${description.LatestStreamArn})` : 'off'],
    ['Time to live', ttl?.TimeToLiveStatus === 'ENABLED' ? `on, attribute ${ttl.AttributeName}` : (ttl?.TimeToLiveStatus ?? 'DISABLED').toLowerCase()],
  ];
  $('table-facts').replaceChildren(...facts.flatMap(([term, value]) => {
    const dt = document.createElement('dt'); dt.textContent = term;
    const dd = document.createElement('dd'); dd.textContent = value;
    return [dt, dd];
  }));
  const indexes = [...(description.GlobalSecondaryIndexes ?? []), ...(description.LocalSecondaryIndexes ?? [])];
  $('search-index').replaceChildren(new Option('(table)', ''), ...indexes.map(i => new Option(i.IndexName, i.IndexName)));
  $('filters').replaceChildren();
  searchModeChanged();
  state.item = null;
  $('editor').value = '';
  await search(false);
}

// --- Query and scan ---

function keySchemaOf(indexName) {
  const d = state.description;
  if (!indexName) return d.KeySchema;
  return [...(d.GlobalSecondaryIndexes ?? []), ...(d.LocalSecondaryIndexes ?? [])].find(i => i.IndexName === indexName).KeySchema;
}

const typeOf = attribute => state.description.AttributeDefinitions.find(a => a.AttributeName === attribute)?.AttributeType ?? 'S';

function searchModeChanged() {
  const query = $('search-mode').value === 'query';
  $('key-condition').hidden = !query;
  const schema = keySchemaOf($('search-index').value);
  $('pk-label').textContent = schema[0].AttributeName;
  $('query-sk-op').disabled = schema.length < 2;
}

function addFilter() {
  const row = document.createElement('div');
  row.className = 'filter';
  const attribute = document.createElement('input');
  attribute.placeholder = 'attribute';
  attribute.setAttribute('aria-label', 'Filter attribute');
  const op = document.createElement('select');
  op.setAttribute('aria-label', 'Filter condition');
  for (const o of ['=', '<>', '<', '<=', '>', '>=', 'begins_with', 'contains', 'attribute_exists', 'attribute_not_exists']) op.add(new Option(o, o));
  const value = document.createElement('input');
  value.placeholder = 'value (JSON: "text", 12, true)';
  value.setAttribute('aria-label', 'Filter value');
  const remove = document.createElement('button');
  remove.type = 'button';
  remove.textContent = 'Remove';
  remove.addEventListener('click', () => row.remove());
  row.append(attribute, op, value, remove);
  $('filters').append(row);
}

// The filter rows as a FilterExpression, with placeholders for every name and value.
function filterExpression(names, values) {
  const parts = [];
  [...$('filters').children].forEach((row, i) => {
    const [attribute, op, value] = row.children;
    if (!attribute.value.trim()) return;
    const name = '#f' + i, placeholder = ':f' + i;
    names[name] = attribute.value.trim();
    if (op.value === 'attribute_exists' || op.value === 'attribute_not_exists') { parts.push(`${op.value}(${name})`); return; }
    let parsed;
    try { parsed = JSON.parse(value.value); } catch { parsed = value.value; }
    values[placeholder] = toDynamo(parsed);
    parts.push(op.value === 'begins_with' || op.value === 'contains' ? `${op.value}(${name}, ${placeholder})` : `${name} ${op.value} ${placeholder}`);
  });
  return parts.join(' AND ');
}

async function search(nextPage) {
  const request = { TableName: state.table, Limit: 25 };
  const index = $('search-index').value;
  if (index) request.IndexName = index;
  if (nextPage && state.lastKey) request.ExclusiveStartKey = state.lastKey;
  const names = {}, values = {};
  const query = $('search-mode').value === 'query';
  if (query) {
    const schema = keySchemaOf(index);
    names['#pk'] = schema[0].AttributeName;
    values[':pk'] = typed($('query-pk').value, typeOf(schema[0].AttributeName));
    let condition = '#pk = :pk';
    const op = $('query-sk-op').value;
    if (op && schema.length > 1) {
      names['#sk'] = schema[1].AttributeName;
      const type = typeOf(schema[1].AttributeName);
      values[':sk'] = typed($('query-sk').value, type);
      if (op === 'between') { values[':sk2'] = typed($('query-sk2').value, type); condition += ' AND #sk BETWEEN :sk AND :sk2'; }
      else if (op === 'begins_with') condition += ' AND begins_with(#sk, :sk)';
      else condition += ` AND #sk ${op} :sk`;
    }
    request.KeyConditionExpression = condition;
  }
  const filter = filterExpression(names, values);
  if (filter) request.FilterExpression = filter;
  if (Object.keys(names).length) request.ExpressionAttributeNames = names;
  if (Object.keys(values).length) request.ExpressionAttributeValues = values;
  const page = await dynamo(query ? 'Query' : 'Scan', request);
  state.lastKey = page.LastEvaluatedKey ?? null;
  $('next-page').hidden = !state.lastKey;
  $('search-status').textContent = `${page.Count} item(s), ${page.ScannedCount} read${state.lastKey ? ', more on the next page' : ''}`;
  renderItems(page.Items);
}

function renderItems(items) {
  const keys = state.description.KeySchema.map(k => k.AttributeName);
  const columns = [...new Set([...keys, ...items.flatMap(Object.keys)])];
  const head = document.createElement('tr');
  head.append(...columns.map(c => { const th = document.createElement('th'); th.textContent = c; return th; }));
  $('items').tHead.replaceChildren(head);
  $('items').tBodies[0].replaceChildren(...items.map(item => {
    const tr = document.createElement('tr');
    tr.append(...columns.map(c => {
      const td = document.createElement('td');
      td.textContent = c in item ? JSON.stringify(fromDynamo(item[c])) : '';
      return td;
    }));
    tr.addEventListener('click', () => { state.item = item; renderEditor(); });
    return tr;
  }));
}

// --- The item editor ---

function renderEditor() {
  const item = state.item ?? {};
  const text = $('editor-format').value === 'plain' ? itemToPlain(item) : item;
  $('editor').value = JSON.stringify(text, null, 2);
}

function editedItem() {
  const parsed = JSON.parse($('editor').value);
  return $('editor-format').value === 'plain' ? plainToItem(parsed) : parsed;
}

async function saveItem() {
  const item = editedItem();
  await dynamo('PutItem', { TableName: state.table, Item: item });
  state.item = item;
  show('Saved the item');
  await search(false);
}

async function deleteItem() {
  const item = editedItem();
  const key = Object.fromEntries(state.description.KeySchema.map(k => [k.AttributeName, item[k.AttributeName]]));
  await dynamo('DeleteItem', { TableName: state.table, Key: key });
  state.item = null;
  $('editor').value = '';
  show('Deleted the item');
  await search(false);
}

// --- The partition map ---

async function loadPartitions() {
  const response = await fetch('/console/partitions', { credentials: 'same-origin' });
  if (!response.ok) return;
  const rows = await response.json();
  const now = performance.now();
  $('partitions').tBodies[0].replaceChildren(...rows.map(row => {
    const id = `${row.silo}|${row.table}|${row.partition}`;
    const before = state.partitions.get(id);
    const rate = before ? ((row.requests - before.requests) * 1000 / (now - before.at)).toFixed(1) : '';
    state.partitions.set(id, { requests: row.requests, at: now });
    const tr = document.createElement('tr');
    for (const cell of [row.silo.split('@')[0], row.table, row.partition, row.items, row.bytes, rate]) {
      const td = document.createElement('td');
      td.textContent = String(cell);
      tr.append(td);
    }
    return tr;
  }));
}

start().catch(e => show(e.message, true));
