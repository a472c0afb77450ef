/* ReplayLab page enhancements. Everything works without this file: it adds the theme switch,
 * copy buttons, drag-and-drop onto the file zones, and status/focus handling around htmx swaps.
 * Loaded in <head> (not deferred) so a stored theme applies before the first paint. */
(function () {
  'use strict';
  var KEY = 'replaylab-theme';
  var root = document.documentElement;
  try {
    var stored = localStorage.getItem(KEY);
    if (stored === 'light' || stored === 'dark') root.setAttribute('data-theme', stored);
  } catch (e) { /* storage blocked (e.g. a sandboxed iframe): follow the system */ }

  function systemTheme() {
    return window.matchMedia && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }
  function theme() { return root.getAttribute('data-theme') || systemTheme(); }

  function setStatus(text) {
    var status = document.getElementById('status');
    if (status) status.textContent = text;
  }

  function syncToggle(button) {
    var dark = theme() === 'dark';
    button.setAttribute('aria-pressed', dark ? 'true' : 'false');
  }

  /** Reveal the controls that need JavaScript (copy buttons), in the page and in swapped content. */
  function enhance(scope) {
    var toggle = document.getElementById('theme-toggle');
    if (toggle) { toggle.hidden = false; syncToggle(toggle); }
    var canCopy = !!(navigator.clipboard || document.queryCommandSupported);
    if (!canCopy) return;
    var hidden = scope.querySelectorAll('button.copy[hidden], button[data-copy-url][hidden]');
    for (var i = 0; i < hidden.length; i++) hidden[i].hidden = false;
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = document.createElement('textarea');
      area.value = text;
      area.className = 'visually-hidden';
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
      area.remove();
      if (ok) resolve(); else reject(new Error('copy refused'));
    });
  }

  function flash(button, text) {
    var before = button.textContent;
    button.textContent = text;
    setTimeout(function () { button.textContent = before; }, 1500);
  }

  document.addEventListener('click', function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    var toggle = target.closest('#theme-toggle');
    if (toggle) {
      var next = theme() === 'dark' ? 'light' : 'dark';
      root.setAttribute('data-theme', next);
      try { localStorage.setItem(KEY, next); } catch (e) { /* not stored: fine for this page */ }
      syncToggle(toggle);
      return;
    }
    var copy = target.closest('button[data-copy]');
    if (copy) {
      var source = document.getElementById(copy.getAttribute('data-copy'));
      if (!source) return;
      var text = 'value' in source && source.tagName === 'INPUT' ? source.value : source.textContent;
      copyText(text).then(function () {
        flash(copy, 'Copied');
        setStatus(copy.getAttribute('data-copy') === 'permalink' ? 'Link copied to the clipboard.' : 'Copied to the clipboard.');
      }, function () { setStatus('Could not copy: select the text and copy it by hand.'); });
      return;
    }
    var md = target.closest('button[data-copy-url]');
    if (md) {
      fetch(md.getAttribute('data-copy-url'), { headers: { Accept: 'text/markdown' } })
        .then(function (res) { if (!res.ok) throw new Error(res.status); return res.text(); })
        .then(copyText)
        .then(function () { flash(md, 'Copied'); setStatus('Markdown copied: paste it into a GitHub issue.'); },
          function () { setStatus('Could not copy the Markdown: open the Markdown link instead.'); });
    }
  });

  // drag and drop onto the labelled file zones: the dropped file becomes the input's file
  function dropTarget(event) {
    var t = event.target instanceof Element ? event.target.closest('.dropzone') : null;
    return t && t.querySelector('input[type=file]') ? t : null;
  }
  ['dragenter', 'dragover'].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var zone = dropTarget(event);
      if (!zone) return;
      event.preventDefault();
      zone.classList.add('dragover');
    });
  });
  ['dragleave', 'drop'].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var zone = dropTarget(event);
      if (!zone) return;
      zone.classList.remove('dragover');
      if (type !== 'drop') return;
      event.preventDefault();
      var input = zone.querySelector('input[type=file]');
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        input.dispatchEvent(new Event('change', { bubbles: true }));
        setStatus('Chosen: ' + input.files[0].name + '. Choose Diagnose.');
      }
    });
  });

  // htmx: the status line says what is going on; focus follows the content that replaced it
  document.addEventListener('htmx:before:request', function (event) {
    var source = event.target;
    if (source instanceof Element && source.id === 'diagnose-form') setStatus('Diagnosing…');
  });
  document.addEventListener('htmx:error', function () {
    setStatus('The request did not complete: check the connection and try again.');
  });
  /** After a successful diagnosis only the output column is swapped: drop the stale messages
   * of an earlier failed attempt from the (kept) input column. */
  function clearErrors() {
    var inputs = document.getElementById('inputs');
    if (!inputs) return;
    inputs.querySelectorAll('.error').forEach(function (el) { el.remove(); });
    inputs.querySelectorAll('.invalid').forEach(function (el) { el.classList.remove('invalid'); });
    inputs.querySelectorAll('[aria-invalid]').forEach(function (el) {
      el.removeAttribute('aria-invalid');
      var ids = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(function (id) { return id && !/-error$/.test(id); });
      if (ids.length) el.setAttribute('aria-describedby', ids.join(' ')); else el.removeAttribute('aria-describedby');
    });
  }

  /** Scrolls an element's top into view when it is above the viewport (the form is long: on a
   * desktop the result column starts far above the Diagnose button) or low on the screen (on a
   * phone the result is below the whole form). Left alone when it is already well placed. */
  function bringIntoView(el) {
    if (!el) return;
    var top = el.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight * 0.5) el.scrollIntoView({ block: 'start' });
  }

  document.addEventListener('htmx:after:swap', function (event) {
    var ctx = event.detail && event.detail.ctx;
    var target = ctx && ctx.target instanceof Element ? ctx.target : null;
    if (target && target.id === 'result') clearErrors();
    enhance(document);
    var invalid = document.querySelector('#inputs [aria-invalid="true"]');
    var card = document.getElementById('diagnosis-card');
    if (invalid) invalid.focus();
    else if (card && (!document.activeElement || document.activeElement === document.body || document.activeElement.closest('#diagnose-form'))) {
      card.setAttribute('tabindex', '-1');
      card.focus({ preventScroll: true });
      // the status line and the top of the card, wherever the Diagnose button left the page
      bringIntoView(document.getElementById('outputs'));
    } else if (target && target.id === 'workspace' && document.querySelector('.example-list [aria-current="true"]')) {
      // an example filled the form (the links are below it): show the filled log (and on a
      // desktop the status line, which stays beside the form while the output column is empty)
      bringIntoView(document.getElementById('diagnose-form'));
    }
  });

  document.addEventListener('DOMContentLoaded', function () {
    enhance(document);
    // a run's own page (a scenario run just started, or a permalink) opens on its result: on a
    // phone that is below the whole form. A #fragment (a step, a log line) wins.
    if (!location.hash && /^\/runs\/[A-Za-z0-9_-]{22}$/.test(location.pathname) && document.querySelector('#result > :not(.placeholder)')) {
      var outputs = document.getElementById('outputs');
      if (outputs && outputs.getBoundingClientRect().top > window.innerHeight * 0.5) outputs.scrollIntoView({ block: 'start' });
    }
    // no stored choice: the page follows the system, and so does the toggle's state
    if (window.matchMedia) {
      matchMedia('(prefers-color-scheme: dark)').addEventListener('change', function () { enhance(document); });
    }
  });
})();
