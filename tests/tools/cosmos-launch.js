// Copied from the team's shared tooling (shared/tools/cosmos-launch.js, measured in shared/emulators.md) so that a
// test run needs nothing outside this repository. The Cosmos catalog tests start it through
// tests/Personas.Azure.Tests/Emulators/CosmosEmulator.cs; Node finds @vercel/cosmosdb-server through NODE_PATH
// (tools/node_modules, installed by ./personas). Keep it in step with the shared copy when that changes.
//
// Launcher for @vercel/cosmosdb-server 1.0.1 with optional keep-alive, request logging and runtime fixes.
// usage: node cosmos-launch.js [--port 8081] [--no-ssl] [--keep-alive] [--log] [--fix]
//   --keep-alive : the stock CLI answers every request with "connection: close" (a new TLS handshake per call);
//                  createHttpsServer({keepAlive:true}) keeps connections open (~4x lower latency)
//   --fix        : monkey-patches (no files in node_modules are edited):
//                  1. point read of a missing / wrong-partition doc -> 404 (stock: 500 "Cannot read properties of undefined (reading 'pk')")
//                  2. read with If-None-Match == current _etag -> 304
//                  3. queries honour the x-ms-documentdb-partitionkey header (stock: ignores it -> returns other partitions' docs,
//                     or 400 "missing partition keys" when the SQL has no WHERE)
//                  4. TTL (container defaultTtl + per-item ttl) enforced lazily on every document access
//                  5. change feed (A-IM: Incremental feed) really incremental: per-collection LSN, etag = last LSN,
//                     If-None-Match:* = start from now (stock: returns everything once, then 304 forever)
//                  6. aggregate rewrite the .NET SDK sends (SELECT VALUE [{"item": COUNT(..)}] ...) for COUNT/SUM
'use strict';
const path = require('path');
const { AsyncLocalStorage } = require('async_hooks');
const args = process.argv.slice(2);
const opt = (n) => args.includes(n);
const port = args.includes('--port') ? parseInt(args[args.indexOf('--port') + 1], 10) : 8081;
const libdir = path.dirname(require.resolve('@vercel/cosmosdb-server'));
const L = (p) => require(path.join(libdir, p));

if (opt('--fix')) {
  const als = new AsyncLocalStorage();
  const { default: getPk, parsePartitionKey } = L('utils/get-partition-from-header.js');
  const pkOf = (req, fallback) => {
    const h = getPk(req);
    if (!h || h === '[{}]' || h === '[]') return { has: false };
    try { return { has: true, value: parsePartitionKey(h, fallback) }; } catch (e) { return { has: false }; }
  };
  const notFound = (res) => { res.statusCode = 404; return { code: 'NotFound', message: 'Entity with the specified id does not exist in the system.' }; };

  // ---- TTL + LSN on the Documents collection class ----
  const Documents = L('account/documents.js').default;
  const Items = L('account/items.js').default;
  Documents.prototype._purgeExpired = function () {
    if (this._purging) return;
    const coll = this._parent.read();
    if (!coll || coll.defaultTtl === undefined || coll.defaultTtl === null) return;
    const now = Date.now() / 1000;
    const expired = [];
    for (const item of this._data.values()) {
      const d = item.read();
      const ttl = d.ttl !== undefined && d.ttl !== null ? d.ttl : coll.defaultTtl;
      if (ttl > 0 && d._ts + ttl <= now) expired.push(d);
    }
    if (!expired.length) return;
    this._purging = true;
    try { for (const d of expired) this.delete(d.id, this._getPartition(d)); } finally { this._purging = false; }
  };
  for (const m of ['_item', 'query', 'read', 'create', 'upsert']) {
    const orig = Items.prototype[m];
    Documents.prototype[m] = function (...a) { this._purgeExpired(); return orig.apply(this, a); };
  }
  const origSet = Items.prototype._set;
  Documents.prototype._set = function (data) {
    this._lsn = (this._lsn || 0) + 1;
    // precise timestamp for TTL and change-feed "start from time"; _ts stays integer seconds like Cosmos
    data._lsn = this._lsn;
    return origSet.call(this, data);
  };
  // partition-scoped queries
  const origQuery = Items.prototype.query;
  Documents.prototype.query = function (params, o) {
    this._purgeExpired();
    const ctx = als.getStore();
    if (!ctx || !ctx.pk.has) return origQuery.call(this, params, o);
    const saved = this._data;
    const filtered = new Map();
    for (const [k, v] of saved) if (this._getPartition(v.read()) === ctx.pk.value) filtered.set(k, v);
    this._data = filtered;
    try { return origQuery.call(this, params, o); } finally { this._data = saved; }
  };

  // ---- handlers ----
  const rd = L('handler/read-document.js');
  const origRead = rd.default;
  rd.default = (account, req, res, params) => {
    const coll = account.database(params.dbId).collection(params.collId);
    if (coll.read()) {
      const pk = pkOf(req, params.docId);
      const doc = coll.document(params.docId, pk.has ? pk.value : params.docId).read();
      if (!doc) return notFound(res);
      const inm = req.headers['if-none-match'];
      if (inm && inm.replace(/"/g, '') === doc._etag) { res.statusCode = 304; res.setHeader('etag', doc._etag); return {}; }
    }
    return origRead(account, req, res, params);
  };

  const qd = L('handler/query-documents.js');
  const origQd = qd.default;
  qd.default = async (account, req, res, params) => {
    const pk = pkOf(req);
    if (pk.has) req.headers['x-ms-documentdb-query-enablecrosspartition'] = 'true'; // skip the "missing partition keys" text check
    // aggregate rewrite: SELECT VALUE [{"item": COUNT(x)}] FROM ...  ->  SELECT VALUE COUNT(x) FROM ...
    const json = L('json.js');
    const body = await json.default(req);
    let agg = null;
    if (body && typeof body.query === 'string') {
      const m = body.query.match(/^\s*SELECT\s+VALUE\s+\[\{"item":\s*(COUNT|SUM)\((.*)\)\}\]\s*(FROM[\s\S]*)$/i);
      if (m) { agg = true; body.query = `SELECT VALUE ${m[1]}(${m[2]}) ${m[3]}`; }
    }
    // json() caches nothing, so hand the parsed body back through a stub
    // the stock handler calls json.default(req) synchronously on entry: swap it in/out around that synchronous call only
    const origJson = json.default;
    json.default = async () => body;
    let pending;
    try {
      pending = als.run({ pk }, () => origQd(account, req, res, params));
    } finally { json.default = origJson; }
    const result = await pending;
    if (agg && result && Array.isArray(result.Documents)) result.Documents = result.Documents.map((v) => [{ item: v }]);
    return result;
  };

  const rds = L('handler/read-documents.js');
  const origRds = rds.default;
  rds.default = async (account, req, res, params) => {
    const aim = req.headers['a-im'];
    if (!aim) return origRds(account, req, res, params);
    delete req.headers['a-im']; // keep index.js from forcing etag "1" / 304
    const coll = account.database(params.dbId).collection(params.collId);
    if (!coll.read()) return notFound(res);
    const docs = coll.documents;
    docs._purgeExpired();
    const current = docs._lsn || 0;
    const inm = (req.headers['if-none-match'] || '').replace(/"/g, '');
    let since = 0;
    if (inm === '*') since = current; else if (/^\d+$/.test(inm)) since = parseInt(inm, 10);
    const ims = req.headers['if-modified-since'];
    const sinceTs = ims ? Date.parse(ims) / 1000 : null;
    const pk = pkOf(req);
    const max = parseInt(req.headers['x-ms-max-item-count'] || '100', 10);
    let changed = [...docs._data.values()].map((i) => i.read()).filter((d) => d._lsn > since);
    if (sinceTs !== null) changed = changed.filter((d) => d._ts >= Math.floor(sinceTs));
    if (pk.has) changed = changed.filter((d) => docs._getPartition(d) === pk.value);
    changed.sort((a, b) => a._lsn - b._lsn);
    if (max > 0) changed = changed.slice(0, max);
    if (!changed.length) { res.statusCode = 304; res.setHeader('x-ms-item-count', '0'); res.setHeader('etag', `"${Math.max(since, inm === '*' ? current : since)}"`); return {}; }
    res.setHeader('etag', `"${changed[changed.length - 1]._lsn}"`);
    res.setHeader('x-ms-item-count', String(changed.length));
    return { _rid: coll.read()._rid, Documents: changed, _count: changed.length };
  };
}

const { createHttpServer, createHttpsServer } = require('@vercel/cosmosdb-server');
const mk = opt('--no-ssl') ? createHttpServer : createHttpsServer;
const server = mk({ keepAlive: opt('--keep-alive') });
if (opt('--log')) {
  server.prependListener('request', (req, res) => {
    const t0 = Date.now();
    const h = Object.entries(req.headers).filter(([k]) => /^(x-ms-(documentdb|cosmos)|if-|a-im|content-type)/.test(k) && !/sdk-supportedcapabilities|correlated-activityid|supported-query-features|serialization-formats|populatequerymetrics/.test(k)).map(([k, v]) => `${k}=${v}`).join(' ');
    let body = '';
    req.on('data', (c) => { if (body.length < 400) body += c.toString(); });
    res.on('finish', () => console.log(`${req.method} ${req.url} -> ${res.statusCode} (${Date.now() - t0}ms) [${h}] ${body.slice(0, 400)}`));
  });
}
server.listen(port, '127.0.0.1', () => console.log(`Ready on ${opt('--no-ssl') ? 'http' : 'https'}://127.0.0.1:${port} keepAlive=${opt('--keep-alive')} fix=${opt('--fix')}`));
