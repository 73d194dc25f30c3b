// "Add a picture" on the post and reply forms. Without this script the
// link opens a page that uploads the picture and shows the text to paste.
// With it, the link becomes a small form in place: choose a picture,
// describe it, and the Markdown that shows it is put where the cursor was.
// The server strips the picture's metadata either way.
(function () {
  'use strict';

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) { e.setAttribute(k, attrs[k]); }
    if (text) { e.textContent = text; }
    return e;
  }

  function insertAtCursor(area, text) {
    var start = area.selectionStart || 0, end = area.selectionEnd || 0;
    var before = area.value.slice(0, start), after = area.value.slice(end);
    var pad = before && !/\n$/.test(before) ? '\n' : '';
    var snippet = pad + text + '\n';
    area.value = before + snippet + after;
    area.selectionStart = area.selectionEnd = (before + snippet).length;
    area.dispatchEvent(new Event('input', { bubbles: true })); // drafts and counters follow
    area.focus();
  }

  function setUp(link) {
    var area = document.getElementById(link.getAttribute('data-upload-for'));
    if (!area || link.dataset.ready) { return; }
    link.dataset.ready = '1';
    var n = document.querySelectorAll('.upload-panel').length + 1;
    var panel = el('div', { 'class': 'upload-panel stack', hidden: '' });
    var fileID = 'upload-file-' + n, descID = 'upload-desc-' + n;
    var fileLabel = el('label', { 'for': fileID }, 'Picture (JPEG, PNG, GIF or WebP)');
    var file = el('input', { id: fileID, type: 'file', accept: 'image/jpeg,image/png,image/gif,image/webp' });
    var descLabel = el('label', { 'for': descID }, 'Describe the picture, for people who can\u2019t see it');
    var desc = el('input', { id: descID, type: 'text', maxlength: '300' });
    var button = el('button', { type: 'button', 'class': 'btn btn-secondary' }, 'Upload and add');
    var status = el('p', { 'class': 'small', role: 'status', 'aria-live': 'polite' });
    [fileLabel, file, descLabel, desc, button, status].forEach(function (c) { panel.appendChild(c); });
    link.parentNode.parentNode.insertBefore(panel, link.parentNode.nextSibling);
    var hint = link.parentNode.querySelector('.muted');
    if (hint) { hint.hidden = true; }
    link.setAttribute('role', 'button');
    link.setAttribute('aria-expanded', 'false');

    link.addEventListener('click', function (ev) {
      ev.preventDefault();
      var open = panel.hidden;
      panel.hidden = !open;
      link.setAttribute('aria-expanded', String(open));
      if (open) { file.focus(); }
    });

    button.addEventListener('click', function () {
      if (!file.files.length) { status.textContent = 'Please choose a picture first.'; file.focus(); return; }
      if (!desc.value.trim()) { status.textContent = 'Please describe the picture in a few words.'; desc.focus(); return; }
      var body = new FormData();
      body.append('file', file.files[0]);
      body.append('description', desc.value);
      button.disabled = true;
      status.textContent = 'Uploading\u2026';
      fetch(link.getAttribute('href'), { method: 'POST', body: body, credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (res) { return res.json().then(function (data) { return { ok: res.ok, data: data }; }); })
        .then(function (r) {
          if (!r.ok) {
            var e = r.data && r.data.error;
            status.textContent = (e && ((e.fields && (e.fields.file || e.fields.description)) || e.message)) || 'That didn\u2019t work. Please try again.';
            return;
          }
          insertAtCursor(area, r.data.markdown);
          status.textContent = 'Picture added to your post. Its location and camera details were removed.';
          file.value = ''; desc.value = '';
        })
        .catch(function () { status.textContent = 'We couldn\u2019t reach Kindred. Please try again.'; })
        .then(function () { button.disabled = false; });
    });
  }

  function init() { document.querySelectorAll('a[data-upload-for]').forEach(setUp); }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', init); } else { init(); }
})();
