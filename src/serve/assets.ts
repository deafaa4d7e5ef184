// The page's only two assets, kept as strings in the package so that they are served with no network and
// whatever the build copies: the style sheet, and a small script that only enhances pages that work without it
// (the period picker shows the chosen kind's fields; uploads go one file per request with a progress bar; the
// report's paragraphs get a copy button).

export const APP_CSS = `
:root { --fg: #1d2733; --muted: #5b6b7c; --line: #d5dde5; --accent: #0b5cab; --bg: #f5f7fa; --ok: #1d7a35; --warn: #8a5a00; --err: #b3261e; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; color: var(--fg); background: var(--bg); }
header.top { display: flex; gap: 2rem; align-items: center; padding: .6rem 1.5rem; background: #0b3d6b; }
header.top a { color: #fff; text-decoration: none; }
header.top .brand { font-weight: 700; font-size: 1.2rem; }
header.top nav { display: flex; gap: 1.2rem; flex-wrap: wrap; }
header.top nav a[aria-current] { border-bottom: 2px solid #fff; }
main { padding: 1rem 1.5rem 3rem; max-width: 1500px; }
h1 { margin: .3rem 0 1rem; font-size: 1.5rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .6rem; }
a { color: var(--accent); }
a.num, a.rate { text-decoration: none; border-bottom: 1px dotted var(--accent); }
a.num:hover, a.rate:hover { border-bottom-style: solid; }
.button, button { display: inline-block; padding: .4rem 1rem; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 4px; font: inherit; cursor: pointer; text-decoration: none; }
form.query { display: flex; flex-wrap: wrap; gap: .8rem 1.2rem; align-items: flex-end; background: #fff; border: 1px solid var(--line); padding: .8rem 1rem; border-radius: 6px; }
form.query fieldset { border: 0; padding: 0; margin: 0; display: flex; gap: .6rem; flex-wrap: wrap; align-items: center; }
form.query legend { font-weight: 600; padding: 0; margin-bottom: .2rem; }
form.query details.fields { flex-basis: 100%; }
table.field-choices td:nth-child(n+2) { text-align: center; }
input, select { font: inherit; padding: .2rem .3rem; }
.notice { border-left: 4px solid var(--accent); background: #fff; padding: .4rem .8rem; margin: .8rem 0; }
.notice p { margin: .2rem 0; }
.notice.error { border-color: var(--err); }
.notice.warning { border-color: var(--warn); }
.scope { color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 1rem; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .6rem 1rem; }
.card h2 { margin: .2rem 0 .4rem; font-size: 1rem; }
.card dl { display: grid; grid-template-columns: 1fr auto; gap: .15rem 1rem; margin: 0; }
.card dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; background: #fff; }
th, td { border: 1px solid var(--line); padding: .25rem .5rem; vertical-align: top; }
th { background: #eef2f6; font-weight: 600; text-align: center; }
th a { color: inherit; text-decoration: none; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.subtotal td { font-weight: 600; background: #f7f9fb; }
tr.total td { font-weight: 700; background: #eef2f6; }
tr.numbers th { font-weight: 400; color: var(--muted); }
section.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 0 1rem; }
section.charts h2 { grid-column: 1 / -1; }
table.list { font-size: 13px; }
img.chart { max-width: 100%; height: auto; display: block; margin: .5rem 0 1rem; background: #fff; border: 1px solid var(--line); }
.pager { display: flex; gap: 1rem; margin: .8rem 0; }
form.upload { background: #fff; border: 1px solid var(--line); padding: .8rem 1rem; border-radius: 6px; }
form.upload label.drop { display: inline-block; margin: .3rem 1rem .6rem 0; padding: .8rem 1rem; border: 2px dashed var(--line); border-radius: 6px; }
form.upload label.option { display: block; margin: .2rem 0 .6rem; }
ol.progress { padding-left: 1.2rem; }
ol.progress progress { width: 14rem; margin: 0 .6rem; vertical-align: middle; }
ul.results li.ok, ol.progress li.ok { color: var(--ok); }
ul.results li.error, ol.progress li.error, tr.error td { color: var(--err); }
ul.results li.warning, ol.progress li.warning { color: var(--warn); }
.paragraphs p { background: #fff; border: 1px solid var(--line); padding: .5rem .8rem; }
[hidden] { display: none !important; }
`;

export const APP_JS = `
(function () {
  'use strict';
  var token = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';

  // Period picker: only the chosen kind's fields show, and only they are sent.
  document.querySelectorAll('select[data-period-kind]').forEach(function (select) {
    var form = select.form;
    function update() {
      form.querySelectorAll('label[data-kind]').forEach(function (label) {
        var on = label.getAttribute('data-kind') === select.value;
        label.hidden = !on;
        label.querySelectorAll('input').forEach(function (input) { input.disabled = !on; });
      });
    }
    select.addEventListener('change', update);
    update();
  });

  // Report paragraphs: a button that copies them.
  document.querySelectorAll('button[data-copy]').forEach(function (button) {
    var target = document.querySelector(button.getAttribute('data-copy'));
    if (!target || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      var text = Array.prototype.map.call(target.querySelectorAll('p'), function (p) { return p.textContent; }).join('\\n\\n');
      navigator.clipboard.writeText(text).then(function () { button.textContent = 'Đã chép'; });
    });
  });

  // Uploads: one request per file, its body the file itself, with a progress bar each; then the summaries.
  document.querySelectorAll('form[data-upload]').forEach(function (form) {
    var list = form.querySelector('[data-progress]');
    form.addEventListener('submit', function (event) {
      var files = [];
      form.querySelectorAll('input[type=file]').forEach(function (input) {
        Array.prototype.forEach.call(input.files, function (f) { files.push(f); });
      });
      if (!files.length || !window.XMLHttpRequest) return;
      event.preventDefault();
      list.innerHTML = '';
      form.querySelector('button[type=submit]').disabled = true;
      var i = 0;
      function next() {
        if (i >= files.length) return finish();
        var file = files[i++];
        var item = document.createElement('li');
        var name = document.createElement('strong');
        name.textContent = file.webkitRelativePath || file.name;
        var bar = document.createElement('progress');
        bar.max = 1; bar.value = 0;
        var text = document.createElement('span');
        text.className = 'summary-line';
        text.textContent = 'đang tải lên…';
        item.appendChild(name); item.appendChild(bar); item.appendChild(text);
        list.appendChild(item);
        var xhr = new XMLHttpRequest();
        var due = form.querySelector('input[name="due-from-catalogue"]');
        xhr.open('POST', '/api/import?name=' + encodeURIComponent(file.name) + (due && due.checked ? '&due-from-catalogue=1' : ''));
        xhr.setRequestHeader('X-CSRF-Token', token);
        xhr.setRequestHeader('Content-Type', 'application/octet-stream');
        xhr.upload.onprogress = function (e) { if (e.lengthComputable) bar.value = e.loaded / e.total; };
        xhr.upload.onload = function () { bar.removeAttribute('value'); text.textContent = 'đang nhập…'; };
        xhr.onload = function () {
          var result;
          try { result = JSON.parse(xhr.responseText); } catch (e) { result = { error: xhr.responseText || ('lỗi ' + xhr.status) }; }
          bar.remove();
          if (result.error) { item.className = 'error'; text.textContent = ': không nhập được: ' + result.error; }
          else if (result.skipped) { item.className = 'warning'; text.textContent = ': bỏ qua, ' + result.skipped; }
          else {
            item.className = 'ok';
            name.remove();
            text.textContent = result.line;
            (result.warnings || []).forEach(function (w) {
              var p = document.createElement('div'); p.textContent = 'cảnh báo: ' + w; item.appendChild(p);
            });
            if (result.rejected > 0) {
              var view = document.createElement('a');
              view.href = '/nhap-du-lieu/tu-choi?lo=' + result.batchId;
              view.textContent = 'Xem các dòng bị từ chối';
              var a = document.createElement('a');
              a.href = '/nhap-du-lieu/tu-choi-' + result.batchId + '.xlsx';
              a.textContent = 'tải xlsx để sửa';
              item.appendChild(document.createTextNode(' '));
              item.appendChild(view);
              item.appendChild(document.createTextNode(' · '));
              item.appendChild(a);
            }
          }
          next();
        };
        xhr.onerror = function () { item.className = 'error'; text.textContent = ': mất kết nối với máy chủ'; next(); };
        xhr.send(file);
      }
      function finish() {
        form.querySelector('button[type=submit]').disabled = false;
        form.reset();
        list.setAttribute('data-done', String(files.length));
        // The history of batches, as the server now has it.
        fetch('/nhap-du-lieu').then(function (r) { return r.text(); }).then(function (text) {
          var fresh = new DOMParser().parseFromString(text, 'text/html').getElementById('lich-su');
          var old = document.getElementById('lich-su');
          if (fresh && old) old.replaceWith(fresh);
        });
      }
      next();
    });
  });
})();
`;
