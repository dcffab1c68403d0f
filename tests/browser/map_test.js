/*
 * Drives an HTML map written by `xref export --format html` (or `xref
 * build`) in headless Chromium, as a reader would: find an entity, read
 * its panel, open one of its ties and read the evidence, click a tie on the
 * map, hide a type, zoom and pan. Fails on any console error, uncaught
 * exception, Content-Security-Policy violation or request for anything but
 * file:, data: or about: URLs, and (for hostile names) when a name ran as
 * script.
 *
 *   node map_test.js CONFIG.json
 *
 * CONFIG: {"html": path, "screenshot": path or null, "query": text to
 * search, "name": the entity's expected name, "type": its expected type,
 * "alias": another name to search for, in other letter case (may be
 * absent), "pwned": true to check that window.__pwned stays undefined}. Prints one
 * "ok - " or "not ok - " line per check; exits 1 when a check failed.
 * Environment: XREF_CHROMIUM (default /usr/bin/chromium).
 */
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const executable = process.env.XREF_CHROMIUM || '/usr/bin/chromium';
let failures = 0;

function check(what, ok, detail) {
	if (ok) {
		console.log('ok - ' + what);
	} else {
		failures++;
		console.log('not ok - ' + what + (detail !== undefined ? ': ' + JSON.stringify(detail) : ''));
	}
}

async function viewBox(page) {
	return page.$eval('#x-map svg', (s) => s.getAttribute('viewBox').split(' ').map(Number));
}

async function main() {
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'xref-chromium-'));
	const errors = [];
	const requests = [];
	let context = null;

	try {
		context = await chromium.launchPersistentContext(profile, {
			executablePath: executable,
			headless: true,
			args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
				'--no-first-run', '--disable-background-networking',
				'--disable-component-update', '--disable-sync'],
			viewport: { width: 1400, height: 900 },
		});
		context.on('request', (r) => {
			if (!/^(file|data|about):/.test(r.url()))
				requests.push(r.url());
		});
		await context.addInitScript(() => {
			window.__cspViolations = [];
			document.addEventListener('securitypolicyviolation', (e) => {
				window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
			});
		});
		const page = context.pages()[0] || await context.newPage();
		page.on('console', (m) => {
			if (m.type() === 'error' || m.type() === 'warning')
				errors.push(m.type() + ': ' + m.text());
		});
		page.on('pageerror', (e) => errors.push('exception: ' + e.message));

		await page.goto('file://' + path.resolve(config.html), { waitUntil: 'load' });
		await page.waitForSelector('#x-map svg g.node');
		const home = await viewBox(page);
		check('the map is drawn', home.length === 4 && home[2] > 0, home);
		check('the status line counts the map',
			/^\d+ entities, \d+ ties on this map$/.test(await page.textContent('#x-status')),
			await page.textContent('#x-status'));
		check('the legend lists types with checkboxes',
			(await page.$$('#x-types input[type=checkbox]')).length > 0);

		/* search: the entity is found, selected and centred */
		await page.fill('#x-q', config.query);
		await page.press('#x-q', 'Enter');
		await page.waitForSelector('#x-panel h2');
		const name = await page.textContent('#x-panel h2');
		check('search finds "' + config.query + '"', name === config.name, name);
		const kind = await page.textContent('#x-panel .x-kind');
		check('the panel shows the type', kind.includes(config.type), kind);
		check('the panel shows metrics',
			(await page.$$eval('#x-panel dl.x-metrics dt', (d) => d.map((e) => e.textContent)))
				.includes('PageRank'));
		const uid = await page.evaluate(() => {
			const e = document.querySelector('#x-map svg g.node.x-selected');
			return e ? e.id.slice(1) : null;
		});
		check('the entity is highlighted on the map', uid !== null && uid.length === 16, uid);
		const centred = await viewBox(page);
		check('the map moved to the entity', centred.join(' ') !== home.join(' '), centred);
		if (config.pwned)
			check('no script ran (search)', await page.evaluate(() => window.__pwned === undefined));
		if (config.screenshot)
			await page.screenshot({ path: config.screenshot });

		/* its strongest tie, with the best evidence sentence */
		const ties = await page.$$('#x-panel ol.x-ties > li');
		check('the entity has ties listed', ties.length > 0, ties.length);
		if (ties.length > 0) {
			const quoted = await page.$$eval('#x-panel ol.x-ties blockquote.x-sentence',
				(q) => q.map((e) => e.textContent));
			check('each tie quotes a sentence', quoted.length === ties.length &&
				quoted.every((t) => t.trim().length > 0), quoted.length);
			const other = await page.textContent('#x-panel ol.x-ties > li button');
			await page.click('#x-panel ol.x-ties > li button');
			await page.waitForSelector('#x-panel ol.x-evidence');
			const title = await page.textContent('#x-panel h2');
			check('the tie panel names both ends', title.includes(config.name) &&
				title.includes(other), title);
			const sentences = await page.$$eval('#x-panel ol.x-evidence blockquote.x-sentence',
				(q) => q.map((e) => e.textContent));
			check('the tie shows its evidence sentences', sentences.length > 0 &&
				sentences.every((t) => t.trim().length > 0), sentences.slice(0, 2));
			const sources = await page.$$eval('#x-panel ol.x-evidence .x-source',
				(p) => p.map((e) => e.textContent));
			check('every sentence has its source', sources.length === sentences.length &&
				sources.every((t) => t.trim().length > 0), sources.slice(0, 2));
			const links = await page.$$eval('#x-panel a', (a) => a.map((e) => [e.protocol, e.rel, e.target]));
			check('links are http(s), noopener, in a new tab', links.every((l) =>
				(l[0] === 'http:' || l[0] === 'https:') && l[1].includes('noopener') && l[2] === '_blank'), links);
			if (config.pwned)
				check('no script ran (tie)', await page.evaluate(() => window.__pwned === undefined));

			/* a tie clicked on the map itself */
			const edge = await page.evaluate((id) => {
				const e = document.querySelector('#x-map svg g.edge[id^="e' + id + '-"], ' +
					'#x-map svg g.edge[id$="-' + id + '"]');
				return e ? e.id : null;
			}, uid);
			check('the map has an edge of the entity', edge !== null, edge);
			if (edge) {
				await page.dispatchEvent('[id="' + edge + '"] path.x-hit', 'click');
				const t = await page.textContent('#x-panel h2');
				check('clicking a tie on the map opens it', t.includes(config.name), t);
			}
			/* and back to the entity from the tie */
			await page.click('#x-panel h2 button');
			check('a name in the tie panel opens the entity',
				(await page.$$('#x-panel ol.x-ties')).length === 1);
		}

		/* clicking the node itself on the map */
		await page.dispatchEvent('[id="n' + uid + '"]', 'click');
		check('clicking the entity on the map opens it',
			(await page.textContent('#x-panel h2')) === config.name);
		if (config.pwned)
			check('no script ran (click)', await page.evaluate(() => window.__pwned === undefined));

		/* hostile names: open every entity and every tie on the map */
		if (config.pwned) {
			const ids = await page.$$eval('#x-map svg g.node[id^="n"], #x-map svg g.edge',
				(g) => g.map((e) => e.id));
			for (const id of ids) {
				await page.dispatchEvent('[id="' + id + '"]', 'click');
				if (id[0] === 'n') {
					const shown = await page.textContent('#x-panel h2');
					const want = await page.evaluate((u) => JSON.parse(
						document.getElementById('x-data').textContent).nodes
						.find((n) => n.id === u).label, id.slice(1));
					if (shown !== want)
						check('the panel shows the name as written', false, [shown, want]);
				}
			}
			check('every entity and tie opened (' + ids.length + ')', ids.length > 0);
			check('no script ran (every panel)', await page.evaluate(() => window.__pwned === undefined));
			const injected = await page.$$eval('#x-panel img, #x-panel script, #x-side script, #x-side img',
				(e) => e.length);
			check('no element came from the data', injected === 0, injected);
		}

		/* type filters hide and show */
		const box = '#x-types input[value="' + config.type + '"]';
		await page.uncheck(box);
		check('unchecking a type hides its entities',
			!(await page.isVisible('[id="n' + uid + '"]')));
		await page.check(box);
		check('checking it again shows them', await page.isVisible('[id="n' + uid + '"]'));

		/* zoom and pan */
		await page.click('#x-zoom-fit');
		const fitted = await viewBox(page);
		check('fit shows the whole map', fitted.join(' ') === home.join(' '), fitted);
		await page.click('#x-zoom-in');
		const zoomed = await viewBox(page);
		check('the + button zooms in', zoomed[2] < fitted[2], zoomed);
		const map = await page.$('#x-map');
		const r = await map.boundingBox();
		await page.mouse.move(r.x + r.width / 2, r.y + r.height / 2);
		await page.mouse.wheel(0, 400);
		await page.waitForTimeout(50);
		const wheeled = await viewBox(page);
		check('the wheel zooms out', wheeled[2] > zoomed[2], wheeled);
		await page.mouse.move(r.x + 200, r.y + 200);
		await page.mouse.down();
		await page.mouse.move(r.x + 300, r.y + 260, { steps: 5 });
		await page.mouse.up();
		const panned = await viewBox(page);
		check('dragging pans', panned[0] < wheeled[0] && panned[1] < wheeled[1] &&
			panned[2] === wheeled[2], panned);

		/* an alias in other letter case finds the same entity; an unknown
		 * name says so */
		if (config.alias) {
			await page.fill('#x-q', config.alias);
			await page.press('#x-q', 'Enter');
			check('an alias finds the entity', (await page.textContent('#x-panel h2')) === config.name);
		}
		await page.fill('#x-q', 'zz no such entity zz');
		await page.press('#x-q', 'Enter');
		const said = await page.textContent('#x-status');
		check('an unknown name is reported', said.startsWith('Nothing on this map is called'), said);

		const csp = await page.evaluate(() => window.__cspViolations);
		check('no content security policy violation', csp.length === 0, csp);
		if (config.pwned)
			check('no script ran at all', await page.evaluate(() => window.__pwned === undefined));
	} catch (e) {
		check('the test ran to its end', false, String(e && e.stack || e));
	} finally {
		if (context)
			await context.close();
		fs.rmSync(profile, { recursive: true, force: true });
	}
	check('no console error or warning', errors.length === 0, errors);
	check('no network request', requests.length === 0, requests);
	process.exit(failures ? 1 : 0);
}

main();
