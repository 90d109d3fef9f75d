/// `/console/console.js`: live updates for pages that name a stream (`body[data-stream]`). Pages are complete
/// without it; this only keeps statuses current and shows the connection state. A string literal, like the
/// stylesheet (see `ConsoleStylesheet`).
enum ConsoleScript {
    static let text = #"""
        (function () {
          'use strict';
          var body = document.body;
          var url = body.getAttribute('data-stream');
          if (!url || !window.EventSource) { return; }
          var live = document.getElementById('live');
          var runStatus = {'run.started': 'running', 'run.completed': 'completed', 'run.failed': 'failed',
            'run.waiting': 'waiting', 'run.resumed': 'running', 'run.cancelled': 'cancelled'};
          var stepStatus = {'step.started': 'running', 'step.completed': 'completed', 'step.failed': 'failed',
            'step.skipped': 'skipped', 'step.waiting': 'waiting', 'step.retrying': 'retrying'};
          var terminal = {completed: 1, failed: 1, cancelled: 1};
          var started = {};
          var lastSeq = null;
          var source = null;

          function show(state, text) {
            if (!live) { return; }
            live.setAttribute('data-state', state);
            live.textContent = text;
          }
          function quote(text) { return '"' + String(text).replace(/["\\]/g, '\\$&') + '"'; }
          function all(selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); }
          function badge(element, status) {
            var b = element.querySelector('[data-badge]');
            if (b) { b.className = 'badge s-' + status; b.textContent = status; }
          }
          function duration(ms) {
            if (ms < 1000) { return Math.round(ms) + 'ms'; }
            if (ms < 60000) { return (ms / 1000).toFixed(1) + 's'; }
            return Math.floor(ms / 60000) + 'm ' + Math.floor(ms % 60000 / 1000) + 's';
          }
          function el(tag, text, attrs) {
            var e = document.createElement(tag);
            if (text !== undefined && text !== null) { e.textContent = text; }
            for (var k in attrs || {}) { e.setAttribute(k, attrs[k]); }
            return e;
          }
          function notice(text) {
            if (document.getElementById('live-notice')) { return; }
            var p = el('p', text + ' ', {id: 'live-notice', 'class': 'notice', role: 'status'});
            p.appendChild(el('a', 'Reload', {href: location.pathname + location.search}));
            var h1 = document.querySelector('main h1');
            h1.parentNode.insertBefore(p, h1.nextSibling);
          }
          function addRow(ev, status) {
            var table = document.querySelector('table#runs tbody');
            if (!table || !body.hasAttribute('data-prepend')) { return; }
            var wf = body.getAttribute('data-filter-workflow');
            var st = body.getAttribute('data-filter-status');
            if ((wf && wf !== ev.workflow) || (st && st !== status)) { return; }
            all('table#runs tr.empty').forEach(function (r) { r.remove(); });
            var tr = el('tr', null, {'data-run-id': ev.run_id, 'data-status': status, 'class': 'flash'});
            var a = el('a', null, {href: '/runs/' + encodeURIComponent(ev.run_id)});
            a.appendChild(el('code', ev.run_id));
            var c1 = el('td'); c1.appendChild(a); tr.appendChild(c1);
            var c2 = el('td'); c2.appendChild(el('a', ev.workflow, {href: '/workflows/' + encodeURIComponent(ev.workflow)}));
            tr.appendChild(c2);
            var c3 = el('td'); c3.appendChild(el('span', status, {'class': 'badge s-' + status, 'data-badge': ''}));
            tr.appendChild(c3);
            tr.appendChild(el('td', '—'));
            tr.appendChild(el('td', ev.at.replace('T', ' ').replace('.000Z', 'Z')));
            tr.appendChild(el('td', '', {'class': 'num', 'data-duration': ''}));
            table.insertBefore(tr, table.firstChild);
          }
          function onRun(ev, status) {
            if (ev.type === 'run.started') { started['run:' + ev.run_id] = Date.parse(ev.at); }
            var rows = all('tr[data-run-id=' + quote(ev.run_id) + ']');
            if (rows.length === 0 && ev.type === 'run.started') { addRow(ev, status); }
            rows.forEach(function (row) {
              row.setAttribute('data-status', status);
              badge(row, status);
              var t0 = started['run:' + ev.run_id];
              var d = row.querySelector('[data-duration]');
              if (d && t0 && terminal[status]) { d.textContent = duration(Date.parse(ev.at) - t0); }
            });
            if (body.getAttribute('data-run') === ev.run_id) {
              var s = document.getElementById('run-status');
              if (s) { s.setAttribute('data-status', status); badge(s, status); }
              if (terminal[status]) { notice('This run has ended; reload to see its outputs.'); }
            }
            if (body.hasAttribute('data-approvals') && (ev.type === 'run.waiting' || ev.type === 'run.resumed' ||
                terminal[status])) {
              notice('Approvals have changed.');
            }
          }
          function onStep(ev, status) {
            if (body.getAttribute('data-run') !== ev.run_id || !ev.step) { return; }
            var key = 'step:' + ev.step;
            if (ev.type === 'step.started') { started[key] = Date.parse(ev.at); }
            var took = started[key] && status !== 'running' ? duration(Date.parse(ev.at) - started[key]) : null;
            all('#graph [data-step-id=' + quote(ev.step) + ']').forEach(function (g) {
              g.setAttribute('data-status', status);
              var t = g.querySelector('[data-status-text]');
              if (t) { t.textContent = status; }
              var d = g.querySelector('[data-duration]');
              if (d && took) { d.textContent = ' · ' + took; }
            });
            all('#steps tr[data-step=' + quote(ev.step) + ']').forEach(function (row) {
              row.setAttribute('data-status', status);
              badge(row, status);
              var d = row.querySelector('[data-duration]');
              if (d && took) { d.textContent = took; }
            });
            if (document.querySelector('[data-for-each][data-step-id=' + quote(ev.step) + ']')) { watchItems(); }
          }
          // for_each progress: item results are not run events, so while a for_each runs its counts are polled.
          var polling = null;
          function itemsText(p) { return p.done + '/' + p.total + (p.failed ? ', ' + p.failed + ' failed' : ''); }
          function showItems(step, p) {
            all('#graph [data-step-id=' + quote(step) + '] [data-progress]').forEach(function (e) {
              e.textContent = p.done + '/' + p.total + (p.failed ? ' \u2717' + p.failed : '');
            });
            all('#steps tr[data-step=' + quote(step) + ']').forEach(function (row) {
              var span = row.querySelector('[data-progress]');
              var cell = row.querySelector('td.detail');
              if (!span && cell) {
                var para = el('p', 'items ', {'class': 'muted items'});
                para.appendChild(el('progress'));
                para.appendChild(document.createTextNode(' '));
                span = el('span', '', {'data-progress': ''});
                para.appendChild(span);
                cell.appendChild(para);
              }
              if (span) { span.textContent = itemsText(p); }
              var bar = row.querySelector('progress');
              if (bar) { bar.max = Math.max(p.total, 1); bar.value = p.done; }
            });
          }
          function pollItems() {
            var run = body.getAttribute('data-run');
            fetch('/console/runs/' + encodeURIComponent(run) + '/items', {credentials: 'same-origin'})
              .then(function (r) { return r.ok ? r.json() : {}; })
              .then(function (items) { Object.keys(items).forEach(function (s) { showItems(s, items[s]); }); },
                function () {})
              .then(function () {
                polling = document.querySelector('[data-for-each][data-status=running]') ?
                  setTimeout(pollItems, 1000) : null;
              });
          }
          function watchItems() {
            if (!polling && window.fetch && body.getAttribute('data-run')) { polling = setTimeout(pollItems, 0); }
          }
          function addEvent(ev) {
            var table = document.querySelector('table#events tbody');
            if (!table || !body.hasAttribute('data-events')) { return; }
            all('table#events tr.empty').forEach(function (r) { r.remove(); });
            var tr = el('tr', null, {'data-seq': String(ev.seq), 'class': 'flash'});
            tr.appendChild(el('td', String(ev.seq), {'class': 'num'}));
            tr.appendChild(el('td', ev.at.replace('T', ' ').replace('.000Z', 'Z')));
            var t = el('td'); t.appendChild(el('code', ev.type)); tr.appendChild(t);
            var r = el('td'); var a = el('a', null, {href: '/runs/' + encodeURIComponent(ev.run_id)});
            a.appendChild(el('code', ev.run_id)); r.appendChild(a); tr.appendChild(r);
            tr.appendChild(el('td', ev.workflow));
            tr.appendChild(el('td', ev.step || ''));
            tr.appendChild(el('td', ev.error || '', {'class': ev.type === 'step.skipped' ? 'muted' : 'error-text'}));
            table.insertBefore(tr, table.firstChild);
          }
          function handle(e) {
            var ev;
            try { ev = JSON.parse(e.data); } catch (x) { return; }
            if (e.lastEventId) { lastSeq = e.lastEventId; }
            addEvent(ev);
            if (runStatus[ev.type]) { onRun(ev, runStatus[ev.type]); }
            if (stepStatus[ev.type]) { onStep(ev, ev.status && ev.type === 'step.completed' ? ev.status : stepStatus[ev.type]); }
          }
          function connect(target) {
            source = new EventSource(target);
            Object.keys(runStatus).concat(Object.keys(stepStatus)).forEach(function (type) {
              source.addEventListener(type, handle);
            });
            source.onopen = function () { show('live', 'live'); };
            source.onerror = function () {
              if (source.readyState === 2) {
                // The browser gave up (an HTTP error): try again from the last event seen.
                show('reconnecting', 'reconnecting…');
                var again = lastSeq === null ? url : url.replace(/([?&])after=\d+/, '$1after=' + lastSeq);
                setTimeout(function () { connect(again); }, 3000);
              } else {
                show('reconnecting', 'reconnecting…');
              }
            };
          }
          show('reconnecting', 'connecting…');
          connect(url);
          if (document.querySelector('[data-for-each][data-status=running]')) { watchItems(); }
        })();
        """#
}
