// KeepCluster management console: a small single-page app over the node's JSON API
// (the same API scripts call with HTTP Basic). The session cookie is HttpOnly; the CSRF token
// the sign-in returns is kept in memory and sent on every state change.
'use strict';

(function () {
  const state = { csrf: null, operator: null, node: null, rule: null, timer: null, rolloutKid: null,
    revoked: new Set(), page: null };

  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (k === 'class') node.className = v;
      else if (k.startsWith('data-')) node.setAttribute(k, v);
      else node[k] = v;
    });
    children.flat().forEach((c) => node.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c))));
    return node;
  }

  function show(id, text) {
    const box = $(id);
    box.textContent = text || '';
    box.hidden = !text;
  }

  /** Calls the API; resolves to {status, body}. A lost session sends the operator to sign in. */
  async function api(method, path, body) {
    const headers = { 'X-KeepCluster-Console': '1', Accept: 'application/json' };
    if (method !== 'GET') headers['X-CSRF-Token'] = state.csrf || '';
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(path, { method, headers, credentials: 'same-origin',
        body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      return { status: 0, body: { message: 'The node does not answer', details: String(e) } };
    }
    let parsed = {};
    const text = await response.text();
    if (text) {
      try { parsed = JSON.parse(text); } catch (e) { parsed = { message: text.slice(0, 200) }; }
    }
    if (response.status === 401 && !path.startsWith('/console/api/')) {
      signedOut('Your session has ended: sign in again.');
    }
    return { status: response.status, body: parsed };
  }

  function errorText(reply) {
    const b = reply.body || {};
    const base = b.message || ('HTTP ' + reply.status);
    return (reply.status ? reply.status + ': ' : '') + base + (b.details ? ' (' + b.details + ')' : '');
  }

  function when(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    return isNaN(d) ? iso : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  }

  function duration(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    return (d ? d + 'd ' : '') + (d || h ? h + 'h ' : '') + (d || h || m ? m + 'm ' : '') + (s % 60) + 's';
  }

  /** Fills a table's rows and labels each cell with its column, for the narrow (stacked) layout. */
  function fill(tableId, rows) {
    const table = $(tableId);
    table.tBodies[0].replaceChildren(...rows);
    const names = Array.from(table.tHead.rows[0].cells).map((c) => c.textContent);
    Array.from(table.tBodies[0].rows).forEach((row) => Array.from(row.cells).forEach((cell, i) => {
      if (cell.colSpan === 1 && names[i]) cell.dataset.label = names[i];
    }));
  }

  function badge(text, kind) {
    return el('span', { class: 'badge badge-' + (kind || text) }, text);
  }

  // ---- sign-in ----------------------------------------------------------------------------

  function signedOut(message) {
    state.csrf = null;
    state.operator = null;
    stopTimer();
    $('app').hidden = true;
    $('who').hidden = true;
    $('login-view').hidden = false;
    show('login-error', message || '');
    $('login-username').focus();
  }

  function signedIn(reply) {
    state.csrf = reply.csrf;
    state.operator = reply.operator;
    $('operator-name').textContent = reply.operator;
    $('login-view').hidden = true;
    $('app').hidden = false;
    $('who').hidden = false;
    $('login-password').value = '';
    show('login-error', '');
    loadNodeName();
    route();
  }

  async function loadNodeName() {
    const reply = await api('GET', '/api/cluster');
    if (reply.status === 200) {
      state.node = reply.body.node;
      $('node-badge').textContent = 'node ' + reply.body.node;
    }
  }

  $('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const username = $('login-username').value.trim();
    const password = $('login-password').value;
    if (!username || !password) {
      show('login-error', 'Enter the account name and the password.');
      return;
    }
    show('login-error', '');
    $('login-submit').disabled = true;
    const reply = await api('POST', '/console/api/login', { username, password });
    $('login-submit').disabled = false;
    if (reply.status === 200) {
      signedIn(reply.body);
    } else {
      show('login-error', (reply.body && reply.body.message) || errorText(reply));
      $('login-password').select();
    }
  });

  $('logout').addEventListener('click', async () => {
    await api('POST', '/console/api/logout');
    signedOut('You are signed out.');
  });

  // ---- pages ------------------------------------------------------------------------------

  const pages = { home: loadHome, keysets: loadKeysets, providers: loadProviders, users: loadUsers,
    config: loadConfig, cluster: loadCluster };
  const refreshing = { home: 1000, keysets: 2000, providers: 5000, cluster: 5000 };

  function stopTimer() {
    if (state.timer) clearInterval(state.timer);
    state.timer = null;
  }

  function route() {
    if (!state.csrf) return;
    const name = (location.hash || '#home').slice(1);
    const page = pages[name] ? name : 'home';
    state.page = page;
    document.querySelectorAll('.page').forEach((p) => { p.hidden = p.id !== 'page-' + page; });
    document.querySelectorAll('.nav a').forEach((a) => a.classList.toggle('active', a.dataset.page === page));
    stopTimer();
    pages[page]();
    if (refreshing[page]) state.timer = setInterval(() => pages[page](true), refreshing[page]);
  }
  window.addEventListener('hashchange', route);

  function confirmAction(title, text, label) {
    return new Promise((resolve) => {
      const dialog = $('confirm');
      $('confirm-title').textContent = title;
      $('confirm-text').textContent = text;
      $('confirm-ok').textContent = label;
      dialog.returnValue = '';
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
      dialog.showModal();
    });
  }

  // ---- Home: Create IdP Certificate, then the live rollout ----------------------------------

  const SIZES = { RSA: [['2048', '2048 bits'], ['3072', '3072 bits'], ['4096', '4096 bits']],
    EC: [['P-256', 'P-256'], ['P-384', 'P-384'], ['P-521', 'P-521']] };

  function fillSizes() {
    const algorithm = $('cert-algorithm').value;
    $('cert-size-label').textContent = algorithm === 'RSA' ? 'Key size' : 'Curve';
    $('cert-size').replaceChildren(...SIZES[algorithm].map(([v, t]) => el('option', { value: v }, t)));
  }
  $('cert-algorithm').addEventListener('change', fillSizes);
  fillSizes();

  async function loadRule() {
    if (state.rule) return state.rule;
    const reply = await api('GET', '/api/idp-certificates/name-rule');
    if (reply.status === 200) {
      state.rule = { regex: new RegExp('^(?:' + reply.body.pattern + ')$'), message: reply.body.message };
      $('cert-name-hint').textContent = 'Rule: ' + reply.body.message + '.';
    }
    return state.rule;
  }

  function checkName() {
    const name = $('cert-name').value;
    const rule = state.rule;
    const bad = rule && name !== '' && !rule.regex.test(name);
    show('cert-name-error', bad ? rule.message : '');
    $('cert-name').classList.toggle('invalid', !!bad);
    return !bad;
  }
  $('cert-name').addEventListener('input', checkName);

  $('cert-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    show('create-error', '');
    const name = $('cert-name').value;
    await loadRule();
    if (!name) {
      show('cert-name-error', state.rule ? state.rule.message : 'Enter a name');
      return;
    }
    if (!checkName()) return;
    const algorithm = $('cert-algorithm').value;
    const body = { name, algorithm };
    if (algorithm === 'RSA') body.keySize = parseInt($('cert-size').value, 10);
    else body.curve = $('cert-size').value;
    $('cert-create').disabled = true;
    $('cert-create').textContent = 'Creating…';
    const reply = await api('POST', '/api/idp-certificates', body);
    $('cert-create').disabled = false;
    $('cert-create').textContent = 'Create IdP Certificate';
    if (reply.status === 201) {
      $('cert-name').value = '';
      state.rolloutKid = reply.body.kid;
      $('rollout').hidden = false;
      $('rollout-kid').textContent = reply.body.kid + ' (' + reply.body.alg + ')';
      loadHome();
    } else if (reply.status === 400 && reply.body.message === 'Invalid certificate name') {
      show('cert-name-error', reply.body.details || reply.body.message);
    } else {
      show('create-error', errorText(reply));
    }
  });

  async function loadHome() {
    await loadRule();
    if (!state.rolloutKid) return;
    const reply = await api('GET', '/api/keysets');
    if (reply.status !== 200) {
      $('rollout-state').textContent = errorText(reply);
      return;
    }
    const kid = state.rolloutKid;
    const keyset = reply.body.keysets.find((k) => k.kid === kid);
    const members = reply.body.members || [];
    const having = new Set(keyset ? keyset.nodes : []);
    const line = $('rollout-state');
    line.replaceChildren();
    if (!keyset) {
      line.append(badge('pending'), ' files written; waiting for this node to load them…');
    } else if (keyset.state === 'signing') {
      line.append(badge('signing'), ' ' + kid + ' signs new tokens on this node.');
    } else if (keyset.state === 'published') {
      const left = Math.max(0, Math.ceil((new Date(keyset.signingAt) - Date.now()) / 1000));
      line.append(badge('published'), ' in the JWKS everywhere; starts signing at ' + when(keyset.signingAt)
        + ' (in ' + left + ' s).');
    } else {
      line.append(badge(keyset.state), ' ' + having.size + ' of ' + members.length
        + ' nodes verify it; it signs once every node does.');
    }
    const rows = members.map((m) => el('tr', { 'data-node': m },
      el('td', {}, m + (m === reply.body.node ? ' (this node)' : '')),
      el('td', { class: 'presence' }, having.has(m) ? badge('yes', 'ok') : badge('not yet', 'waiting'))));
    fill('rollout-table', rows);
  }

  // ---- Keysets -----------------------------------------------------------------------------

  async function loadKeysets(quiet) {
    const reply = await api('GET', '/api/keysets');
    if (reply.status !== 200) {
      show('keysets-error', 'Cannot load the keysets: ' + errorText(reply));
      return;
    }
    if (!quiet) show('keysets-error', '');
    const body = reply.body;
    $('keysets-signing').textContent = 'Signing on this node: ' + body.signing;
    const members = body.members || [];
    const problems = body.problems || [];
    const ofKid = (kid) => problems.filter((p) => p.file === kid + '.json' || p.file.startsWith(kid + '.')
      || p.file.startsWith(kid + ' '));
    const rows = body.keysets.slice().sort((a, b) => a.kid.localeCompare(b.kid)).map((k) => {
      const live = k.state !== 'retiring';
      const nodes = el('td', { class: 'nodes' }, members.map((m) =>
        el('span', { class: 'chip ' + (k.nodes.includes(m) ? 'chip-ok' : 'chip-missing'),
          title: k.nodes.includes(m) ? 'verifies with it' : 'does not have it' }, m)));
      const own = ofKid(k.kid);
      return el('tr', { 'data-kid': k.kid },
        el('td', { class: 'mono' }, k.kid),
        el('td', {}, k.alg),
        el('td', { class: 'state' }, badge(k.state), k.signingAt ? el('div', { class: 'small muted' },
          'signs from ' + when(k.signingAt)) : ''),
        el('td', { class: 'small' }, when(k.created)),
        nodes,
        el('td', { class: 'small' }, own.map((p) => el('div', { class: 'problem' }, p.error))),
        el('td', { class: 'row-actions' },
          live ? el('button', { type: 'button', 'data-action': 'retire', onclick: () => act(k.kid, 'retire') }, 'Retire') : '',
          el('button', { type: 'button', class: 'danger', 'data-action': 'revoke', onclick: () => act(k.kid, 'revoke') }, 'Revoke')));
    });
    if (state.rolloutKid && !state.revoked.has(state.rolloutKid) && !body.keysets.some((k) => k.kid === state.rolloutKid)) {
      // Created from this console, files written, not loaded yet.
      rows.push(el('tr', { 'data-kid': state.rolloutKid }, el('td', { class: 'mono' }, state.rolloutKid), el('td', {}, ''),
        el('td', { class: 'state' }, badge('pending')), el('td', {}, ''), el('td', {}, ''), el('td', {}, ''), el('td', {}, '')));
    }
    state.revoked.forEach((kid) => {
      if (!body.keysets.some((k) => k.kid === kid)) {
        rows.push(el('tr', { 'data-kid': kid, class: 'gone' }, el('td', { class: 'mono' }, kid), el('td', {}, ''),
          el('td', { class: 'state' }, badge('revoked')), el('td', {}, ''), el('td', {}, ''), el('td', {}, ''), el('td', {}, '')));
      }
    });
    if (rows.length === 0) {
      rows.push(el('tr', {}, el('td', { colSpan: 7, class: 'empty' },
        'No keyset yet: this node signs with its ephemeral key. Create one on the Home page.')));
    }
    fill('keysets-table', rows);
    const claimed = new Set(body.keysets.flatMap((k) => ofKid(k.kid)));
    const others = problems.filter((p) => !claimed.has(p));
    $('keysets-problems').hidden = others.length === 0;
    $('keysets-problems').querySelector('ul').replaceChildren(...others.map((p) =>
      el('li', {}, el('span', { class: 'mono' }, p.file), ': ' + p.error)));
  }

  async function act(kid, action) {
    const texts = {
      retire: ['Retire ' + kid + '?', kid + ' stops signing on every node at once and keeps verifying until the'
        + ' tokens it signed have expired. The next newest keyset (or each node\'s ephemeral key) signs.', 'Retire'],
      revoke: ['Revoke ' + kid + '?', 'Every node forgets ' + kid + ' at once and deletes its files: tokens it'
        + ' signed stop working immediately. This cannot be undone.', 'Revoke'],
    };
    if (!(await confirmAction(...texts[action]))) return;
    const reply = await api('POST', '/api/keysets/' + encodeURIComponent(kid) + '/' + action);
    if (reply.status === 200) {
      if (action === 'revoke') state.revoked.add(kid);
      show('keysets-error', '');
      show('keysets-notice', action === 'retire' ? kid + ' is retiring on every node.' : kid + ' is revoked on every node.');
    } else {
      show('keysets-notice', '');
      show('keysets-error', 'Could not ' + action + ' ' + kid + ': ' + errorText(reply));
    }
    loadKeysets(true);
  }

  // ---- Providers ---------------------------------------------------------------------------

  async function loadProviders() {
    const reply = await api('GET', '/api/providers');
    if (reply.status !== 200) {
      show('providers-error', 'Cannot load the providers: ' + errorText(reply));
      return;
    }
    show('providers-error', '');
    const rows = reply.body.providers.map((p) => el('tr', { 'data-provider': p.name },
      el('td', {}, p.name),
      el('td', {}, badge(p.status, p.status === 'ok' ? 'ok' : 'bad'), p.error ? el('div', { class: 'problem small' }, p.error) : ''),
      el('td', { class: 'small' }, p.lastRefresh ? when(p.lastRefresh) : 'never'),
      el('td', { class: 'mono small' }, (p.kids || []).join(', '))));
    if (rows.length === 0) {
      rows.push(el('tr', {}, el('td', { colSpan: 4, class: 'empty' }, 'No external provider is configured (jwt section).')));
    }
    fill('providers-table', rows);
  }

  // ---- Users (the management user API) ------------------------------------------------------

  async function loadUsers() {
    const reply = await api('GET', '/api/users');
    if (reply.status !== 200) {
      show('users-error', 'Cannot load the users: ' + errorText(reply));
      $('users-table').tBodies[0].replaceChildren();
      return;
    }
    show('users-error', '');
    const rows = reply.body.users.map((u) => {
      const buttons = [];
      const add = (label, action, cls) => buttons.push(el('button', { type: 'button', class: cls || '',
        'data-action': action, onclick: () => userAction(u.username, action) }, label));
      if (u.state === 'locked') add('Unlock', 'unlock');
      if (u.state === 'disabled') add('Enable', 'enable'); else add('Disable', 'disable');
      add('Set password', 'password');
      add('Remove', 'remove', 'danger');
      return el('tr', { 'data-user': u.username },
        el('td', { class: 'mono' }, u.username),
        el('td', { class: 'small' }, u.dn || ''),
        el('td', { class: 'small' }, u.email || ''),
        el('td', {}, badge(u.state, u.state === 'active' ? 'ok' : u.state),
          u.lockedUntil ? el('div', { class: 'small muted' }, 'until ' + when(u.lockedUntil)) : ''),
        el('td', { class: 'row-actions' }, buttons));
    });
    if (rows.length === 0) rows.push(el('tr', {}, el('td', { colSpan: 5, class: 'empty' }, 'No users.')));
    fill('users-table', rows);
  }

  async function userAction(name, action) {
    show('users-notice', '');
    if (action === 'password') {
      $('password-user').textContent = name;
      $('password-form').hidden = false;
      $('password-form').dataset.user = name;
      show('password-error', '');
      $('password-new').value = '';
      $('password-new').focus();
      return;
    }
    if (action === 'remove' && !(await confirmAction('Remove ' + name + '?',
      name + ' can no longer sign in on any node.', 'Remove'))) return;
    if (action === 'disable' && !(await confirmAction('Disable ' + name + '?',
      name + ' can no longer sign in on any node until enabled again.', 'Disable'))) return;
    const path = '/api/users/' + encodeURIComponent(name);
    const reply = action === 'remove' ? await api('DELETE', path) : await api('POST', path + '/' + action);
    if (reply.status >= 200 && reply.status < 300) {
      show('users-error', '');
      show('users-notice', name + ': ' + { unlock: 'unlocked', enable: 'enabled', disable: 'disabled', remove: 'removed' }[action] + '.');
    } else {
      show('users-error', 'Could not ' + action + ' ' + name + ': ' + errorText(reply));
    }
    loadUsers();
  }

  $('password-cancel').addEventListener('click', () => { $('password-form').hidden = true; });
  $('password-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = $('password-form').dataset.user;
    const password = $('password-new').value;
    if (!password) {
      show('password-error', 'Enter the new password.');
      return;
    }
    const reply = await api('POST', '/api/users/' + encodeURIComponent(name) + '/password', { password });
    $('password-new').value = '';
    if (reply.status >= 200 && reply.status < 300) {
      $('password-form').hidden = true;
      show('users-notice', name + ': password set (and any lockout cleared).');
      loadUsers();
    } else {
      show('password-error', errorText(reply));
    }
  });

  // ---- Config ------------------------------------------------------------------------------

  async function loadConfig() {
    const reply = await api('GET', '/api/config');
    if (reply.status !== 200) {
      show('config-error', 'Cannot load the configuration: ' + errorText(reply));
      return;
    }
    show('config-error', '');
    state.configEntries = reply.body.entries;
    renderConfig();
  }

  function renderConfig() {
    const entries = state.configEntries || [];
    const filter = $('config-filter').value.trim().toLowerCase();
    const shown = entries.filter((e) => !filter || [e.key, e.source, typeof e.value === 'string' ? e.value
      : JSON.stringify(e.value)].some((text) => String(text).toLowerCase().includes(filter)));
    $('config-count').textContent = shown.length + ' of ' + entries.length + ' values';
    const rows = shown.map((e) => el('tr', { 'data-key': e.key },
      el('td', { class: 'mono' }, e.key),
      e.value === null
        ? el('td', { class: 'value muted', title: 'not set: the node chooses (for example one per core)' }, 'automatic')
        : el('td', { class: 'mono value' + (e.masked ? ' masked' : '') },
          typeof e.value === 'string' ? e.value : JSON.stringify(e.value)),
      el('td', {}, el('span', { class: 'source source-' + (e.source === 'defaults' ? 'default'
        : e.source === 'environment' ? 'env' : 'file') }, e.source))));
    fill('config-table', rows);
  }

  $('config-filter').addEventListener('input', renderConfig);

  // ---- Cluster -----------------------------------------------------------------------------

  async function loadCluster() {
    const reply = await api('GET', '/api/cluster');
    if (reply.status !== 200) {
      show('cluster-error', 'Cannot load the cluster: ' + errorText(reply));
      return;
    }
    show('cluster-error', '');
    const c = reply.body;
    const fact = (k, v) => [el('dt', {}, k), el('dd', {}, v)];
    $('cluster-facts').replaceChildren(...fact('Cluster', c.name), ...fact('This node', c.node),
      ...fact('Status', badge(c.status, c.status === 'UP' ? 'ok' : 'bad')), ...fact('Members', String(c.members.length)),
      ...(c.intruders.length ? fact('Refused members', c.intruders.map((i) => i.member + ' (' + i.reason + ')').join('; ')) : []));
    const now = new Date(c.now);
    const rows = c.members.map((m) => el('tr', { 'data-member': m.node },
      el('td', { class: 'mono' }, m.node + (m.node === c.node ? ' (this node)' : '')),
      el('td', {}, m.version || 'unknown'),
      el('td', {}, m.startedAt ? duration((now - new Date(m.startedAt)) / 1000) + ' (since ' + when(m.startedAt) + ')'
        : 'unknown')));
    fill('cluster-table', rows);
  }

  // ---- start -------------------------------------------------------------------------------

  (async function start() {
    const reply = await api('GET', '/console/api/session');
    if (reply.status === 200) signedIn(reply.body);
    else signedOut('');
  })();
}());
