// A click on [n] in an answer, or on a source card, opens that answer's source n in place.
window.__parkstadOpen = (ref) => trigger('click', {ref: ref});
// "… and N more: see the register, filtered on X" opens the register filtered on X.
window.__parkstadRegister = (party) => trigger('submit', {party: party});
if (!window.__parkstadCites) {
  window.__parkstadCites = true;
  document.addEventListener('click', (event) => {
    if (event.target.closest('a.pdf, #sources .article')) return;
    const more = event.target.closest('#chat a[href^="#register-"]');
    if (more) {
      event.preventDefault();
      event.stopPropagation();
      window.__parkstadRegister(decodeURIComponent(more.getAttribute('href').slice(10)));
      return;
    }
    const link = event.target.closest('a[href^="#cite-"]');
    const card = link ? null : event.target.closest('#sources [data-cite]');
    if (!link && !card) return;
    event.preventDefault();
    event.stopPropagation();
    const ref = (link && link.dataset.cite) || (link ? link.getAttribute('href').slice(6) : card.dataset.cite);
    window.__parkstadOpen(ref);
  }, true);
}
// When a source opens, bring its highlighted clause into view inside the article.
watch('value', () => {
  const mark = element.querySelector('.bron.open .highlight');
  if (!mark) return;
  const box = mark.closest('.article');
  if (box) box.scrollTop += mark.getBoundingClientRect().top - box.getBoundingClientRect().top - 40;
  element.querySelector('.bron.open').scrollIntoView({block: 'nearest'});
});
// On a phone the sources stand below the chat: after a marker opens one, a button leads back to that marker.
if (!window.__parkstadBack) {
  window.__parkstadBack = true;
  document.addEventListener('click', (event) => {
    const marker = event.target.closest('#chat a[href^="#cite-"]');
    if (marker) {
      window.__parkstadMarker = marker;
      document.querySelector('#back-to-answer')?.classList.add('shown');
    } else if (event.target.closest('#back-to-answer')) {
      event.preventDefault();
      event.target.closest('#back-to-answer').classList.remove('shown');
      const target = window.__parkstadMarker;
      (target && target.isConnected ? target : document.querySelector('#chat')).scrollIntoView({block: 'center'});
    }
  }, true);
}
