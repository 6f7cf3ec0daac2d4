/*
 * Larder's dashboard. Plain script, no library, no build step.
 *
 * Polls GET api/caches every second (per cache: the hit ratio of the lookups in each second,
 * plotted over two minutes, near vs Redis hits, loads, lease waits; the cluster-wide counters when
 * the answer carries them, this instance's otherwise) and GET /health every two seconds; reads the
 * best sellers every ten seconds and soon after an event says stock changed (at most every three
 * seconds); listens to api/events (Server-Sent Events). Paths under api/ are relative so the page
 * works at / and under a context path; MicroProfile Health is at the server's root. A poll never
 * overlaps the previous one, every request times out, polling pauses while the page is hidden and
 * waits out a 429's Retry-After. Everything shown is set with textContent: product names are data,
 * never markup.
 */
(function () {
    'use strict';

    const PLOT_SECONDS = 120;
    const CACHES_EVERY = 1000;
    const HEALTH_EVERY = 2000;
    const RANKING_EVERY = 10000;
    const RANKING_AFTER_EVENT = 500;
    const RANKING_GAP = 3000;
    const REQUEST_TIMEOUT = 4000;
    const FEED_SIZE = 50;
    const PLOT_W = 300;
    const PLOT_H = 80;
    const SVG = 'http://www.w3.org/2000/svg';

    const FIELDS = [ // shown two to a row
        ['hits', 'hits'], ['misses', 'misses'], ['nearHits', 'near hits'], ['remoteHits', 'Redis hits'],
        ['loads', 'loads'], ['averageLoadMillis', 'average load'], ['leaseWaits', 'lease waits'],
        ['loadFailures', 'load failures'], ['earlyRefreshes', 'early refreshes'], ['puts', 'puts'],
        ['removals', 'removals'], ['invalidationsReceived', 'invalidations in']
    ];

    const byId = (id) => document.getElementById(id);
    const cards = new Map();      // cache name -> {scope, last, samples, elements}
    const productNames = new Map();
    const pokes = [];
    let cachePolls = 0;
    let lastCachesUpdate = null;
    let pokeRanking = () => {};
    let rankingSoonTimer = null;
    let lastRanking = 0;

    function element(tag, attributes, text) {
        const node = tag.startsWith('svg:') ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
        Object.entries(attributes || {}).forEach(([name, value]) => node.setAttribute(name, value));
        if (text !== undefined) {
            node.textContent = text;
        }
        return node;
    }

    function count(value) {
        return Number(value || 0).toLocaleString('en');
    }

    function percent(ratio) {
        return ratio === null ? '–' : (ratio * 100).toFixed(1) + ' %';
    }

    function clock(time) {
        return new Date(time).toLocaleTimeString('en-GB');
    }

    async function getJson(url) {
        const response = await fetch(url, {
            cache: 'no-store', headers: {Accept: 'application/json'}, signal: AbortSignal.timeout(REQUEST_TIMEOUT)
        });
        let body = null;
        try {
            body = await response.json();
        } catch (notJson) {
            body = null;
        }
        return {status: response.status, body: body, retryAfter: Number(response.headers.get('Retry-After')) || 1};
    }

    /** Runs task now and then again after what it returns (ms, at least interval); poke() runs it early. */
    function every(interval, task) {
        let timer = null;
        let running = false;
        let again = false;
        let notBefore = 0;
        async function run() {
            clearTimeout(timer);
            running = true;
            again = false;
            let wait = interval;
            if (!document.hidden) {
                try {
                    wait = Math.max(interval, (await task()) || 0);
                } catch (failed) {
                    wait = interval; // each task shows its own failures
                }
            }
            running = false;
            notBefore = wait > interval ? Date.now() + wait : 0;
            timer = setTimeout(run, again && !notBefore ? 0 : wait);
        }
        run();
        const poke = () => {
            if (running) {
                again = true;
            } else if (Date.now() >= notBefore) {
                run();
            }
        };
        pokes.push(poke);
        return poke;
    }

    // ---- caches ----------------------------------------------------------------------------

    function newCard(name) {
        const section = element('section', {'class': 'cache', 'data-cache': name, 'data-lookups': '0', 'data-points': '0', 'data-samples': '0'});
        const title = element('h3', {}, name + ' ');
        const now = element('span', {'class': 'ratio-now', 'title': 'hit ratio since start'}, '–');
        title.append(now);
        const plot = element('svg:svg', {'class': 'plot', 'viewBox': '0 0 ' + PLOT_W + ' ' + PLOT_H, 'role': 'img',
            'aria-label': 'hit ratio of ' + name + ' per second over two minutes'});
        [[2, '100 %'], [PLOT_H / 2, '50 %'], [PLOT_H - 2, '0 %']].forEach(([y, label]) => {
            plot.append(element('svg:line', {'class': 'grid', 'x1': 0, 'x2': PLOT_W, 'y1': y, 'y2': y}));
            plot.append(element('svg:text', {'class': 'axis', 'x': 2, 'y': y < 10 ? y + 8 : y - 2}, label));
        });
        const line = element('svg:path', {'class': 'ratio', 'd': ''});
        plot.append(line);
        const split = element('div', {'class': 'split', 'title': 'hits served by the near cache vs by Redis'});
        const near = element('span', {'class': 'near'});
        const remote = element('span', {'class': 'remote'});
        split.append(near, remote);
        const legend = element('p', {'class': 'split-legend'});
        const list = element('dl');
        const values = {};
        FIELDS.forEach(([field, label]) => {
            values[field] = element('dd', {'data-field': field}, '0');
            list.append(element('dt', {}, label), values[field]);
        });
        section.append(title, plot, split, legend, list);
        byId('caches').append(section);
        return {section, now, line, near, remote, legend, values};
    }

    /** Appends this poll's sample: the hit ratio of the lookups since the previous poll (null: none, or the counters went back). */
    function track(entry, time) {
        const scope = entry.cluster && typeof entry.cluster === 'object' ? 'cluster' : 'instance';
        const counters = scope === 'cluster' ? entry.cluster : entry;
        let card = cards.get(entry.name);
        if (!card) {
            card = {elements: newCard(entry.name), samples: [], taken: 0};
            cards.set(entry.name, card);
        }
        if (card.scope !== scope) {
            card.scope = scope;
            card.last = null;
            card.samples = [];
        }
        let ratio = null;
        if (card.last) {
            const hits = counters.hits - card.last.hits;
            const misses = counters.misses - card.last.misses;
            ratio = hits >= 0 && misses >= 0 && hits + misses > 0 ? hits / (hits + misses) : null;
        }
        card.last = counters;
        card.samples.push({time, ratio});
        card.taken++;
        while (card.samples.length && card.samples[0].time < time - PLOT_SECONDS * 1000) {
            card.samples.shift();
        }
        return card;
    }

    function plotPath(samples, time) {
        let d = '';
        let pen = false;
        let points = 0;
        samples.forEach((sample) => {
            if (sample.ratio === null) {
                pen = false;
                return;
            }
            const x = (PLOT_W - (time - sample.time) / 1000 / PLOT_SECONDS * PLOT_W).toFixed(1);
            const y = (2 + (1 - sample.ratio) * (PLOT_H - 4)).toFixed(1);
            d += pen ? 'L' + x + ' ' + y : 'M' + x + ' ' + y + 'h0'; // a lone point shows as a dot (round caps)
            pen = true;
            points++;
        });
        return {d, points};
    }

    function render(card, time) {
        const c = card.last;
        const view = card.elements;
        const lookups = (c.hits || 0) + (c.misses || 0);
        const {d, points} = plotPath(card.samples, time);
        view.line.setAttribute('d', d);
        view.section.dataset.scope = card.scope;
        view.section.dataset.lookups = String(lookups);
        view.section.dataset.points = String(points);
        view.section.dataset.samples = String(card.taken);
        view.now.textContent = percent(lookups ? c.hits / lookups : null);
        FIELDS.forEach(([field]) => {
            view.values[field].textContent = field === 'averageLoadMillis'
                ? Number(c[field] || 0).toFixed(1) + ' ms' : count(c[field]);
        });
        const served = (c.nearHits || 0) + (c.remoteHits || 0);
        const nearShare = served ? c.nearHits / served : 0;
        view.near.style.width = (nearShare * 100).toFixed(1) + '%';
        view.remote.style.width = (served ? 100 - nearShare * 100 : 0).toFixed(1) + '%';
        view.legend.textContent = served ? 'near ' + percent(nearShare) + ' · Redis ' + percent(1 - nearShare) : 'no hits yet';
    }

    function freshness(problem) {
        const line = byId('freshness');
        line.dataset.polls = String(cachePolls);
        line.classList.toggle('stale', Boolean(problem));
        const when = lastCachesUpdate ? 'updated ' + clock(lastCachesUpdate) : 'not updated yet';
        line.textContent = problem ? problem + ' — ' + when : when;
    }

    async function pollCaches() {
        let answer;
        try {
            answer = await getJson('api/caches');
        } catch (unreachable) {
            freshness('api/caches does not answer');
            return CACHES_EVERY;
        }
        if (answer.status === 429) {
            freshness('rate limited; next poll in ' + answer.retryAfter + ' s');
            return answer.retryAfter * 1000;
        }
        if (answer.status !== 200 || !Array.isArray(answer.body)) {
            freshness('api/caches answered ' + answer.status);
            return CACHES_EVERY;
        }
        const time = Date.now();
        const cluster = answer.body.some((entry) => entry.cluster && typeof entry.cluster === 'object');
        byId('scope').textContent = cluster ? 'all instances' : 'this instance';
        byId('caches').dataset.scope = cluster ? 'cluster' : 'instance';
        answer.body.forEach((entry) => render(track(entry, time), time));
        cachePolls++;
        byId('caches').dataset.polls = String(cachePolls);
        lastCachesUpdate = time;
        freshness(null);
        return CACHES_EVERY;
    }

    // ---- health ----------------------------------------------------------------------------

    async function pollHealth() {
        const list = byId('health');
        let answer = null;
        try {
            answer = await getJson('/health');
        } catch (unreachable) {
            answer = null;
        }
        const checks = answer && answer.body && Array.isArray(answer.body.checks) ? answer.body.checks : null;
        if (!checks) {
            list.dataset.status = 'UNREACHABLE';
            list.replaceChildren(element('li', {'class': 'down', 'data-check': 'server', 'data-status': 'DOWN'},
                answer ? 'health answered ' + answer.status : 'server does not answer'));
            return HEALTH_EVERY;
        }
        list.dataset.status = answer.body.status;
        list.replaceChildren(...checks.map((check) => element('li', {
            'class': check.status === 'UP' ? 'up' : 'down', 'data-check': check.name, 'data-status': check.status,
            'title': check.data ? JSON.stringify(check.data) : check.status
        }, check.name + ' ' + (check.status === 'UP' ? 'up' : 'down'))));
        return HEALTH_EVERY;
    }

    // ---- best sellers ----------------------------------------------------------------------

    async function pollRanking() {
        const note = byId('best-sellers-note');
        lastRanking = Date.now();
        let answer;
        try {
            answer = await getJson('api/leaderboard/best-sellers?limit=10');
        } catch (unreachable) {
            note.textContent = 'The ranking does not answer.';
            return RANKING_EVERY;
        }
        if (answer.status === 429) {
            note.textContent = 'Rate limited; next try in ' + answer.retryAfter + ' s.';
            return answer.retryAfter * 1000;
        }
        if (answer.status !== 200 || !Array.isArray(answer.body)) {
            note.textContent = 'The ranking answered ' + answer.status + '.';
            return RANKING_EVERY;
        }
        const list = byId('best-sellers');
        list.replaceChildren(...answer.body.map((ranked) => {
            productNames.set(String(ranked.productId), ranked.name);
            const item = element('li', {'data-product-id': ranked.productId, 'data-units': ranked.unitsSold, 'value': ranked.rank});
            item.append(element('span', {'class': 'name'}, ranked.name), element('span', {'class': 'units'}, count(ranked.unitsSold) + ' sold'));
            return item;
        }));
        list.dataset.updates = String(Number(list.dataset.updates) + 1);
        note.textContent = answer.body.length ? '' : 'No orders yet.';
        return RANKING_EVERY;
    }

    /** After an event, once the order's count reached Redis; under a stream of events at most every RANKING_GAP. */
    function rankingSoon() {
        if (rankingSoonTimer === null) {
            rankingSoonTimer = setTimeout(() => {
                rankingSoonTimer = null;
                pokeRanking();
            }, Math.max(RANKING_AFTER_EVENT, lastRanking + RANKING_GAP - Date.now()));
        }
    }

    // ---- live events -----------------------------------------------------------------------

    function eventsState(state, text) {
        const label = byId('events-state');
        label.dataset.state = state;
        label.textContent = text;
    }

    function describe(type, data) {
        const name = productNames.get(String(data.productId));
        const product = 'product ' + data.productId + (name ? ' (' + name + ')' : '');
        if (type === 'inventory') {
            return product + ': stock ' + data.stock;
        }
        if (type === 'product') {
            return product + ' ' + (data.change === 'stock' ? 'stock changed' : data.change);
        }
        return data.reason || JSON.stringify(data);
    }

    function showEvent(type, message) {
        let data = {};
        try {
            data = JSON.parse(message.data);
        } catch (notJson) {
            data = {};
        }
        const feed = byId('events');
        const item = element('li', {'data-event': type, 'data-product-id': data.productId === undefined ? '' : data.productId});
        item.append(element('time', {}, clock(Date.now())), element('span', {'class': 'type'}, type),
            element('span', {}, describe(type, data)));
        feed.prepend(item);
        while (feed.children.length > FEED_SIZE) {
            feed.lastElementChild.remove();
        }
        feed.dataset.count = String(Number(feed.dataset.count) + 1);
        if (type !== 'reload') {
            rankingSoon(); // an order is a stock change; a deleted product leaves the ranking
        }
    }

    function listen() {
        const source = new EventSource('api/events');
        source.onopen = () => eventsState('open', 'connected');
        source.onerror = () => {
            if (source.readyState === EventSource.CLOSED) { // refused (e.g. 503: too many clients): the browser gives up
                eventsState('closed', 'disconnected; retrying in 5 s');
                setTimeout(listen, 5000);
            } else {
                eventsState('connecting', 'reconnecting…');
            }
        };
        ['inventory', 'product', 'reload'].forEach((type) => source.addEventListener(type, (message) => showEvent(type, message)));
    }

    document.addEventListener('visibilitychange', () => {
        if (!document.hidden) {
            pokes.forEach((poke) => poke());
        }
    });
    every(CACHES_EVERY, pollCaches);
    every(HEALTH_EVERY, pollHealth);
    pokeRanking = every(RANKING_EVERY, pollRanking);
    listen();
}());
