// The consent views after the first layer: per-purpose choices (layer 2), the full notice
// (layer 3), the age question, the guardian's confirmation and the just-in-time / separate
// prompts. Each view is a function (widget, arg) -> Node; questions answer through arg.done.
import { h } from './dom.js';
import { facts, flags } from './format.js';

const title = (text) => h('h2', { id: 'sd-title', tabindex: '-1', text });
const button = (text, onclick, cls = 'btn', part = 'button') => h('button', { type: 'button', class: cls, part, onclick }, text);
const backButton = (w) => button(w.t('ui.back'), () => w.back(), 'link', 'link back');

function layer2(w) {
  const t = (k, v) => w.t(k, v);
  const policy = w.policy;
  if (!policy) return h('div', null, title(t('layer2.title')), h('p', { text: t('ui.loading') }), backButton(w));
  const state = w.state?.purposes ?? {};
  const gpc = w.state?.gpc ?? !!navigator.globalPrivacyControl;
  const byId = new Map(policy.purposes.map((p) => [p.id, p]));
  const boxes = new Map();
  const blocked = (p) => gpc && p.gpc_opt_out;

  // Turning a purpose on turns on what it depends on; turning it off turns off what depends on
  // it, as the core would on save (announced, so nothing changes unseen).
  const changed = [];
  const set = (id, on) => {
    const box = boxes.get(id);
    if (!box || box.disabled || box.checked === on) return;
    box.checked = on;
    changed.push(w.purposeTitle(id));
    cascade(byId.get(id), on);
  };
  const cascade = (p, on) => {
    if (on) {
      for (const dep of p.depends_on ?? []) set(dep, true);
      const any = p.depends_on_any ?? [];
      if (any.length && !any.some((id) => boxes.get(id)?.checked)) set(any[0], true);
    } else {
      for (const q of policy.purposes) {
        const any = q.depends_on_any ?? [];
        if ((q.depends_on ?? []).includes(p.id) || (any.includes(p.id) && !any.some((id) => boxes.get(id)?.checked))) set(q.id, false);
      }
    }
  };
  const toggled = (p, on) => {
    changed.length = 0;
    cascade(p, on);
    if (changed.length) w.announce(t(on ? 'layer2.also_on' : 'layer2.also_off', { list: changed.join(', ') }));
  };

  const items = policy.purposes.map((p) => {
    const id = `sd-p-${p.id}`;
    const box = h('input', {
      type: 'checkbox', role: 'switch', id, part: 'toggle', 'data-key': `t-${p.id}`,
      checked: p.required || (!blocked(p) && state[p.id] === 'granted'),
      disabled: p.required || blocked(p),
      'aria-describedby': `${id}-s`,
      onchange: () => toggled(p, box.checked),
    });
    boxes.set(p.id, box);
    return h('li', { class: 'purpose', part: 'purpose' },
      h('div', { class: 'row' }, box, h('label', { for: id, text: w.purposeTitle(p.id) })),
      p.required && h('p', { class: 'req', text: t('layer2.required_label') }),
      flags(p, w),
      blocked(p) && h('p', { class: 'small', text: t('gpc.notice') }),
      h('p', { id: `${id}-s`, class: 'small', text: t(`purposes.${p.id}.summary`) }),
      h('details', { 'data-key': `d-${p.id}` },
        h('summary', { text: t('layer2.details') }),
        h('p', { class: 'small', text: t(`purposes.${p.id}.details`) }),
        facts(p, w)));
  });
  const chosen = () => new Set([...boxes].filter(([, b]) => b.checked && !b.disabled).map(([id]) => id));
  return h('div', { part: 'layer layer2' },
    title(t('layer2.title')),
    h('p', { text: t('layer2.body') }),
    gpc && h('p', { class: 'note', text: t('gpc.notice') }),
    h('ul', { class: 'purposes' }, items),
    h('div', { class: 'choices' },
      button(t('layer2.save'), () => w.saveChoices(chosen()), 'choice', 'button choice save'),
      button(t('layer1.reject_all'), () => w.rejectAll(), 'choice', 'button choice reject')),
    h('div', { class: 'row' }, button(t('layer1.more'), () => w.show('notice'), 'link', 'link notice-link'), backButton(w)));
}

function notice(w) {
  const t = (k) => w.t(k);
  const policy = w.policy ?? {};
  const c = policy.controller ?? {};
  const row = (label, value) => value && [h('dt', { text: label }), h('dd', null, value)];
  const mail = (address) => address && h('a', { href: `mailto:${address}`, text: address });
  return h('div', { part: 'layer notice' },
    title(t('notice.title')),
    h('p', { text: t('notice.body') }),
    // Stated plainly, whatever the purposes say: training on conversations and voiceprints.
    t('notice.training') && h('p', { class: 'training', text: t('notice.training') }),
    t('notice.voiceprints') && h('p', { class: 'voiceprints', text: t('notice.voiceprints') }),
    h('h3', { text: t('notice.controller_label') }),
    h('dl', null,
      row(t('notice.controller_label'), c.name),
      row(t('notice.contact'), c.contact),
      row(t('notice.email_label'), mail(c.email)),
      row(t('notice.address_label'), c.address),
      c.dpo && row(t('notice.dpo_label'), [c.dpo.name, c.dpo.contact && ' ', c.dpo.contact?.includes('@') ? mail(c.dpo.contact) : c.dpo.contact].filter(Boolean))),
    h('p', { text: t('notice.rights') }),
    policy.policy_url && h('p', null, h('a', { href: policy.policy_url, rel: 'noopener noreferrer', target: '_blank', text: t('notice.policy_link') })),
    h('h3', { text: t('notice.purposes_title') }),
    (policy.purposes ?? []).map((p) => h('section', { class: 'purpose', part: 'purpose', 'aria-label': w.purposeTitle(p.id) },
      h('p', null, h('strong', { text: w.purposeTitle(p.id) }), ' ', p.required ? h('span', { class: 'req', text: t('layer2.required_label') }) : null),
      flags(p, w),
      h('p', { class: 'small', text: t(`purposes.${p.id}.details`) }),
      facts(p, w))),
    h('div', { class: 'row' }, backButton(w)));
}

function age(w, { done, cancel, minorAge }) {
  const t = (k, v) => w.t(k, v);
  const input = h('input', { type: 'number', id: 'sd-age', inputmode: 'numeric', min: '1', max: '130', required: true, 'aria-describedby': 'sd-age-help', 'data-autofocus': true });
  const error = h('p', { class: 'error', role: 'alert', id: 'sd-age-error', hidden: true });
  const submit = (e) => {
    e.preventDefault();
    const years = Number(input.value);
    if (!Number.isInteger(years) || years < 1 || years > 130) {
      error.textContent = t('guardian.age_invalid');
      error.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', 'sd-age-help sd-age-error');
      return input.focus();
    }
    done(years);
  };
  return h('form', { part: 'layer age', onsubmit: submit, novalidate: true },
    title(t('guardian.age_title')),
    h('p', { id: 'sd-age-help', class: 'small', text: t('guardian.age_help', { age: minorAge }) }),
    h('label', { for: 'sd-age', text: t('guardian.age_prompt') }),
    input,
    error,
    h('div', { class: 'choices' },
      h('button', { type: 'submit', class: 'choice', part: 'button choice' }, t('ui.continue')),
      button(t('ui.cancel'), cancel, 'btn', 'button cancel')));
}

function guardian(w, { done, cancel, purposes = [] }) {
  const t = (k) => w.t(k);
  return h('div', { part: 'layer guardian' },
    title(t('guardian.title')),
    h('p', { text: t('guardian.body') }),
    h('ul', null, purposes.map((id) => h('li', { text: w.purposeTitle(id) }))),
    h('div', { class: 'choices' },
      button(t('guardian.confirm'), () => done(true), 'choice', 'button choice confirm'),
      button(t('ui.cancel'), cancel, 'choice', 'button choice cancel')));
}

// A just-in-time prompt, or the separate prompt a sensitive or cross-border purpose gets.
function prompt(w, { done, purposes = [], separate = false, choice = false }) {
  const t = (k) => w.t(k);
  const ps = purposes.map((id) => w.purpose(id) ?? { id });
  const kind = !separate ? 'jit' : ps.some((p) => p.sensitive) ? 'sensitive' : 'cross_border';
  const item = (p) => [
    h('p', null, h('strong', { text: w.purposeTitle(p.id) }), ' ', p.required ? h('span', { class: 'req', text: t('layer2.required_label') }) : null),
    flags(p, w),
    h('p', { class: 'small', text: t(`purposes.${p.id}.summary`) }),
    h('details', null, h('summary', { text: t('layer2.details') }), h('p', { class: 'small', text: t(`purposes.${p.id}.details`) }), facts(p, w)),
  ];
  let body;
  let answer = () => 'allow';
  if (choice) {
    // The capability needs one of several purposes: the person picks which.
    const radios = ps.map((p, i) => h('input', { type: 'radio', name: 'sd-choice', id: `sd-c-${p.id}`, value: p.id, checked: i === 0 }));
    body = h('fieldset', { class: 'purposes' },
      h('legend', { text: t('jit.choose_one') }),
      ps.map((p, i) => h('div', { class: 'purpose' }, h('div', { class: 'row' }, radios[i], h('label', { for: `sd-c-${p.id}`, text: w.purposeTitle(p.id) })), item(p).slice(1))));
    answer = () => ({ purpose: radios.find((r) => r.checked)?.value ?? ps[0].id });
  } else {
    body = h('ul', { class: 'purposes' }, ps.map((p) => h('li', { class: 'purpose', part: 'purpose' }, item(p))));
  }
  return h('div', { part: `layer prompt prompt-${kind}`, 'data-kind': kind },
    title(t(`${kind}.title`)),
    h('p', { text: t(`${kind}.body`) }),
    body,
    h('div', { class: 'choices' },
      button(t('jit.allow'), () => done(answer()), 'choice', 'button choice allow'),
      button(t('jit.deny'), () => done('deny'), 'choice', 'button choice deny')));
}

export const views = { layer2, notice, age, guardian, prompt };
