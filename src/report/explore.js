// jobtrend explorer: reads the counts in #explore-data, draws shares with Wilson 95% intervals as SVG.
// Plain JS, no dependency, no network (works from file://). Included in index.html by src/report/explore.rs.
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('explore-data').textContent);
  var NS = 'http://www.w3.org/2000/svg';
  var KINDS = [['keyword', 'keywords'], ['role', 'roles'], ['term', 'terms']];
  var SPAN = { month: 1, quarter: 3, year: 12 };
  var COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf',
    '#7f7f7f', '#bcbd22', '#393b79', '#ad494a'];
  var DASHES = ['', '7 4', '2 3', '10 3 2 3'];
  var byKey = {};
  D.series.forEach(function (s) { byKey[s.kind + ':' + s.id] = s; });
  var el = function (id) { return document.getElementById(id); };

  // The same Wilson score interval as trends::wilson (same z, same clamping).
  function wilson(k, n, z) {
    if (n === 0) return [0, 0];
    var p = k / n, z2 = z * z, denom = 1 + z2 / n;
    var centre = (p + z2 / (2 * n)) / denom;
    var half = z * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom;
    return [Math.max(centre - half, 0), Math.min(centre + half, 1)];
  }
  // trends::period_of
  function periodOf(m, by) {
    if (by === 'month') return m;
    if (by === 'year') return m.slice(0, 4);
    var mo = parseInt(m.slice(5, 7), 10) || 1;
    return m.slice(0, 4) + '-Q' + (Math.floor((Math.min(Math.max(mo, 1), 12) - 1) / 3) + 1);
  }
  // Position on the calendar in months since year 0 of a period's first month (trends::period_start).
  function periodMonth(p) {
    var y = parseInt(p.slice(0, 4), 10);
    if (p.length === 4) return y * 12;
    if (p.charAt(5) === 'Q') return y * 12 + (parseInt(p.slice(6), 10) - 1) * 3;
    return y * 12 + parseInt(p.slice(5, 7), 10) - 1;
  }

  // ---- state, kept in the address ----
  var state = { sel: [], by: D.by, sources: [], split: false, note: '' };
  function readUrl() {
    var q = new URLSearchParams(location.search), unknown = [];
    state.sel = [];
    KINDS.forEach(function (kp) {
      var v = q.get(kp[1]);
      if (!v) return;
      v.split(',').forEach(function (id) {
        id = id.trim();
        if (!id) return;
        if (byKey[kp[0] + ':' + id]) addSel(kp[0] + ':' + id); else unknown.push(kp[1] + '=' + id);
      });
    });
    var hadSel = KINDS.some(function (kp) { return q.has(kp[1]); });
    if (!hadSel) D.defaults.forEach(function (id) { addSel('keyword:' + id); });
    var by = q.get('by');
    if (by && SPAN[by]) state.by = by; else if (by) unknown.push('by=' + by);
    var names = D.sources.map(function (s) { return s.name; });
    state.sources = (q.get('sources') || '').split(',').filter(function (s) {
      if (s && names.indexOf(s) < 0) unknown.push('sources=' + s);
      return names.indexOf(s) >= 0;
    });
    state.split = q.get('split') === 'source';
    state.note = unknown.length ? 'Not in the data, ignored: ' + unknown.join(', ') : '';
  }
  function addSel(key) { if (state.sel.indexOf(key) < 0) state.sel.push(key); }
  // The address of the current choice: on the "link to this view" link, and (replace) in the address bar.
  function writeUrl(replace) {
    var parts = [];
    KINDS.forEach(function (kp) {
      var ids = state.sel.filter(function (k) { return byKey[k].kind === kp[0]; }).map(function (k) { return encodeURIComponent(byKey[k].id); });
      if (ids.length || kp[0] === 'keyword') parts.push(kp[1] + '=' + ids.join(','));
    });
    parts.push('by=' + state.by);
    if (state.sources.length) parts.push('sources=' + state.sources.map(encodeURIComponent).join(','));
    if (state.split) parts.push('split=source');
    var q = '?' + parts.join('&');
    el('explore-link').setAttribute('href', q);
    if (!replace) return;
    try { history.replaceState(null, '', location.pathname + q); } catch (e) { /* some file:// setups refuse */ }
  }

  // ---- numbers ----
  // One line: per period {period, k, n, share, lo, hi, flagged} over the given sources (indices).
  function line(s, srcs) {
    var per = {};
    srcs.forEach(function (si) {
      var src = D.sources[si], cnt = s.counts[si] || [];
      for (var i = 0; i < src.postings.length; i++) {
        var n = src.postings[i];
        if (!n) continue;
        var m = D.months[src.from + i], p = periodOf(m, state.by);
        var e = per[p] || (per[p] = { k: 0, n: 0, months: {} });
        e.k += cnt[i] || 0;
        e.n += n;
        e.months[m] = 1;
      }
    });
    return Object.keys(per).sort().map(function (p) {
      var e = per[p], ci = wilson(e.k, e.n, D.z);
      return {
        period: p, k: e.k, n: e.n, share: e.k / e.n, lo: ci[0], hi: ci[1],
        flagged: e.n < D.min_postings || Object.keys(e.months).length < SPAN[state.by]
      };
    });
  }
  function chosenSources() {
    var all = D.sources.map(function (_, i) { return i; });
    if (!state.sources.length) return all;
    return all.filter(function (i) { return state.sources.indexOf(D.sources[i].name) >= 0; });
  }
  function lines() {
    var out = [], srcs = chosenSources();
    state.sel.forEach(function (key) {
      var s = byKey[key], name = s.kind === 'role' ? s.label + ' (role)' : s.kind === 'term' ? '"' + s.label + '"' : s.label;
      if (state.split) {
        srcs.forEach(function (si) {
          var pts = line(s, [si]);
          if (pts.length) out.push({ key: key, s: s, si: si, source: D.sources[si].name, name: name + ' · ' + D.sources[si].name, pts: pts });
        });
      } else {
        out.push({ key: key, s: s, si: -1, source: '', name: name, pts: line(s, srcs) });
      }
    });
    // A colour per series, a dash pattern per source (one line per source).
    out.forEach(function (l) {
      l.color = COLORS[state.sel.indexOf(l.key) % COLORS.length];
      l.dash = l.source ? DASHES[srcs.indexOf(l.si) % DASHES.length] : '';
    });
    return out;
  }

  // ---- drawing ----
  function svg(tag, attrs, parent) {
    var e = document.createElementNS(NS, tag);
    for (var a in attrs) e.setAttribute(a, attrs[a]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function pct(x) { return (x * 100).toFixed(x < 0.1 ? 2 : 1) + '%'; }
  function fmt(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ','); }
  var W = 1000, H = 440, L = 58, R = 34, T = 14, B = 40, drawn = [];
  // Scales for the drawn points: x in months since year 0, y in shares (nice steps).
  function scales(pts) {
    var x0 = Infinity, x1 = -Infinity, ymax = 0;
    pts.forEach(function (p) {
      var m = periodMonth(p.period);
      x0 = Math.min(x0, m); x1 = Math.max(x1, m); ymax = Math.max(ymax, p.hi);
    });
    if (x1 === x0) { x0 -= 6; x1 += 6; }
    var step = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.25].filter(function (s) { return ymax / s <= 8; })[0] || 0.25;
    ymax = Math.max(step, Math.ceil(ymax * 1.04 / step) * step);
    return {
      x0: x0, x1: x1, ymax: ymax, step: step,
      X: function (m) { return L + (m - x0) / (x1 - x0) * (W - L - R); },
      Y: function (v) { return T + (1 - v / ymax) * (H - T - B); }
    };
  }
  function axes(root, sc) {
    for (var i = 0, v = 0; v <= sc.ymax + 1e-12; i++, v = i * sc.step) {
      svg('line', { x1: L, x2: W - R, y1: sc.Y(v), y2: sc.Y(v), stroke: '#e4e4e4' }, root);
      svg('text', { x: L - 6, y: sc.Y(v) + 4, 'text-anchor': 'end', fill: '#555' }, root).textContent = (v * 100).toFixed(sc.step < 0.01 ? 1 : 0) + '%';
    }
    // x ticks: every year (every few years over a long range), every quarter over three years or less.
    var tstep = sc.x1 - sc.x0 <= 36 ? 3 : 12 * Math.max(1, Math.ceil((sc.x1 - sc.x0) / 12 / 12));
    for (var t = Math.ceil(sc.x0 / tstep) * tstep; t <= sc.x1; t += tstep) {
      var yr = Math.floor(t / 12), mo = t % 12 + 1;
      svg('line', { x1: sc.X(t), x2: sc.X(t), y1: T, y2: H - B, stroke: '#f0f0f0' }, root);
      svg('text', { x: sc.X(t), y: H - B + 16, 'text-anchor': 'middle', fill: '#555' }, root)
        .textContent = tstep < 12 ? yr + '-' + (mo < 10 ? '0' : '') + mo : String(yr);
    }
    var mid = T + (H - T - B) / 2;
    svg('text', { x: 12, y: mid, transform: 'rotate(-90 12 ' + mid + ')', 'text-anchor': 'middle', fill: '#333' }, root)
      .textContent = 'share of postings, per ' + state.by;
    svg('line', { x1: L, x2: W - R, y1: H - B, y2: H - B, stroke: '#888' }, root);
  }
  // A line's interval band and line, in segments of consecutive periods (never bridging a period without data).
  function plot(root, l, sc) {
    var segs = [], prev = null, gap = SPAN[state.by];
    l.pts.forEach(function (p) {
      var m = periodMonth(p.period);
      if (prev === null || m - prev > gap) segs.push([]);
      segs[segs.length - 1].push(p);
      prev = m;
    });
    var xy = function (p, v) { return sc.X(periodMonth(p.period)).toFixed(1) + ',' + sc.Y(v).toFixed(1); };
    var band = '', d = '';
    segs.forEach(function (sg) {
      var up = sg.map(function (p) { return xy(p, p.hi); });
      var dn = sg.slice().reverse().map(function (p) { return xy(p, p.lo); });
      band += 'M' + up.concat(dn).join('L') + 'Z';
      d += 'M' + sg.map(function (p) { return xy(p, p.share); }).join('L');
    });
    svg('path', { d: band, fill: l.color, 'fill-opacity': 0.13, stroke: 'none', class: 'band' }, root);
    svg('path', {
      d: d, fill: 'none', stroke: l.color, 'stroke-width': 2, 'stroke-dasharray': l.dash,
      'data-series': l.s.id, 'data-kind': l.s.kind, 'data-source': l.source, class: 'series'
    }, root);
  }
  // A line's points (hollow: few postings or a partial period), each carrying its numbers.
  function dots(root, l, sc) {
    l.pts.forEach(function (p) {
      var cx = sc.X(periodMonth(p.period)), cy = sc.Y(p.share);
      svg('circle', {
        cx: cx.toFixed(1), cy: cy.toFixed(1), r: l.pts.length > 60 ? 1.8 : 3, fill: p.flagged ? '#fff' : l.color, stroke: l.color,
        'data-series': l.s.id, 'data-kind': l.s.kind, 'data-source': l.source, 'data-period': p.period,
        'data-share': p.share, 'data-lo': p.lo, 'data-hi': p.hi, 'data-mentions': p.k, 'data-postings': p.n
      }, root);
      drawn.push({ x: cx, y: cy, l: l, p: p });
    });
  }
  function legendItem(l) {
    var item = document.createElement('span');
    item.setAttribute('data-series', l.s.id);
    var sw = svg('svg', { width: 28, height: 10 }, item);
    svg('line', { x1: 0, x2: 28, y1: 5, y2: 5, stroke: l.color, 'stroke-width': 3, 'stroke-dasharray': l.dash }, sw);
    item.appendChild(document.createTextNode(l.name));
    el('explore-legend').appendChild(item);
  }
  function draw() {
    var ls = lines(), box = el('explore-chart');
    box.textContent = '';
    el('explore-legend').textContent = '';
    drawn = [];
    var pts = [];
    ls.forEach(function (l) { pts = pts.concat(l.pts); });
    if (!pts.length) {
      box.textContent = state.sel.length ? 'No postings in this selection.' : 'Pick a keyword or role above.';
      return;
    }
    var sc = scales(pts);
    var root = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': 'share of postings' }, box);
    axes(root, sc);
    ls.forEach(function (l) { plot(root, l, sc); });
    ls.forEach(function (l) { dots(root, l, sc); legendItem(l); });
    root.addEventListener('mousemove', function (ev) { hover(root, ev); });
    root.addEventListener('mouseleave', function () { el('explore-tip').style.display = 'none'; });
    root.addEventListener('click', function (ev) { var h = nearest(root, ev); if (h) detail(h); });
  }
  function nearest(root, ev) {
    var m = root.getScreenCTM();
    if (!m) return null;
    var pt = root.createSVGPoint();
    pt.x = ev.clientX; pt.y = ev.clientY;
    var q = pt.matrixTransform(m.inverse()), best = null, bd = 30 * 30;
    drawn.forEach(function (h) {
      var dd = (h.x - q.x) * (h.x - q.x) + (h.y - q.y) * (h.y - q.y);
      if (dd < bd) { bd = dd; best = h; }
    });
    return best;
  }
  function describe(h) {
    var p = h.p;
    return [h.l.name, p.period + ': ' + pct(p.share) + ' [' + pct(p.lo) + ', ' + pct(p.hi) + ']',
      fmt(p.k) + ' of ' + fmt(p.n) + ' postings' + (p.flagged ? ' (few postings or a partial period)' : '')];
  }
  function hover(root, ev) {
    var h = nearest(root, ev), tip = el('explore-tip');
    if (!h) { tip.style.display = 'none'; return; }
    tip.textContent = '';
    describe(h).forEach(function (t, i) {
      var d = document.createElement('div');
      d.textContent = t;
      if (i === 0) d.style.fontWeight = 'bold';
      tip.appendChild(d);
    });
    tip.style.display = 'block';
    tip.style.left = (ev.pageX + 14) + 'px';
    tip.style.top = (ev.pageY + 10) + 'px';
  }
  function shellWord(s) { return /^[A-Za-z0-9._+-]+$/.test(s) ? s : "'" + s.replace(/'/g, "'\\''") + "'"; }
  // The postings behind a point: the `jobtrend examples` command for one month of the period.
  function detail(h) {
    var box = el('explore-detail'), p = h.p, s = h.l.s;
    box.textContent = '';
    var head = document.createElement('p');
    head.textContent = describe(h).join(' · ');
    box.appendChild(head);
    if (s.kind === 'role') return;
    var months = D.months.filter(function (m) { return periodOf(m, state.by) === p.period; });
    var cmd = 'jobtrend examples ' + shellWord(s.id) + ' --month ' + months[0] + (h.l.source ? ' --source ' + shellWord(h.l.source) : '') + ' -n 5';
    var c = document.createElement('p');
    c.appendChild(document.createTextNode('The postings behind it' + (months.length > 1 ? ' (first month of the period; change --month for the others)' : '') + ': '));
    var code = document.createElement('code');
    code.textContent = cmd;
    c.appendChild(code);
    box.appendChild(c);
  }

  // ---- controls ----
  // The id picker (type or choose from the list) and a removable chip per chosen series.
  function picker() {
    var pick = document.createElement('span'), list = document.createElement('datalist'), input = document.createElement('input');
    list.id = 'explore-ids';
    D.series.forEach(function (s) {
      var o = document.createElement('option');
      o.value = s.kind === 'keyword' ? s.id : s.kind + ':' + s.id;
      o.label = s.label + (s.kind === 'keyword' ? '' : ' (' + s.kind + ')');
      list.appendChild(o);
    });
    input.setAttribute('list', 'explore-ids');
    input.placeholder = 'add a keyword, role:…, term:…';
    input.size = 28;
    input.addEventListener('change', function () {
      var v = input.value.trim(), key = v.indexOf(':') > 0 ? v : 'keyword:' + v;
      if (!byKey[key]) {
        var low = v.toLowerCase();
        D.series.forEach(function (s) { if (!byKey[key] && s.label.toLowerCase() === low) key = s.kind + ':' + s.id; });
      }
      if (byKey[key]) { addSel(key); input.value = ''; changed(); }
    });
    pick.appendChild(input);
    pick.appendChild(list);
    state.sel.forEach(function (key) {
      var s = byKey[key], chip = document.createElement('span'), x = document.createElement('button');
      chip.className = 'chip';
      chip.textContent = s.kind === 'keyword' ? s.label : s.kind + ': ' + s.label;
      x.textContent = '×';
      x.title = 'remove';
      x.addEventListener('click', function () { state.sel = state.sel.filter(function (k) { return k !== key; }); changed(); });
      chip.appendChild(x);
      pick.appendChild(chip);
    });
    return pick;
  }
  // A checkbox per source (at least one stays checked); all checked is the default (no `sources=`).
  function sourceBoxes() {
    var srcs = document.createElement('span');
    srcs.appendChild(document.createTextNode('sources: '));
    var on = function (n) { return !state.sources.length || state.sources.indexOf(n) >= 0; };
    D.sources.forEach(function (s) {
      var lab = document.createElement('label'), cb = document.createElement('input');
      cb.type = 'checkbox';
      cb.checked = on(s.name);
      cb.addEventListener('change', function () {
        var now = D.sources.map(function (x) { return x.name; }).filter(function (n) { return n === s.name ? cb.checked : on(n); });
        if (!now.length) { cb.checked = true; return; }
        state.sources = now.length === D.sources.length ? [] : now;
        changed();
      });
      lab.appendChild(cb);
      lab.appendChild(document.createTextNode(s.name + ' '));
      srcs.appendChild(lab);
    });
    return srcs;
  }
  function controls() {
    var box = el('explore-controls');
    box.textContent = '';
    box.appendChild(picker());
    var by = document.createElement('select');
    ['month', 'quarter', 'year'].forEach(function (b) {
      var o = document.createElement('option');
      o.value = b; o.textContent = 'per ' + b; o.selected = b === state.by;
      by.appendChild(o);
    });
    by.addEventListener('change', function () { state.by = by.value; changed(); });
    box.appendChild(by);
    if (D.sources.length > 1) box.appendChild(sourceBoxes());
    var sl = document.createElement('label'), split = document.createElement('input');
    split.type = 'checkbox';
    split.checked = state.split;
    split.addEventListener('change', function () { state.split = split.checked; changed(); });
    sl.appendChild(split);
    sl.appendChild(document.createTextNode(' one line per source'));
    box.appendChild(sl);
    var link = document.createElement('a');
    link.id = 'explore-link';
    link.textContent = 'link to this view';
    box.appendChild(link);
    var note = document.createElement('span');
    note.id = 'explore-note';
    note.style.color = '#8a6d00';
    note.textContent = state.note;
    box.appendChild(note);
  }
  function changed() { state.note = ''; controls(); writeUrl(true); draw(); }

  readUrl();
  controls();
  writeUrl(false);
  draw();
})();
