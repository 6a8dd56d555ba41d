// @ts-check
// Alembic: Graph webview. Draws the lane layout computed in the extension (src/core/layout): only
// the rows in sight are in the DOM (virtualized), lines are SVG paths for those rows' gaps.
(function () {
  // @ts-ignore acquireVsCodeApi is injected by VS Code
  const vscode = acquireVsCodeApi();
  const ROW = 26;
  const LANE = 14;
  const PAD = 10;
  const OVERSCAN = 12;
  // No red among them: red marks the edges a refused selection is about.
  const COLORS = ['#3794ff', '#57ab5a', '#c69026', '#986ee2', '#39c5cf', '#e275ad', '#b4b4b4'];

  const scroller = /** @type {HTMLElement} */ (document.getElementById('scroller'));
  const sizer = /** @type {HTMLElement} */ (document.getElementById('sizer'));
  const svg = /** @type {SVGSVGElement} */ (/** @type {unknown} */ (document.getElementById('lanes')));
  const rowsEl = /** @type {HTMLElement} */ (document.getElementById('rows'));
  const filterEl = /** @type {HTMLInputElement} */ (document.getElementById('filter'));
  const countEl = /** @type {HTMLElement} */ (document.getElementById('count'));
  const selectionEl = /** @type {HTMLElement} */ (document.getElementById('selection'));
  const reasonsEl = /** @type {HTMLElement} */ (document.getElementById('reasons'));
  const squashEl = /** @type {HTMLButtonElement} */ (document.getElementById('squash'));

  const saved = vscode.getState() || {};
  /** @type {any} */ let view;
  /** @type {any} */ let check;
  let selection = new Set(saved.selection || []);
  /** @type {string | undefined} */ let anchor = saved.selection && saved.selection[0];
  /** @type {string | undefined} */ let active;
  let filter = saved.filter || '';
  /** @type {number[]} */ let matches = [];
  let matchCursor = -1;
  let restoreScroll = saved.scrollTop;
  filterEl.value = filter;

  const save = () =>
    vscode.setState({ projectKey: view && view.projectKey, selection: [...selection], filter, scrollTop: scroller.scrollTop });
  const x = (/** @type {number} */ lane) => PAD + lane * LANE;
  const color = (/** @type {number} */ lane) => COLORS[lane % COLORS.length];
  const el = (/** @type {string} */ tag, /** @type {string} */ cls, /** @type {string} */ text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const svgEl = (/** @type {string} */ tag, /** @type {Record<string, string | number>} */ attrs) => {
    const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const k in attrs) e.setAttribute(k, String(attrs[k]));
    return e;
  };

  function computeMatches() {
    matches = [];
    if (!view || !filter) return;
    const q = filter.toLowerCase();
    view.rows.forEach((/** @type {any} */ r, /** @type {number} */ i) => {
      const hay = [r.message, r.revision, r.file || '', ...r.labels].join('\n').toLowerCase();
      if (hay.includes(q)) matches.push(i);
    });
  }

  function render() {
    if (!view) return;
    const total = view.rows.length;
    const graphWidth = PAD * 2 + Math.max(1, view.width) * LANE;
    sizer.style.height = `${total * ROW}px`;
    const top = scroller.scrollTop;
    const start = Math.max(0, Math.floor(top / ROW) - OVERSCAN);
    const end = Math.min(total, Math.ceil((top + scroller.clientHeight) / ROW) + OVERSCAN);
    const hot = new Set(check && !check.ok ? check.edges : []);
    const involved = new Set(check && !check.ok ? check.involved : []);
    const matchSet = new Set(matches);

    // Lines: the gap below each row in sight (and the one above the first).
    svg.replaceChildren();
    const from = Math.max(0, start - 1);
    svg.setAttribute('width', String(graphWidth));
    svg.setAttribute('height', String((end - from + 1) * ROW));
    svg.style.top = `${from * ROW}px`;
    const y = (/** @type {number} */ i) => (i - from) * ROW + ROW / 2;
    for (let i = from; i < end; i++) {
      const r = view.rows[i];
      for (const [edge, a, lane, b] of r.below) {
        const y0 = y(i);
        const y1 = y(i + 1);
        const d = a === b ? `M${x(a)},${y0}L${x(b)},${y1}` : `M${x(a)},${y0}C${x(a)},${y0 + ROW * 0.6} ${x(b)},${y1 - ROW * 0.6} ${x(b)},${y1}`;
        const dashed = view.edges[edge][2];
        const cls = [dashed ? 'dashed' : '', hot.has(edge) ? 'hot' : ''].join(' ').trim();
        const p = svgEl('path', { d, stroke: color(lane), class: cls });
        p.dataset.edge = String(edge);
        svg.appendChild(p);
      }
    }
    for (let i = start; i < end; i++) {
      const r = view.rows[i];
      const cx = x(r.lane);
      const cy = y(i);
      const fill = color(r.lane);
      // Bases are hollow squares, merge points hollow circles, heads large dots.
      if (r.base) svg.appendChild(svgEl('rect', { x: cx - 5, y: cy - 5, width: 10, height: 10, stroke: fill, class: 'hollow' }));
      else if (r.head) svg.appendChild(svgEl('circle', { cx, cy, r: 6, fill, stroke: fill }));
      else svg.appendChild(svgEl('circle', { cx, cy, r: r.mergePoint ? 5 : 4, fill, stroke: fill, class: r.mergePoint ? 'hollow' : '' }));
    }

    // Rows in sight.
    rowsEl.replaceChildren();
    for (let i = start; i < end; i++) {
      const r = view.rows[i];
      const row = el('div', 'row');
      row.style.top = `${i * ROW}px`;
      row.style.paddingLeft = `${graphWidth}px`;
      row.dataset.revision = r.revision;
      if (selection.has(r.revision)) row.classList.add('selected');
      if (selection.has(r.revision) && check && !check.ok) row.classList.add('refused');
      if (involved.has(r.revision)) row.classList.add('involved');
      if (r.revision === active) row.classList.add('active');
      if (filter && !matchSet.has(i)) row.classList.add('dim');
      if (r.head) row.appendChild(el('span', 'tag head', 'head'));
      if (r.base) row.appendChild(el('span', 'tag base', 'base'));
      for (const l of r.labels) row.appendChild(el('span', 'tag label', l));
      row.appendChild(el('span', 'message', r.message || '(no message)'));
      row.appendChild(el('span', 'id', r.shortId));
      if (r.data) row.appendChild(titled(el('span', 'badge data', `data ${r.data}`), `${r.data} data operation(s) in upgrade()`));
      if (r.appCode) row.appendChild(titled(el('span', 'badge app', `app ${r.appCode}`), `${r.appCode} call(s) into the application's code`));
      if (r.errors) row.appendChild(titled(el('span', 'badge error', `${r.errors} error${r.errors > 1 ? 's' : ''}`), 'Problems in this file'));
      if (r.warnings) row.appendChild(titled(el('span', 'badge warning', `${r.warnings} warning${r.warnings > 1 ? 's' : ''}`), 'Problems in this file'));
      if (r.date) row.appendChild(el('span', 'date', r.date));
      row.title = `${r.revision}${r.file ? `\n${r.file}` : ''}`;
      rowsEl.appendChild(row);
    }
  }

  const titled = (/** @type {HTMLElement} */ e, /** @type {string} */ t) => ((e.title = t), e);

  function renderSelection() {
    squashEl.disabled = !(check && check.ok && selection.size > 0);
    selectionEl.className = 'selection';
    reasonsEl.hidden = true;
    if (!check || selection.size === 0) {
      selectionEl.textContent = '';
      return;
    }
    const n = check.revisions.length;
    if (check.ok) {
      selectionEl.classList.add('ok');
      selectionEl.textContent = `${n} selected · squashable (${short(check.from)}..${short(check.to)})`;
    } else {
      selectionEl.classList.add('refused');
      selectionEl.textContent = `${n} selected · not squashable`;
      const ul = el('ul', '', undefined);
      for (const reason of check.reasons) ul.appendChild(el('li', '', reason));
      reasonsEl.replaceChildren(ul);
      reasonsEl.hidden = false;
    }
  }

  const short = (/** @type {string} */ id) => {
    const r = view && view.rows.find((/** @type {any} */ row) => row.revision === id);
    return r ? r.shortId : id;
  };

  function scrollToRow(/** @type {number} */ i) {
    const top = i * ROW;
    if (top < scroller.scrollTop || top + ROW > scroller.scrollTop + scroller.clientHeight) {
      scroller.scrollTop = Math.max(0, top - scroller.clientHeight / 3);
    }
  }

  scroller.addEventListener('scroll', () => {
    render();
    save();
  });
  window.addEventListener('resize', render);

  rowsEl.addEventListener('click', (e) => {
    const row = /** @type {HTMLElement | null} */ (/** @type {HTMLElement} */ (e.target).closest('.row'));
    if (!row || !row.dataset.revision) return;
    const revision = row.dataset.revision;
    const extend = e.shiftKey && anchor !== undefined;
    const toggle = e.ctrlKey || e.metaKey;
    if (!extend && !toggle) {
      anchor = revision;
      vscode.postMessage({ type: 'open', revision });
    }
    vscode.postMessage({ type: 'select', anchor: anchor || revision, revision, extend, toggle, current: [...selection] });
  });

  squashEl.addEventListener('click', () => vscode.postMessage({ type: 'squash', revisions: [...selection] }));

  filterEl.addEventListener('input', () => {
    filter = filterEl.value.trim();
    computeMatches();
    matchCursor = -1;
    countEl.textContent = filter ? `${matches.length} match${matches.length === 1 ? '' : 'es'}${matches.length ? ' · Enter: next' : ''}` : '';
    render();
    save();
  });
  filterEl.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' || !matches.length) return;
    matchCursor = (matchCursor + (e.shiftKey ? matches.length - 1 : 1)) % matches.length;
    scrollToRow(matches[matchCursor]);
    render();
  });

  window.addEventListener('message', (event) => {
    const m = event.data;
    if (m.type === 'graph') {
      view = { ...m.view, projectKey: m.projectKey };
      const known = new Set(view.rows.map((/** @type {any} */ r) => r.revision));
      selection = new Set([...selection].filter((r) => known.has(r)));
      computeMatches();
      countEl.textContent = filter ? `${matches.length} match${matches.length === 1 ? '' : 'es'}` : `${view.rows.length} revisions`;
      if (restoreScroll !== undefined) {
        sizer.style.height = `${view.rows.length * ROW}px`;
        scroller.scrollTop = restoreScroll;
        restoreScroll = undefined;
      }
      if (selection.size) vscode.postMessage({ type: 'recheck', revisions: [...selection] });
      else check = undefined;
      render();
      renderSelection();
      save();
      document.body.dataset.rows = String(view.rows.length);
    } else if (m.type === 'check') {
      check = m.check;
      selection = new Set(check.revisions);
      render();
      renderSelection();
      save();
    } else if (m.type === 'active') {
      active = m.revision;
      const i = view ? view.rows.findIndex((/** @type {any} */ r) => r.revision === active) : -1;
      if (i >= 0) scrollToRow(i);
      render();
    } else if (m.type === 'empty') {
      view = undefined;
      rowsEl.replaceChildren(el('div', 'empty', m.text));
    }
  });

  vscode.postMessage({ type: 'ready' });
})();
