// The squash review screen. Renders the model the extension posts; every action is a message back.
// Text is always set with textContent (messages and file names come from the project).
(function () {
  const vscode = acquireVsCodeApi();
  const app = document.getElementById('app');
  let model;
  let status;
  let proof;
  const diffs = new Map();
  const open = new Set();
  /** Whether the list of members is unfolded; undefined until the user folds or unfolds it. */
  let listOpen;

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') e.className = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (v !== undefined && v !== false) e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat(Infinity)) if (c !== undefined && c !== null && c !== false) e.append(typeof c === 'string' ? document.createTextNode(c) : c);
    return e;
  }
  const code = (t) => el('code', {}, t);
  const button = (label, type, attrs) => el('button', { ...(attrs || {}), 'data-action': type, onclick: () => vscode.postMessage({ type }) }, label);

  function render() {
    if (!model) return;
    const done = status && ['applied', 'restored', 'cancelled', 'undone', 'refused'].includes(status.phase);
    const busy = status && ['applying', 'verifying'].includes(status.phase);
    // replaceChildren would print an undefined section as the text "undefined".
    const sections = [
      el('header', {},
        el('h1', {}, model.title),
        el('p', { class: 'sub' },
          'Range ', code(model.range.fromBase ? 'base' : model.range.first), ' .. ', code(model.range.tip),
          ` · strategy: ${model.strategy === 'ops' ? 'operations merged' : model.strategy}`,
          ' · revision id: ', code(model.newRevision), model.idChanged ? ' (new id)' : " (the tip's id)",
          ' · down_revision: ', model.downRevisions.length ? model.downRevisions.map((d) => code(d)) : 'none (base)'),
        statusBanner(),
        model.refactorPreview && status && status.phase === 'reviewing'
          ? el('p', { class: 'muted', 'data-preview': 'on' }, 'Apply then opens VS Code\'s refactor preview (setting alembicSquash.refactorPreview): tick every entry there.')
          : undefined,
        el('div', { class: 'actions' },
          done
            ? [status.phase === 'applied' ? [button('Verify', 'verifyApplied', { class: 'primary' }), button('Undo Squash', 'undo')] : []]
            : [
                button('Apply', 'apply', { class: 'primary', disabled: busy }),
                button('Verify first', 'verify', { disabled: busy }),
                button('Cancel', 'cancel', { disabled: busy }),
              ],
          button('Open New File', 'openNewFile', { class: 'link' }),
          button('Stamp Plan', 'stampPlan', { class: 'link' }))),
      proofSection(),
      warnings(),
      el('section', {},
        el('h2', {}, `Revisions replaced (${model.members.length})`),
        el('details', { open: listOpen ?? model.members.length <= 12, ontoggle: (e) => (listOpen = e.target.open) },
          el('summary', {}, `${model.members.length} revisions, oldest first — select one to see its diff against the squash`),
          el('ol', { class: 'members' }, model.members.map(member)))),
      filesSection(),
      statements('Data operations carried', model.data, 'No data migration in the range (no bulk_insert, DML or session).'),
      statements('Calls into application code', model.external, 'The range calls no application code.'),
      stampSection(),
      el('section', {},
        el('h2', {}, 'The new file ', code(model.newFile.name)),
        el('pre', { class: 'file' }, model.newFile.text)),
    ];
    app.replaceChildren(...sections.filter((x) => x !== undefined));
  }

  function statusBanner() {
    if (!status) return undefined;
    return el('div', { class: `status ${status.phase}`, role: 'status' },
      el('strong', {}, status.text),
      status.details && status.details.length ? el('ul', {}, status.details.map((d) => el('li', {}, d))) : undefined);
  }

  function proofSection() {
    if (!proof) return undefined;
    return el('section', { class: `proof ${proof.status}` },
      el('h2', {}, 'Proof'),
      el('p', {}, el('strong', {}, proof.headline)),
      proof.lines.length ? el('ul', {}, proof.lines.map((l) => el('li', {}, l))) : undefined);
  }

  function warnings() {
    const list = [...model.warnings];
    if (model.partialDowngrade.length) list.push(`No usable downgrade() in: ${model.partialDowngrade.join(', ')}`);
    if (!list.length) return undefined;
    return el('section', { class: 'warnings' }, el('h2', {}, 'Warnings'), el('ul', {}, list.map((w) => el('li', {}, w))));
  }

  function member(m) {
    const shown = open.has(m.revision);
    const diff = diffs.get(m.revision);
    return el('li', { class: 'member', 'data-revision': m.revision },
      el('div', { class: 'row' },
        el('button', { class: 'toggle', 'aria-expanded': String(shown), onclick: () => toggle(m.revision) }, shown ? '▾' : '▸'),
        code(m.revision), ' ', el('span', { class: 'message' }, m.message || '(no message)'),
        diff && shown ? el('span', { class: 'counts' }, diff.added + diff.removed ? ` +${diff.added} −${diff.removed}` : ' carried unchanged') : undefined,
        el('button', { class: 'link', onclick: () => vscode.postMessage({ type: 'openMemberDiff', revision: m.revision }) }, 'Open in Diff Editor')),
      shown ? (diff ? diffTable(diff) : el('p', { class: 'muted' }, 'Computing the diff…')) : undefined);
  }

  function toggle(revision) {
    if (open.has(revision)) open.delete(revision);
    else {
      open.add(revision);
      if (!diffs.has(revision)) vscode.postMessage({ type: 'memberDiff', revision });
    }
    render();
  }

  function diffTable(diff) {
    if (!diff.found) return el('p', { class: 'muted' }, 'The new file has no block marked for this revision.');
    const cell = (side, kind) => [el('td', { class: `num ${kind}` }, side ? String(side.line) : ''), el('td', { class: `code ${kind}` }, side ? side.text : '')];
    return el('table', { class: 'diff' },
      el('colgroup', {}, el('col', { class: 'num' }), el('col', {}), el('col', { class: 'num' }), el('col', {})),
      el('thead', {}, el('tr', {}, el('th', { colspan: '2' }, 'This revision'), el('th', { colspan: '2' }, 'In the squash'))),
      el('tbody', {}, diff.rows.map((r) => el('tr', { class: r.kind }, cell(r.left, r.left ? (r.kind === 'same' ? '' : 'del') : 'empty'), cell(r.right, r.right ? (r.kind === 'same' ? '' : 'ins') : 'empty')))));
  }

  function filesSection() {
    const f = model.files;
    const list = (title, items) => (items.length ? [el('h3', {}, `${title} (${items.length})`), el('ul', { class: 'files' }, items.map((i) => el('li', {}, code(i))))] : []);
    return el('section', {},
      el('h2', {}, 'Files'),
      list('Created', f.created),
      list('Deleted', f.deleted),
      list('Archived', f.archived.map((a) => `${a.from} → ${a.to}`)),
      list('Rewired to the new revision', f.rewired));
  }

  function statements(title, items, none) {
    return el('section', {},
      el('h2', {}, title),
      items.length
        ? el('ul', {}, items.map((s) => el('li', {}, code(s.revision), ` ${s.fn}(): `, code(s.summary), s.names && s.names.length ? ` — calls ${s.names.join(', ')}` : '')))
        : el('p', { class: 'muted' }, none));
  }

  function stampSection() {
    const s = model.stamp;
    return el('section', {},
      el('h2', {}, 'Databases already migrated (stamp plan)'),
      el('p', {}, s.idChanged ? `The squash has a new id: databases stamped at ${s.oldTip} need a step.` : "The squash keeps the tip's id: a database at the tip or later needs nothing."),
      el('table', { class: 'stamp' },
        el('thead', {}, el('tr', {}, el('th', {}, 'Database at'), el('th', {}, 'Ready'), el('th', {}, 'What to do'))),
        el('tbody', {}, s.entries.map((e) => el('tr', {}, el('td', {}, e.state), el('td', {}, e.ready ? 'yes' : 'no'), el('td', {}, e.advice))))));
  }

  window.addEventListener('message', (event) => {
    const m = event.data;
    if (m.type === 'model') {
      model = m.model;
      status = m.status;
      proof = m.proof;
    } else if (m.type === 'status') status = m.status;
    else if (m.type === 'proof') proof = m.proof;
    else if (m.type === 'memberDiff') diffs.set(m.diff.revision, m.diff);
    render();
  });
  vscode.postMessage({ type: 'ready' });
})();
