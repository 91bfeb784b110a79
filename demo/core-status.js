// Shared by the demo pages until the widget lands: load the core and show what it reports.
import { loadCore } from '../js/sealdesk.js';

export async function showCoreStatus(doc = document) {
  const status = doc.getElementById('core-status');
  try {
    const core = await loadCore();
    const list = doc.getElementById('core-versions');
    for (const [name, version] of Object.entries(core.versions())) {
      const dt = doc.createElement('dt');
      dt.textContent = name;
      const dd = doc.createElement('dd');
      dd.textContent = version;
      list.append(dt, dd);
    }
    status.textContent = 'SealDesk core ready.';
    status.dataset.state = 'ready';
    return core;
  } catch (error) {
    status.textContent = `SealDesk core failed to load: ${error.message}`;
    status.dataset.state = 'failed';
    throw error;
  }
}
