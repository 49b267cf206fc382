// The redaction review's box drawing: dragging a rectangle on a page's image fills in the form that hides
// a box (#area-form: its page and its edges in percent of the image), which then posts as it does without
// JavaScript. Loaded as a module by the review page only (the CSP forbids inline script); the rectangle
// being drawn is placed through the CSSOM, which the CSP allows.

const form = document.getElementById('area-form');

/** A fraction of the image as the form writes it: percent, two decimals at most. */
const percent = (fraction) => String(Math.round(fraction * 10000) / 100);

const clamp = (value) => Math.min(1, Math.max(0, value));

function enhanceFigure(figure) {
  const image = figure.querySelector('img');
  if (!image) return;
  figure.classList.add('drawable');
  let start = null;
  let box = null;

  /** Where the pointer is on the image, in fractions of its size. */
  const pointAt = (event) => {
    const rect = image.getBoundingClientRect();
    return {
      x: clamp((event.clientX - rect.left) / rect.width),
      y: clamp((event.clientY - rect.top) / rect.height),
    };
  };
  const boxOf = (a, b) => ({
    x: Math.min(a.x, b.x),
    y: Math.min(a.y, b.y),
    width: Math.abs(a.x - b.x),
    height: Math.abs(a.y - b.y),
  });
  const show = (area) => {
    box.style.left = `${area.x * 100}%`;
    box.style.top = `${area.y * 100}%`;
    box.style.width = `${area.width * 100}%`;
    box.style.height = `${area.height * 100}%`;
  };

  image.addEventListener('dragstart', (event) => event.preventDefault());
  figure.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    event.preventDefault();
    figure.setPointerCapture(event.pointerId);
    start = pointAt(event);
    for (const old of document.querySelectorAll('.drawn-box')) old.remove();
    box = document.createElement('div');
    box.className = 'drawn-box';
    figure.append(box);
    show({ ...start, width: 0, height: 0 });
  });
  figure.addEventListener('pointermove', (event) => {
    if (start) show(boxOf(start, pointAt(event)));
  });
  figure.addEventListener('pointerup', (event) => {
    if (!start) return;
    const area = boxOf(start, pointAt(event));
    start = null;
    // A click, not a drag: nothing drawn.
    if (area.width < 0.005 || area.height < 0.005) {
      box.remove();
      return;
    }
    fill(figure, area);
  });
}

/** Fills in the form with the box drawn on the figure's page, and says so. */
function fill(figure, area) {
  form.elements.namedItem('page').value = figure.dataset.page;
  for (const edge of ['x', 'y', 'width', 'height']) {
    form.elements.namedItem(edge).value = percent(area[edge]);
  }
  const status = form.querySelector('.area-drawn');
  if (status) status.textContent = figure.dataset.drawnLabel || '';
  form.querySelector('button[type=submit]')?.focus();
}

if (form) {
  for (const figure of document.querySelectorAll('.page-figure[data-page]')) enhanceFigure(figure);
}
