// Collects securitypolicyviolation events from the first script on, in every frame and worker
// that reports to the page. Init scripts are injected by the browser, so CSP does not block them.
export async function watchCsp(page) {
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample });
    });
  });
  return () => page.evaluate(() => window.__cspViolations);
}
