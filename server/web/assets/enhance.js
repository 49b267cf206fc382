// Small enhancements on top of pages that work without JavaScript: a "Copy" button above each citation,
// upload progress and dropped files, documents being read, and text selected for a redaction.
// No inline script anywhere (the CSP forbids it): this file is loaded as a module by every page.

function addCopyButtons() {
  const box = document.querySelector('.citation');
  if (!box || !navigator.clipboard) return;
  const copyLabel = box.dataset.copyLabel;
  const copiedLabel = box.dataset.copiedLabel;
  for (const pre of box.querySelectorAll('pre')) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'copy-button';
    button.textContent = copyLabel;
    button.setAttribute('aria-describedby', pre.getAttribute('aria-labelledby'));
    button.addEventListener('click', () => {
      navigator.clipboard.writeText(pre.textContent).then(
        () => {
          button.textContent = copiedLabel;
          window.setTimeout(() => (button.textContent = copyLabel), 2000);
        },
        () => {},
      );
    });
    pre.before(button);
  }
}

addCopyButtons();

// The upload form: files may be dragged onto it, and with JavaScript it is sent by XMLHttpRequest, which
// reports how much of the body has gone; the files go one after another in the body, so each file's share
// of it is its progress. The same form, fields and CSRF token as without JavaScript.
function enhanceUploadForm(form) {
  const input = form.querySelector('input[type=file]');
  const zone = form.querySelector('.drop-zone');
  const list = form.querySelector('.upload-progress');
  if (!input || !zone || !list || !window.FormData || !window.DataTransfer) return;
  const hint = zone.querySelector('.drop-hint');
  const showFiles = () => {
    list.replaceChildren(
      ...[...input.files].map((file) => {
        const item = document.createElement('li');
        const name = document.createElement('span');
        name.textContent = file.name;
        const bar = document.createElement('progress');
        bar.max = Math.max(file.size, 1);
        bar.value = 0;
        bar.setAttribute('aria-label', `${form.dataset.uploadingLabel}: ${file.name}`);
        item.append(name, ' ', bar);
        return item;
      }),
    );
  };
  input.addEventListener('change', showFiles);
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('drag-over');
    if (hint) hint.hidden = false;
  });
  zone.addEventListener('dragleave', () => {
    zone.classList.remove('drag-over');
    if (hint) hint.hidden = true;
  });
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('drag-over');
    if (hint) hint.hidden = true;
    if (!event.dataTransfer || event.dataTransfer.files.length === 0) return;
    const chosen = new window.DataTransfer();
    for (const file of [...input.files, ...event.dataTransfer.files]) chosen.items.add(file);
    input.files = chosen.files;
    showFiles();
  });
  form.addEventListener('submit', (event) => {
    if (input.files.length === 0) return; // the server says what is missing
    event.preventDefault();
    const button = form.querySelector('button[type=submit]');
    if (button) button.disabled = true;
    const files = [...input.files];
    const bars = [...list.querySelectorAll('progress')];
    const request = new window.XMLHttpRequest();
    request.open('POST', form.action);
    request.upload.addEventListener('progress', (progress) => {
      // The body holds the files in order (plus a little multipart framing): fill each bar in turn.
      let left = progress.loaded;
      files.forEach((file, index) => {
        const bar = bars[index];
        if (!bar) return;
        bar.value = Math.max(0, Math.min(file.size, left));
        left -= file.size;
      });
    });
    request.addEventListener('load', () => {
      if (request.status < 400 && request.responseURL) {
        window.location.assign(request.responseURL);
        return;
      }
      // A problem: the server's page says what, beside the field; show its main part here.
      const page = new window.DOMParser().parseFromString(request.responseText, 'text/html');
      const main = page.querySelector('main');
      if (main) {
        document.querySelector('main')?.replaceWith(main);
        enhance();
        main.querySelector('.error-summary')?.focus();
      }
    });
    request.addEventListener('error', () => {
      if (button) button.disabled = false;
      const item = document.createElement('li');
      item.className = 'error-message';
      item.textContent = form.dataset.failedLabel;
      list.append(item);
    });
    request.send(new window.FormData(form));
  });
}

// An order's page on the desk while its documents are being read: asks the API for their status every two
// seconds, shows the progress it reports, and reloads the page (with the suggestions) once all are read,
// unless the person has started filling in the form.
function pollDocuments(notice) {
  const ids = (notice.dataset.pollDocuments || '').split(',').filter(Boolean);
  const form = document.querySelector('#order-form');
  let touched = false;
  form?.addEventListener('input', () => (touched = true));
  const tick = async () => {
    const documents = await Promise.all(
      ids.map((id) =>
        window
          .fetch(`/api/documents/${id}`, {
            headers: { accept: 'application/json' },
            credentials: 'same-origin',
          })
          .then((answer) => (answer.ok ? answer.json() : null))
          .catch(() => null),
      ),
    );
    let reading = false;
    for (const document of documents) {
      if (!document) continue;
      const item = window.document.querySelector(`[data-document-id="${document.id}"]`);
      if (['pending', 'processing'].includes(document.status)) reading = true;
      if (item && document.progress) {
        let progress = item.querySelector('.document-progress');
        if (!progress) {
          progress = window.document.createElement('span');
          progress.className = 'document-progress';
          item.append(progress);
        }
        progress.textContent = ` (${document.progress})`;
      }
    }
    if (!reading && !touched) window.location.reload();
    else if (reading) window.setTimeout(tick, 2000);
  };
  window.setTimeout(tick, 1000);
}

// The redaction reviews: text selected in a page's text (or in one of the order's own texts) fills in
// the form that hides it.
function enhanceRedactionReview() {
  const forms = [
    { text: '#add-text', place: '#add-page', key: 'page' },
    { text: '#field-text', place: '#field-field', key: 'field' },
  ]
    .map((form) => ({
      text: document.querySelector(form.text),
      place: document.querySelector(form.place),
      key: form.key,
    }))
    .filter((form) => form.text && form.place);
  if (forms.length === 0) return;
  document.addEventListener('mouseup', () => {
    const selection = window.getSelection();
    const chosen = selection ? selection.toString().trim() : '';
    const holder = selection?.anchorNode?.parentElement?.closest('.review-text');
    if (!chosen || !holder) return;
    for (const form of forms) {
      if (holder.dataset[form.key] === undefined) continue;
      form.text.value = chosen;
      form.place.value = holder.dataset[form.key];
    }
  });
}

function enhance() {
  for (const form of document.querySelectorAll('form.upload-form')) enhanceUploadForm(form);
  for (const notice of document.querySelectorAll('[data-poll-documents]')) pollDocuments(notice);
  enhanceRedactionReview();
}

enhance();
// A one-time link carries its secret after # (never sent to a server): put it into the form's code
// field, and take it out of the address bar and the history.
function fillLinkCode() {
  const field = document.querySelector('[data-link-code] input');
  const code = window.location.hash.slice(1);
  if (!field || !/^tal_[A-Za-z0-9_-]{43}$/.test(code)) return;
  field.value = code;
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
}

fillLinkCode();
