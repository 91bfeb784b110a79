// The privacy dashboard: every purpose's state with its time and policy version, withdrawal
// that acts at once, the data categories collected so far, retention, the signed receipts as a
// JSON download, and deletion of everything this browser holds.
import { h } from './dom.js';
import { category, dateTime, duration, flags, labelled } from './format.js';

async function dashboard(w) {
  const t = (k, v) => w.t(k, v);
  const heading = h('h2', { id: 'sd-title', tabindex: '-1', text: t('dashboard.title') });
  const desk = w.desk;
  const policy = w.policy;
  if (!desk || !policy) return h('div', { part: 'dashboard' }, heading, h('p', { text: t('ui.loading') }));
  const [state, categories, receipts, kept] = await Promise.all([
    desk.consent.state(),
    desk.data.categories(),
    desk.consent.receipts(),
    desk.data.local ? desk.data.local() : null, // what this browser keeps, per purpose (sealed)
  ]);
  w.state = state;

  const rows = policy.purposes.map((p) => {
    const d = state.decisions?.[p.id] ?? {};
    const s = state.purposes?.[p.id] ?? d.state ?? 'unset';
    const at = d.decidedAt;
    const facts = [
      at != null && t('dashboard.decided_at', { time: dateTime(at, w) }),
      d.policyVersion && t('dashboard.policy_version', { version: d.policyVersion }),
      s === 'granted' && d.expiresAt != null && t('dashboard.expires_at', { time: dateTime(d.expiresAt, w) }),
      d.guardianConfirmed && t('dashboard.guardian_confirmed'),
    ].filter(Boolean);
    const revocable = s === 'granted' && !p.required;
    return h('li', { class: 'purpose', part: 'purpose', 'data-key': `d-${p.id}`, 'data-state': s, tabindex: '-1', 'aria-labelledby': `sd-d-${p.id}` },
      h('h3', { id: `sd-d-${p.id}`, text: w.purposeTitle(p.id) }),
      flags(p, w),
      h('p', null, h('span', { class: `state ${s}`, part: 'state', text: t(`dashboard.state_${s}`) }), facts.length ? ` · ${facts.join(' · ')}` : ''),
      h('p', { class: 'small', text: labelled(t('layer2.retention_label'), duration(p.retention, w), w) }),
      p.required && h('p', { class: 'req', text: t('layer2.required_label') }),
      revocable && h('button', { type: 'button', class: 'btn', part: 'button revoke', 'data-key': `r-${p.id}`, 'aria-label': labelled(t('dashboard.revoke'), w.purposeTitle(p.id), w), onclick: () => revoke(w, [p.id]) }, t('dashboard.revoke')));
  });
  const granted = policy.purposes.filter((p) => !p.required && state.purposes?.[p.id] === 'granted').map((p) => p.id);

  const confirmDelete = h('div', { class: 'note', part: 'confirm-delete', hidden: true },
    h('p', { text: t('dashboard.delete_confirm') }),
    h('div', { class: 'row' },
      h('button', { type: 'button', class: 'btn primary', part: 'button delete-confirm', 'data-key': 'delete-yes', onclick: () => deleteLocal(w) }, t('dashboard.delete_yes')),
      h('button', { type: 'button', class: 'btn', part: 'button', onclick: () => ((confirmDelete.hidden = true), deleteButton.focus()) }, t('ui.cancel'))));
  const deleteButton = h('button', { type: 'button', class: 'btn', part: 'button delete-local', 'data-key': 'delete', onclick: () => {
    confirmDelete.hidden = false;
    confirmDelete.querySelector('button').focus();
  } }, t('dashboard.delete_local'));

  return h('div', { part: 'dashboard' },
    heading,
    h('p', { class: 'small', text: t('dashboard.policy_version', { version: state.policyVersion ?? policy.version }) }),
    state.gpc && h('p', { class: 'note', text: t('gpc.notice') }),
    // Said plainly, whatever the policy calls it: may conversations train models? (issue 21)
    h('p', { class: 'note', part: 'training', 'data-training': state.purposes?.model_training === 'granted' ? 'on' : 'off',
      text: t(state.purposes?.model_training === 'granted' ? 'dashboard.training_on' : 'dashboard.training_off') }),
    h('ul', { class: 'purposes' }, rows),
    h('div', { class: 'row' },
      h('button', { type: 'button', class: 'btn', part: 'button change', 'data-key': 'change', onclick: () => w.show('layer2') }, t('dashboard.change')),
      granted.length > 0 && h('button', { type: 'button', class: 'btn', part: 'button revoke-all', 'data-key': 'revoke-all', onclick: () => revoke(w, granted) }, t('dashboard.revoke_all'))),
    h('h3', { text: t('dashboard.categories_title') }),
    categories.length
      ? h('ul', { part: 'categories' }, categories.map((c) => h('li', { text: category(c, w) })))
      : h('p', { class: 'small', text: t('dashboard.categories_none') }),
    h('h3', { text: t('dashboard.receipts') }),
    h('p', { class: 'small', text: t('dashboard.receipts_count', { count: receipts.length }) }),
    h('div', { class: 'row' },
      h('button', { type: 'button', class: 'btn', part: 'button export', 'data-key': 'export', onclick: () => exportReceipts(w) }, t('dashboard.export'))),
    h('h3', { text: t('dashboard.local_title') }),
    kept && keptList(w, kept.filter((k) => k.records > 0)),
    h('div', { class: 'row' }, deleteButton),
    confirmDelete);
}

// Per purpose: how much is kept here, when it is deleted by itself, and "delete now".
function keptList(w, kept) {
  const t = (k, v) => w.t(k, v);
  if (!kept.length) return h('p', { class: 'small', text: t('dashboard.local_none') });
  const size = (bytes) => new Intl.NumberFormat(w.locale, { style: 'unit', unit: bytes < 1000 ? 'byte' : 'kilobyte', maximumFractionDigits: 1 }).format(bytes < 1000 ? bytes : bytes / 1000);
  return h('ul', { class: 'purposes', part: 'kept' }, kept.map((k) =>
    h('li', { class: 'purpose', 'data-key': `k-${k.purpose}`, tabindex: '-1' },
      h('p', null, h('strong', { text: w.purposeTitle(k.purpose) })),
      h('p', { class: 'small', text: t('dashboard.local_entry', { records: k.records, size: size(k.bytes), time: k.deleteAt ? dateTime(k.deleteAt, w) : '—' }) }),
      h('button', { type: 'button', class: 'btn', part: 'button delete-now', 'aria-label': labelled(t('dashboard.delete_now'), w.purposeTitle(k.purpose), w), onclick: () => deleteNow(w, [k.purpose]) }, t('dashboard.delete_now')))));
}

async function deleteNow(w, purposes) {
  try {
    await w.desk.data.deleteNow(purposes);
    if (purposes.includes('chat')) (await w.chat()).clear(); // the kept transcript is gone: so is its display
    w.announce(w.t('dashboard.deleted_now', { list: purposes.map((id) => w.purposeTitle(id)).join(', ') }));
    await w.refresh();
  } catch (error) {
    w.announce(w.errorText(error));
  }
}

async function revoke(w, purposes) {
  if (await w.deny(purposes, 'privacy-dashboard')) {
    w.announce(w.t('dashboard.revoked', { list: purposes.map((id) => w.purposeTitle(id)).join(', ') }));
  }
}

/** Downloads the signed receipts, oldest first, as JSON (what the site may also keep). */
export async function exportReceipts(w) {
  const receipts = await w.desk.consent.receipts();
  const blob = new Blob([JSON.stringify(receipts, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: 'sealdesk-consent-receipts.json', hidden: true });
  w.shadowRoot.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function deleteLocal(w) {
  try {
    await w.desk.data.deleteLocal();
    (await w.chat()).clear();
    w.state = await w.desk.consent.state();
    w.announce(w.t('dashboard.deleted'));
    await w.show('layer1');
  } catch (error) {
    w.announce(w.errorText(error));
  }
}

export const views = { dashboard };
