// Small enhancements on top of pages that work without JavaScript: a "Copy" button above each citation.
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
