// browser.js URL OUTDIR — the page of `sinew serve` in headless Chromium,
// driven by playwright-core: a consultation on the shipped knowledge base
// (a runner's sudden pain at the back of the thigh, with a pop) run to its
// report through the page's buttons, why and back on the way, a proof
// tree opened, the firings stepped through, whynot asked, and a second tab
// given its own session. Screenshots go to OUTDIR. Prints PASS/FAIL lines.
'use strict';
const { chromium } = require('playwright-core');

const [url, out] = process.argv.slice(2);
let failed = 0;
const pass = (name) => console.log('PASS browser/' + name);
const fail = (name, why) => { failed++; console.log('FAIL browser/' + name + ': ' + why); };
const check = (name, ok, why) => (ok ? pass(name) : fail(name, why));

// The case: what the runner says to each question; other questions are
// answered no (or none), else "unknown".
const answers = {
  screening: ['pop'], onset: 'sudden', site: 'posterior_thigh', onset_activity: 'sprinting',
};

async function text(page, sel) {
  return (await page.locator(sel).innerText()).trim();
}

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    let expect400 = false; // the bad pattern given to whynot on purpose
    page.on('console', (m) => {
      if (m.type() === 'error' && !(expect400 && /status of 400/.test(m.text()))) errors.push(m.text());
    });
    await page.goto(url);
    await page.waitForFunction(() => document.getElementById('q-text').textContent.length > 0, null, { timeout: 20000 });
    check('first-question', (await text(page, '#q-text')).length > 10, 'no question shown');

    // why? at the first question
    await page.click('#cmd-why');
    await page.waitForSelector('#messages .why li', { timeout: 15000 });
    check('why', (await page.locator('#messages .why li').count()) > 0, 'why listed no rule');

    // answer, take it back, answer again
    let asked = [];
    for (let n = 0; n < 60; n++) {
      if (await page.locator('#over').isVisible()) break;
      const q = await page.evaluate(() => {
        const b = [...document.querySelectorAll('#answers button')].map((x) => x.dataset.answer);
        return { text: document.getElementById('q-text').textContent, answers: b, multiple: !document.getElementById('submit').hidden };
      });
      const before = await text(page, '#given');
      const tmpl = Object.keys(answers).find((t) => q.answers.some((a) => [].concat(answers[t]).includes(a)) && !asked.includes(t));
      if (tmpl) {
        asked.push(tmpl);
        const want = [].concat(answers[tmpl]);
        if (q.multiple) {
          for (const a of want) await page.click(`#answers button[data-answer="${a}"]`);
          await page.click('#submit');
        } else {
          await page.click(`#answers button[data-answer="${want[0]}"]`);
        }
        if (tmpl === 'screening' && !asked.includes('back')) {
          asked.push('back');
          await page.waitForFunction((b) => document.getElementById('given').innerText.trim() !== b, before, { timeout: 15000 });
          await page.click('#cmd-back');
          await page.waitForSelector('#messages p', { timeout: 15000 });
          const m = await text(page, '#messages');
          check('back', m.includes('took back') && (await page.locator('#given li').count()) === 0, 'back did not take the answer back: ' + m);
          asked = asked.filter((t) => t !== 'screening');
          continue;
        }
      } else if (q.answers.includes('none')) {
        await page.click('#answers button[data-answer="none"]');
      } else if (q.answers.includes('no')) {
        await page.click('#answers button[data-answer="no"]');
      } else {
        await page.click('#cmd-unknown');
      }
      await page.waitForFunction((b) => document.getElementById('given').innerText.trim() !== b ||
        !document.getElementById('over').hidden, before, { timeout: 20000 });
    }
    check('report', await page.locator('#over').isVisible(), 'the consultation did not reach its report');
    const flags = await text(page, '#flags');
    check('red-flag', flags.includes('red_flag(code: F09)'), 'F09 not among the red flags: ' + flags);
    const dx = await page.locator('#differential .conclusion').count();
    const top = dx ? await text(page, '#differential .conclusion:first-child .label') : '';
    check('differential', dx > 0 && /hamstring/.test(top), 'the differential does not lead with a hamstring diagnosis: ' + top);
    const width = await page.locator('#differential .conclusion:first-child .fill').evaluate((e) => e.style.width);
    check('certainty-bar', /^[1-9][0-9]*%$/.test(width), 'the certainty bar has no width: ' + width);
    check('recommendations', (await page.locator('#recommendations li:not(.none)').count()) > 0, 'no recommendation');
    await page.screenshot({ path: out + '/report.png', fullPage: true });

    // the proof tree of the top diagnosis
    const proof = async () => {
      await page.click('#differential .conclusion:first-child');
      await page.waitForSelector('#pane-proof[data-shown]', { timeout: 15000 });
      await page.waitForFunction(() => {
        const i = document.getElementById('proof-img');
        return !i.hidden && i.complete && i.naturalWidth > 0;
      }, null, { timeout: 15000 });
    };
    await proof();
    const why = await text(page, '#proof-why');
    check('proof', /hamstring/.test(why) && /matched/.test(why), 'the proof names no rule or fact: ' + why.slice(0, 200));
    const size = await page.locator('#proof-img').evaluate((i) => [i.naturalWidth, i.naturalHeight]);
    check('proof-svg', size[0] > 100 && size[1] > 100, 'the proof tree picture is ' + size.join('x'));
    await page.screenshot({ path: out + '/proof.png', fullPage: true });

    // step through the firings
    await page.click('#tab-step');
    await page.waitForFunction(() => /firing 1 of \d+/.test(document.getElementById('step-pos').textContent), null, { timeout: 15000 });
    await page.click('#step-next');
    await page.waitForFunction(() => /firing 2 of/.test(document.getElementById('step-pos').textContent), null, { timeout: 15000 });
    await page.click('#step-next');
    await page.waitForFunction(() => /firing 3 of/.test(document.getElementById('step-pos').textContent), null, { timeout: 15000 });
    const trace = await text(page, '#trace');
    const agenda = await page.locator('#agenda-before li:not(.none)').count();
    const fires = await text(page, '#step-rule');
    const first = agenda ? await text(page, '#agenda-before li:first-child .rule') : '';
    check('step', /FIRE 3 /.test(trace) && agenda > 0 && fires.includes(first) && first.length > 0,
      'step 3 shows no firing, or the agenda does not lead with it: ' + fires + ' / ' + trace.slice(0, 120));
    await page.click('#step-prev');
    await page.waitForFunction(() => /firing 2 of/.test(document.getElementById('step-pos').textContent), null, { timeout: 15000 });
    pass('step-back');
    await page.screenshot({ path: out + '/step.png', fullPage: true });

    // whynot
    await page.click('#tab-whynot');
    await page.fill('#whynot-pattern', 'diagnosis(name: sciatica)');
    await page.click('#whynot-go');
    await page.waitForSelector('#whynot-out li', { timeout: 15000 });
    const wn = await text(page, '#whynot-out');
    check('whynot', /sciatica/.test(wn) && /stopped at/.test(wn), 'whynot shows no rule: ' + wn.slice(0, 200));
    await page.fill('#whynot-pattern', 'diagnosis(name: ');
    expect400 = true;
    await page.click('#whynot-go');
    await page.waitForSelector('#whynot-out li.error', { timeout: 15000 });
    expect400 = false;
    pass('whynot-error');
    await page.screenshot({ path: out + '/whynot.png', fullPage: true });

    // a second tab: its own session, from its first question
    const stats = async () => (await (await page.request.get(new URL('/api/stats', url).href)).json()).sessions;
    const one = await stats();
    const tab2 = await browser.newPage();
    await tab2.goto(url);
    await tab2.waitForFunction(() => document.getElementById('q-text').textContent.length > 0, null, { timeout: 20000 });
    const two = await stats();
    check('tabs', two === one + 1 && (await tab2.locator('#given li').count()) === 0 && await page.locator('#over').isVisible(),
      `a second tab did not get its own session (${one} then ${two})`);
    await tab2.close({ runBeforeUnload: true });
    let left = await stats();
    for (let i = 0; i < 50 && left !== one; i++) {
      await page.waitForTimeout(100);
      left = await stats();
    }
    check('tab-closed', left === one, 'closing a tab did not end its session');
    check('no-page-errors', errors.length === 0, errors.join('; '));
    // the README's picture: the report with the proof tree open
    await proof();
    await page.screenshot({ path: out + '/serve.png' });
  } finally {
    await browser.close();
  }
}

main().then(() => process.exit(failed ? 1 : 0), (e) => {
  console.log('FAIL browser/run: ' + (e && e.message ? e.message.split('\n')[0] : e));
  process.exit(1);
});
