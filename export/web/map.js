/*
 * xref map: pan and zoom, search, the details of an entity or a tie, and
 * type filters, over the SVG map and the node-link JSON embedded in the
 * same page.
 *
 * Every piece of text that comes from the data (names, aliases, titles,
 * sentences, URLs) enters the page through textContent or a property
 * setter, never as markup, so no document can run script here; links are
 * made only for http and https URLs. The page works offline from file://
 * and never fetches anything.
 */
(function () {
	'use strict';

	var data = JSON.parse(document.getElementById('x-data').textContent);
	var palette = JSON.parse(document.getElementById('x-types-data').textContent);
	var typeList = palette.types;
	var byCommunity = palette.color_by === 'community';
	var map = document.getElementById('x-map');
	var svg = map.querySelector('svg');
	var panel = document.getElementById('x-panel');
	var statusLine = document.getElementById('x-status');
	var MAX_TIES = 10;

	/* --- the data ------------------------------------------------------ */

	var nodes = new Map();   /* uid -> node */
	var links = new Map();   /* "a-b" -> link */
	var ties = new Map();    /* uid -> [link] */
	var typeInfo = new Map(); /* type name -> {color, shape} */
	var hiddenTypes = new Set();

	typeList.forEach(function (t) { typeInfo.set(t.name, t); });
	data.nodes.forEach(function (n) {
		nodes.set(n.id, n);
		ties.set(n.id, []);
	});
	data.links.forEach(function (l) {
		if (!nodes.has(l.source) || !nodes.has(l.target))
			return;
		links.set(l.source + '-' + l.target, l);
		ties.get(l.source).push(l);
		ties.get(l.target).push(l);
	});

	function other(l, id) {
		return l.source === id ? l.target : l.source;
	}

	function nodeName(id) {
		var n = nodes.get(id);
		return n ? n.label : id;
	}

	/* --- building the DOM from text -------------------------------------- */

	function el(tag, cls, text) {
		var e = document.createElement(tag);
		if (cls)
			e.className = cls;
		if (text !== undefined && text !== null)
			e.textContent = String(text);
		return e;
	}

	function communityColor(c) {
		if (typeof c !== 'number' || c < 0)
			return palette.unknown;
		return c < palette.communities.length ? palette.communities[c] : palette.others;
	}

	function swatchOf(color) {
		var s = el('span', 'x-swatch');
		s.style.backgroundColor = color;
		return s;
	}

	/* The swatch of a node as the map colours it. */
	function nodeSwatch(n) {
		if (byCommunity)
			return swatchOf(communityColor(n.community));
		var t = typeInfo.get(n.type);
		return swatchOf(t ? t.color : '#dddddd');
	}

	function linkButton(text, onClick, label) {
		var b = el('button', 'x-link x-name', text);
		b.type = 'button';
		if (label)
			b.title = label;
		b.addEventListener('click', onClick);
		return b;
	}

	/* An http(s) URL as a normalised string, or null. */
	function safeUrl(u) {
		if (typeof u !== 'string' || u === '')
			return null;
		try {
			var parsed = new URL(u);
			if (parsed.protocol === 'http:' || parsed.protocol === 'https:')
				return parsed.href;
		} catch (e) {
			/* not a URL: shown as text */
		}
		return null;
	}

	function fmt(v) {
		if (typeof v !== 'number' || !isFinite(v))
			return '\u2013';
		if (Number.isInteger(v))
			return v.toLocaleString('en');
		if (Math.abs(v) >= 100)
			return Math.round(v).toLocaleString('en');
		return v.toPrecision(3);
	}

	/* "Title, 2021-07-18, link" under a sentence. */
	function sourceLine(ev) {
		var p = el('p', 'x-source');
		var href = safeUrl(ev.url);
		var title = ev.title || ev.doc_id || 'untitled document';
		if (href) {
			var a = el('a', 'x-name', title);
			a.href = href;
			a.target = '_blank';
			a.rel = 'noopener noreferrer';
			a.title = href;
			p.appendChild(a);
		} else {
			p.appendChild(el('span', 'x-name', title));
		}
		if (ev.date)
			p.appendChild(document.createTextNode(', ' + ev.date));
		if (!href && ev.url)
			p.appendChild(el('span', 'x-muted x-name', ' (' + ev.url + ')'));
		return p;
	}

	function sentence(ev) {
		return el('blockquote', 'x-sentence', ev.text);
	}

	/* The evidence to quote for a tie: the newest with a web link, else the
	 * newest (evidence comes newest first). */
	function bestEvidence(l) {
		var ev = l.evidence || [];
		for (var i = 0; i < ev.length; i++)
			if (safeUrl(ev[i].url))
				return ev[i];
		return ev.length ? ev[0] : null;
	}

	/* --- the SVG map --------------------------------------------------- */

	var base = svg.viewBox.baseVal;
	var home = { x: base.x, y: base.y, w: base.width, h: base.height };
	var view = { x: home.x, y: home.y, w: home.w, h: home.h };

	svg.removeAttribute('width');
	svg.removeAttribute('height');
	svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');

	function applyView() {
		svg.setAttribute('viewBox', view.x + ' ' + view.y + ' ' + view.w + ' ' + view.h);
	}

	function svgPoint(clientX, clientY) {
		var pt = svg.createSVGPoint();
		pt.x = clientX;
		pt.y = clientY;
		return pt.matrixTransform(svg.getScreenCTM().inverse());
	}

	function zoomAt(cx, cy, factor) {
		var w = view.w * factor;
		/* between a tenth of a node and four times the whole map */
		if (w < home.w / 60 || w > home.w * 4)
			return;
		view.x = cx - (cx - view.x) * factor;
		view.y = cy - (cy - view.y) * factor;
		view.w = w;
		view.h = view.h * factor;
		applyView();
	}

	function zoomCentre(factor) {
		zoomAt(view.x + view.w / 2, view.y + view.h / 2, factor);
	}

	function fit() {
		view = { x: home.x, y: home.y, w: home.w, h: home.h };
		applyView();
	}

	map.addEventListener('wheel', function (e) {
		e.preventDefault();
		var p = svgPoint(e.clientX, e.clientY);
		var delta = e.deltaMode === 1 ? e.deltaY * 33 : e.deltaY;
		zoomAt(p.x, p.y, Math.exp(Math.max(-300, Math.min(300, delta)) * 0.0015));
	}, { passive: false });

	var drag = null;
	var dragged = false;

	map.addEventListener('pointerdown', function (e) {
		if (e.button !== 0)
			return;
		drag = { id: e.pointerId, start: svgPoint(e.clientX, e.clientY), x: e.clientX, y: e.clientY };
		dragged = false;
	});
	map.addEventListener('pointermove', function (e) {
		if (!drag || e.pointerId !== drag.id)
			return;
		if (!dragged && Math.abs(e.clientX - drag.x) + Math.abs(e.clientY - drag.y) < 4)
			return;
		if (!dragged) {
			dragged = true;
			map.setPointerCapture(e.pointerId);
			map.classList.add('x-dragging');
		}
		var p = svgPoint(e.clientX, e.clientY);
		view.x -= p.x - drag.start.x;
		view.y -= p.y - drag.start.y;
		applyView();
	});
	function endDrag(e) {
		if (!drag || e.pointerId !== drag.id)
			return;
		drag = null;
		map.classList.remove('x-dragging');
	}
	map.addEventListener('pointerup', endDrag);
	map.addEventListener('pointercancel', endDrag);

	map.addEventListener('keydown', function (e) {
		var step = view.w / 10;
		if (e.key === '+' || e.key === '=')
			zoomCentre(1 / 1.4);
		else if (e.key === '-')
			zoomCentre(1.4);
		else if (e.key === '0')
			fit();
		else if (e.key === 'ArrowLeft')
			view.x -= step;
		else if (e.key === 'ArrowRight')
			view.x += step;
		else if (e.key === 'ArrowUp')
			view.y -= step;
		else if (e.key === 'ArrowDown')
			view.y += step;
		else if (e.key === 'Escape')
			clearSelection();
		else
			return;
		e.preventDefault();
		applyView();
	});

	document.getElementById('x-zoom-in').addEventListener('click', function () { zoomCentre(1 / 1.4); });
	document.getElementById('x-zoom-out').addEventListener('click', function () { zoomCentre(1.4); });
	document.getElementById('x-zoom-fit').addEventListener('click', fit);

	function nodeEl(id) {
		return document.getElementById('n' + id);
	}

	function edgeEl(key) {
		return document.getElementById('e' + key);
	}

	/* Wider invisible strokes over the edges, so that thin ties can be
	 * clicked. */
	svg.querySelectorAll('g.edge').forEach(function (g) {
		var path = g.querySelector('path');
		if (!path)
			return;
		var hit = document.createElementNS('http://www.w3.org/2000/svg', 'path');
		hit.setAttribute('d', path.getAttribute('d'));
		hit.setAttribute('class', 'x-hit');
		hit.setAttribute('stroke-width', '9');
		g.appendChild(hit);
	});

	/* Moves the view so that the entity is in the middle, zooming in when
	 * the whole map is shown. */
	function centreOn(id) {
		var g = nodeEl(id);
		if (!g)
			return;
		var r = g.getBoundingClientRect();
		var c = svgPoint(r.left + r.width / 2, r.top + r.height / 2);
		var w = Math.min(view.w, home.w / 2.5);
		var h = view.h * (w / view.w);
		view = { x: c.x - w / 2, y: c.y - h / 2, w: w, h: h };
		applyView();
	}

	/* --- selection ------------------------------------------------------ */

	function clearMarks() {
		svg.classList.remove('x-focus');
		svg.querySelectorAll('.x-on, .x-selected').forEach(function (e) {
			e.classList.remove('x-on', 'x-selected');
		});
	}

	function clearSelection() {
		clearMarks();
		while (panel.firstChild)
			panel.removeChild(panel.firstChild);
		panel.appendChild(el('p', 'x-hint', 'Click an entity to see its ties, or a tie to read the sentences that prove it.'));
	}

	function mark(id, cls) {
		var e = id.length === 16 ? nodeEl(id) : edgeEl(id);
		if (e)
			e.classList.add(cls);
	}

	function strongest(id) {
		return ties.get(id).slice().sort(function (a, b) {
			return b.weight - a.weight || b.documents - a.documents ||
				(nodeName(other(a, id)) < nodeName(other(b, id)) ? -1 : 1);
		});
	}

	function showPanel(box) {
		while (panel.firstChild)
			panel.removeChild(panel.firstChild);
		panel.appendChild(box);
		document.getElementById('x-side').scrollTop = 0;
	}

	function showNode(id) {
		var n = nodes.get(id);
		if (!n)
			return;
		clearMarks();
		svg.classList.add('x-focus');
		mark(id, 'x-on');
		mark(id, 'x-selected');
		ties.get(id).forEach(function (l) {
			mark(l.source + '-' + l.target, 'x-on');
			mark(other(l, id), 'x-on');
		});

		var box = document.createDocumentFragment();
		box.appendChild(el('h2', 'x-name', n.label));
		var kind = el('p', 'x-kind');
		kind.appendChild(nodeSwatch(n));
		kind.appendChild(el('span', null, n.type +
			(typeof n.community === 'number' ? ', community ' + n.community : '')));
		box.appendChild(kind);

		var dl = el('dl', 'x-metrics');
		[['mentions', 'mentions'], ['documents', 'documents'],
			['degree', 'ties (degree)'], ['strength', 'strength'],
			['pagerank', 'PageRank'], ['betweenness', 'betweenness']].forEach(function (m) {
			if (!(m[0] in n))
				return;
			dl.appendChild(el('dt', null, m[1]));
			dl.appendChild(el('dd', null, fmt(n[m[0]])));
		});
		box.appendChild(dl);

		box.appendChild(el('h3', null, 'Also called'));
		if (n.aliases && n.aliases.length) {
			var ul = el('ul', 'x-aliases');
			n.aliases.forEach(function (a) { ul.appendChild(el('li', 'x-name', a)); });
			box.appendChild(ul);
		} else {
			box.appendChild(el('p', 'x-muted', 'no other names'));
		}

		var list = strongest(id);
		box.appendChild(el('h3', null, list.length > MAX_TIES ?
			'Strongest ties (' + MAX_TIES + ' of ' + list.length + ' on this map)' :
			'Ties on this map (' + list.length + ')'));
		var ol = el('ol', 'x-ties');
		list.slice(0, MAX_TIES).forEach(function (l) {
			var li = el('li', 'x-tie');
			var key = l.source + '-' + l.target;
			li.appendChild(linkButton(nodeName(other(l, id)), function () { showEdge(key); },
				'Show every sentence linking the two'));
			li.appendChild(el('span', 'x-muted', ' \u00b7 ' + l.weight +
				(l.weight === 1 ? ' sentence' : ' sentences') + ', ' + l.documents +
				(l.documents === 1 ? ' document' : ' documents')));
			var ev = bestEvidence(l);
			if (ev) {
				li.appendChild(sentence(ev));
				li.appendChild(sourceLine(ev));
			}
			ol.appendChild(li);
		});
		box.appendChild(ol);
		if (!list.length)
			box.appendChild(el('p', 'x-muted', 'no ties among the entities on this map'));

		showPanel(box);
	}

	function showEdge(key) {
		var l = links.get(key);
		if (!l)
			return;
		clearMarks();
		svg.classList.add('x-focus');
		mark(key, 'x-on');
		mark(key, 'x-selected');
		mark(l.source, 'x-on');
		mark(l.target, 'x-on');

		var box = document.createDocumentFragment();
		var h = el('h2', 'x-edge-title');
		h.appendChild(linkButton(nodeName(l.source), function () { showNode(l.source); }));
		h.appendChild(document.createTextNode(' \u2014 '));
		h.appendChild(linkButton(nodeName(l.target), function () { showNode(l.target); }));
		box.appendChild(h);

		var dl = el('dl', 'x-metrics');
		dl.appendChild(el('dt', null, 'together in'));
		dl.appendChild(el('dd', null, l.weight + (l.weight === 1 ? ' sentence' : ' sentences')));
		dl.appendChild(el('dt', null, 'documents'));
		dl.appendChild(el('dd', null, l.documents));
		if (l.first_seen) {
			dl.appendChild(el('dt', null, 'seen'));
			dl.appendChild(el('dd', null, l.first_seen === l.last_seen ? l.first_seen :
				l.first_seen + ' to ' + l.last_seen));
		}
		box.appendChild(dl);

		var ev = l.evidence || [];
		box.appendChild(el('h3', null, ev.length < l.weight ?
			'Evidence (newest ' + ev.length + ' of ' + l.weight + ')' :
			'Evidence (' + ev.length + ')'));
		var ol = el('ol', 'x-evidence');
		ev.forEach(function (e) {
			var li = el('li');
			li.appendChild(sentence(e));
			li.appendChild(sourceLine(e));
			ol.appendChild(li);
		});
		box.appendChild(ol);

		showPanel(box);
	}

	map.addEventListener('click', function (e) {
		if (dragged) {
			dragged = false;
			return;
		}
		var g = e.target.closest ? e.target.closest('g.node, g.edge') : null;
		if (!g || !g.id) {
			clearSelection();
			return;
		}
		if (g.classList.contains('node') && g.id.length === 17 && g.id[0] === 'n')
			showNode(g.id.slice(1));
		else if (g.classList.contains('edge') && g.id[0] === 'e')
			showEdge(g.id.slice(1));
	});

	/* --- type filters and legend ------------------------------------------ */

	function applyFilters() {
		nodes.forEach(function (n, id) {
			var e = nodeEl(id);
			if (e)
				e.classList.toggle('x-hidden', hiddenTypes.has(n.type));
		});
		links.forEach(function (l, key) {
			var e = edgeEl(key);
			if (e)
				e.classList.toggle('x-hidden', hiddenTypes.has(nodes.get(l.source).type) ||
					hiddenTypes.has(nodes.get(l.target).type));
		});
	}

	var counts = new Map();
	nodes.forEach(function (n) { counts.set(n.type, (counts.get(n.type) || 0) + 1); });
	var typesBox = document.getElementById('x-types');
	var checkboxes = new Map();
	typeList.forEach(function (t) {
		if (!counts.has(t.name))
			return;
		var li = el('li');
		var label = el('label');
		var box = el('input');
		box.type = 'checkbox';
		box.checked = true;
		box.value = t.name;
		box.addEventListener('change', function () {
			if (box.checked)
				hiddenTypes.delete(t.name);
			else
				hiddenTypes.add(t.name);
			applyFilters();
		});
		checkboxes.set(t.name, box);
		label.appendChild(box);
		if (!byCommunity)
			label.appendChild(swatchOf(t.color));
		label.appendChild(el('span', null, byCommunity ? t.name + ' (' + t.shape + ')' : t.name));
		label.appendChild(el('span', 'x-count', counts.get(t.name)));
		li.appendChild(label);
		typesBox.appendChild(li);
	});

	/* Colour by community: a second list with each community's colour and
	 * size (the first eight, then the others together). */
	if (byCommunity) {
		var sizes = new Map();
		nodes.forEach(function (n) {
			var c = typeof n.community === 'number' && n.community >= 0 ?
				Math.min(n.community, palette.communities.length) : -1;
			sizes.set(c, (sizes.get(c) || 0) + 1);
		});
		var keys = Array.from(sizes.keys()).sort(function (a, b) {
			return (a < 0 ? 1e9 : a) - (b < 0 ? 1e9 : b);
		});
		var section = document.getElementById('x-types-box');
		section.appendChild(el('h2', null, 'Communities'));
		var ul = el('ul', 'x-communities');
		keys.forEach(function (c) {
			var li = el('li');
			li.appendChild(swatchOf(c < 0 ? palette.unknown : communityColor(c)));
			li.appendChild(el('span', null, c < 0 ? 'unknown' :
				c >= palette.communities.length ? 'others' : 'community ' + c));
			li.appendChild(el('span', 'x-count', sizes.get(c)));
			ul.appendChild(li);
		});
		section.appendChild(ul);
	}

	/* --- search -------------------------------------------------------- */

	function fold(s) {
		return String(s).normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
			.toLowerCase().replace(/[.'\u2019]/g, '').replace(/\s+/g, ' ').trim();
	}

	var index = [];
	var names = document.getElementById('x-names');
	var seen = new Set();
	nodes.forEach(function (n, id) {
		[n.label].concat(n.aliases || []).forEach(function (s) {
			index.push({ key: fold(s), id: id });
			if (seen.has(s))
				return;
			seen.add(s);
			var o = el('option');
			o.value = s;
			names.appendChild(o);
		});
	});

	function rank(id) {
		var n = nodes.get(id);
		return typeof n.pagerank === 'number' ? n.pagerank : n.mentions || 0;
	}

	/* The best match for q: an exact name or alias, then a prefix, then a
	 * part of one; ties go to the more central entity. */
	function find(q) {
		var k = fold(q);
		if (!k)
			return null;
		var best = null, bestScore = 0;
		index.forEach(function (e) {
			var score = e.key === k ? 3 : e.key.indexOf(k) === 0 ? 2 : e.key.indexOf(k) >= 0 ? 1 : 0;
			if (score > bestScore || (score && score === bestScore && rank(e.id) > rank(best))) {
				best = e.id;
				bestScore = score;
			}
		});
		return best;
	}

	document.getElementById('x-search').addEventListener('submit', function (e) {
		e.preventDefault();
		var q = document.getElementById('x-q').value;
		var id = find(q);
		if (!id) {
			statusLine.textContent = q.trim() ? 'Nothing on this map is called \u201c' + q.trim() + '\u201d.' : '';
			return;
		}
		var type = nodes.get(id).type;
		if (hiddenTypes.has(type)) {
			hiddenTypes.delete(type);
			checkboxes.get(type).checked = true;
			applyFilters();
		}
		statusLine.textContent = '';
		showNode(id);
		centreOn(id);
	});

	statusLine.textContent = nodes.size + ' entities, ' + links.size + ' ties on this map';
	applyView();
})();
