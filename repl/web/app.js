// app.js — the page of `sinew serve`. No framework, nothing fetched but
// this server's own API (repl/webapi.h lists it). The session id lives in
// this page only, so each tab is its own consultation.
'use strict';

const $ = (id) => document.getElementById(id);
let sid = null;
let question = null;
let picked = new Set();
let step = 0;
let steps = 0;
const given = [];

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

function status(text) {
  $('status').textContent = text;
}

// One request to the API: the JSON (or text) answer, or an Error with the
// server's message.
async function api(method, path, body, text) {
  const res = await fetch(path, { method, body, headers: body ? { 'Content-Type': 'text/plain' } : {} });
  if (!res.ok) {
    let msg = res.status + ' ' + res.statusText;
    try { msg = (await res.json()).error || msg; } catch (e) { /* not JSON */ }
    const err = new Error(msg);
    err.status = res.status;
    throw err;
  }
  return text ? res.text() : res.json();
}

function message(text, cls) {
  const m = $('messages');
  clear(m);
  if (text) m.appendChild(el('p', cls, text));
}

// ---- the consultation ----

async function start() {
  if (sid) api('POST', '/api/s/' + sid + '/end').catch(() => {});
  given.length = 0;
  renderGiven();
  message('');
  try {
    const doc = await api('POST', '/api/session');
    sid = doc.session;
    render(doc);
    status('consultation started');
  } catch (e) {
    status('cannot start: ' + e.message);
  }
}

async function send(line) {
  if (!sid) return;
  try {
    const doc = await api('POST', '/api/s/' + sid + '/answer', line);
    const took = !doc.lines.some((l) => l.error || l.why || l.back);
    if (took && question && !['why', 'back'].includes(line)) {
      given.push(question.template + ': ' + (line.startsWith('[') ? JSON.parse(line).join(', ') : line));
      renderGiven();
    }
    render(doc);
  } catch (e) {
    if (e.status === 404) status('the session has ended; start a new consultation');
    message(e.message, 'error');
  }
}

function render(doc) {
  message('');
  for (const l of doc.lines) {
    if (l.error) message(l.error, 'error');
    else if (l.why) showWhy(l.why);
    else if (l.back) {
      const at = given.map((g) => g.split(':')[0]).lastIndexOf(l.back);
      if (at >= 0) given.splice(at, 1);
      renderGiven();
      message('took back the answer about ' + l.back);
    }
  }
  renderQuestion(doc.over ? null : doc.question);
  $('over').hidden = !doc.over;
  if (doc.over) status('consultation over: the report is final');
  if (doc.result) renderReport(doc.result);
  steps = 0;
}

function renderGiven() {
  const ol = $('given');
  clear(ol);
  for (const g of given) ol.appendChild(el('li', null, g));
}

function showWhy(reasons) {
  const m = $('messages');
  const ul = el('ul', 'why');
  m.appendChild(el('p', null, 'This is asked because the answer could decide:'));
  for (const r of reasons) {
    const li = el('li');
    li.appendChild(el('span', 'rule', r.rule));
    li.appendChild(document.createTextNode(
      (r.red_flag ? ' (red flag)' : '') + ': ' + r.held + ' of ' + r.conditions +
      ' conditions hold; the answer bears on ' + r.condition));
    ul.appendChild(li);
  }
  m.appendChild(ul);
}

function renderQuestion(q) {
  question = q;
  picked = new Set();
  $('question').hidden = !q;
  const box = $('answers');
  clear(box);
  if (!q) return;
  $('q-text').textContent = q.text;
  $('submit').hidden = !q.multiple;
  for (const a of q.answers) {
    const b = el('button', 'answer', a);
    b.type = 'button';
    b.dataset.answer = a;
    if (q.multiple && a !== 'none') {
      b.setAttribute('aria-pressed', 'false');
      b.addEventListener('click', () => {
        if (picked.has(a)) picked.delete(a); else picked.add(a);
        b.setAttribute('aria-pressed', String(picked.has(a)));
      });
    } else {
      b.addEventListener('click', () => send(a));
    }
    box.appendChild(b);
  }
}

// ---- the report ----

function label(c) {
  const vals = Object.values(c.slots || {});
  return c.template === 'diagnosis' && vals.length ? String(vals[0]).replace(/_/g, ' ') : c.fact;
}

function conclusionItem(c) {
  const li = el('li', 'conclusion');
  li.dataset.fact = c.fact;
  const row = el('div', 'label');
  row.appendChild(el('span', null, label(c)));
  row.appendChild(el('span', 'cf', c.cf.toFixed(2)));
  const track = el('div', 'track');
  const fill = el('div', 'fill');
  fill.style.width = Math.round(Math.max(0, Math.min(1, c.cf)) * 100) + '%';
  track.appendChild(fill);
  li.appendChild(row);
  li.appendChild(track);
  li.title = 'proof of ' + c.fact;
  li.addEventListener('click', () => showProof(c.fact));
  return li;
}

function fill(ul, items, empty, make) {
  clear(ul);
  if (!items.length) ul.appendChild(el('li', 'none', empty));
  for (const x of items) ul.appendChild(make(x));
}

function renderReport(r) {
  fill($('flags'), r.red_flags, 'none raised', (f) => {
    const li = el('li', 'flag', f.fact + '  cf ' + f.cf.toFixed(2));
    li.dataset.fact = f.fact;
    li.addEventListener('click', () => showProof(f.fact));
    return li;
  });
  const dx = r.conclusions.filter((c) => c.template === 'diagnosis');
  fill($('differential'), dx, 'nothing concluded yet', conclusionItem);
  fill($('others'), r.conclusions.filter((c) => c.template !== 'diagnosis'), 'none', conclusionItem);
  fill($('recommendations'), r.recommendations, 'none yet', (x) => el('li', null, x.text));
}

// ---- explanations ----

function tab(name) {
  for (const t of ['proof', 'step', 'whynot']) {
    $('tab-' + t).setAttribute('aria-selected', String(t === name));
    $('pane-' + t).hidden = t !== name;
  }
}

let proofUrl = null;

async function showProof(fact) {
  tab('proof');
  for (const li of document.querySelectorAll('.conclusion')) li.classList.toggle('selected', li.dataset.fact === fact);
  $('proof-title').textContent = 'Proof of ' + fact;
  const why = $('proof-why');
  clear(why);
  $('proof-img').hidden = true;
  delete $('pane-proof').dataset.shown;
  try {
    const [w, svg] = await Promise.all([
      api('POST', '/api/s/' + sid + '/why', fact),
      api('POST', '/api/s/' + sid + '/proof', fact, true),
    ]);
    const ul = el('ul');
    for (const j of w.justifications) {
      const li = el('li');
      li.appendChild(el('span', 'rule', j.rule));
      li.appendChild(document.createTextNode(
        ' (' + j.where + ')' + (j.active ? '' : ' — withdrawn') + ': cf ' + j.rule_cf.toFixed(2) +
        ' × ' + j.min_cf.toFixed(2) + ' = ' + j.cf.toFixed(2) +
        (j.matched.length ? '; matched ' + j.matched.map((m) => m.fact).join(', ') : '')));
      ul.appendChild(li);
    }
    why.appendChild(el('p', null, w.fact + ' cf ' + w.cf.toFixed(2) + ' (' + w.origin + ')'));
    why.appendChild(ul);
    // shown as an image: nothing in the picture runs
    if (proofUrl) URL.revokeObjectURL(proofUrl);
    proofUrl = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
    $('proof-img').src = proofUrl;
    $('proof-img').alt = 'proof tree of ' + fact;
    $('proof-img').hidden = false;
  } catch (e) {
    why.appendChild(el('p', 'error', e.message));
  }
  $('pane-proof').dataset.shown = fact;
}

function activationItem(a, fires) {
  const li = el('li', fires ? 'fires' : null);
  li.appendChild(el('span', 'rule', a.rule));
  li.appendChild(document.createTextNode(' [' + a.salience + '] ' + a.facts.map((f) => '#' + f.id).join(', ')));
  li.title = a.facts.map((f) => '#' + f.id + ' ' + f.fact).join('\n');
  return li;
}

async function showStep(k) {
  tab('step');
  try {
    const s = await api('GET', '/api/s/' + sid + '/step/' + k);
    step = s.step;
    steps = s.steps;
    $('step-pos').textContent = 'firing ' + step + ' of ' + steps;
    $('step-rule').textContent = s.firing ? 'fires: ' + s.firing.rule + ' (' + s.firing.where + ')' : '';
    fill($('agenda-before'), s.agenda_before, 'empty', (a) => activationItem(a, a === s.agenda_before[0]));
    fill($('agenda-after'), s.agenda_after, 'empty', (a) => activationItem(a, false));
    $('trace').textContent = s.trace.join('\n');
  } catch (e) {
    $('step-pos').textContent = e.message;
  }
}

async function whynot(ev) {
  ev.preventDefault();
  tab('whynot');
  const out = $('whynot-out');
  clear(out);
  try {
    const w = await api('POST', '/api/s/' + sid + '/whynot', $('whynot-pattern').value);
    if (!w.rules.length) out.appendChild(el('li', 'none', 'no rule can conclude it'));
    for (const r of w.rules) {
      const li = el('li');
      li.appendChild(el('span', 'rule', r.rule));
      li.appendChild(document.createTextNode(
        ': ' + r.held + ' of ' + r.conditions + ' conditions hold; stopped at ' + r.stopped_at + ' — ' + r.why));
      out.appendChild(li);
    }
  } catch (e) {
    out.appendChild(el('li', 'error', e.message));
  }
}

$('submit').addEventListener('click', () => {
  if (picked.size) send(JSON.stringify([...picked]));
  else message('pick the answers that apply, or none', 'error');
});
$('cmd-why').addEventListener('click', () => send('why'));
$('cmd-unknown').addEventListener('click', () => send('unknown'));
$('cmd-back').addEventListener('click', () => send('back'));
$('restart').addEventListener('click', start);
$('tab-proof').addEventListener('click', () => tab('proof'));
$('tab-step').addEventListener('click', () => showStep(step || 1));
$('tab-whynot').addEventListener('click', () => tab('whynot'));
$('step-first').addEventListener('click', () => showStep(1));
$('step-prev').addEventListener('click', () => showStep(Math.max(1, step - 1)));
$('step-next').addEventListener('click', () => showStep(steps ? Math.min(steps, step + 1) : step + 1));
$('whynot-form').addEventListener('submit', whynot);
// the tab closed: its session ends at once (else when idle)
window.addEventListener('pagehide', () => {
  if (sid) navigator.sendBeacon('/api/s/' + sid + '/end');
});
start();
