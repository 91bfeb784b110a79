// The widget's styles, adopted into its shadow root as a constructable stylesheet: allowed by a
// CSP without 'unsafe-inline' (a <style> element or a style attribute would be blocked).
// Theme with custom properties on the host or any ancestor, e.g.
//   sealdesk-widget { --sealdesk-accent: #0a7d47; --sealdesk-font: "Inter", sans-serif; }
// and restyle pieces with ::part(launcher|panel|header|button|accept|reject|message|...).
export const CSS = `
:host{--a:var(--sealdesk-accent,#1d4ed8);--at:var(--sealdesk-accent-text,#fff);--bg:var(--sealdesk-bg,#fff);
--fg:var(--sealdesk-fg,#1f2328);--mu:var(--sealdesk-muted,#57606a);--bd:var(--sealdesk-border,#8c959f);
--mk:var(--sealdesk-mark,#fff0a8);--er:var(--sealdesk-danger,#b42318);--r:var(--sealdesk-radius,12px);
position:fixed;right:var(--sealdesk-offset,16px);bottom:var(--sealdesk-offset,16px);z-index:var(--sealdesk-z,2147483000);
font:14px/1.45 var(--sealdesk-font,system-ui,-apple-system,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif);color:var(--fg)}
:host([inline]){position:static}
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none!important}
.root{display:flex;flex-direction:column;align-items:flex-end;gap:10px}
button,input,textarea,select{font:inherit;color:inherit}
button{cursor:pointer}
:focus-visible{outline:3px solid var(--a);outline-offset:2px}
.launcher{display:inline-flex;align-items:center;gap:8px;border:0;border-radius:999px;padding:10px 18px;background:var(--a);color:var(--at);font-weight:600;box-shadow:0 4px 14px #0003}
.launcher svg,.icon svg{width:20px;height:20px;fill:currentColor}
.panel{width:var(--sealdesk-width,380px);max-width:calc(100vw - 32px);max-height:var(--sealdesk-height,min(640px,calc(100vh - 90px)));display:flex;flex-direction:column;background:var(--bg);border:1px solid var(--bd);border-radius:var(--r);box-shadow:0 12px 40px #0003;overflow:hidden}
.head{display:flex;align-items:center;gap:4px;padding:6px 8px;border-bottom:1px solid var(--bd)}
.head .tabs{display:flex;gap:4px;flex:1}
.tab{border:0;background:none;padding:6px 10px;border-radius:8px}
.tab[aria-current=page]{background:var(--a);color:var(--at)}
.close{margin-left:auto;border:0;background:none;width:32px;height:32px;border-radius:8px;font-size:20px;line-height:1}
.view{padding:14px 16px 16px;overflow:auto;flex:1}
h2{font-size:17px;margin:0 0 8px}
h3{font-size:14px;margin:12px 0 4px}
h2:focus{outline:none}
h2:focus-visible{outline:3px solid var(--a)}
p{margin:0 0 10px}
.muted,.small{color:var(--mu);font-size:12.5px}
.btn{border:2px solid var(--a);border-radius:8px;padding:9px 12px;font-weight:600;background:var(--bg);color:var(--a)}
.btn.primary,.choice{background:var(--a);color:var(--at)}
.btn[disabled]{opacity:.55;cursor:default}
.choices{display:grid;grid-template-columns:1fr 1fr;gap:8px;margin:12px 0 8px}
.choice{border:2px solid var(--a);border-radius:8px;padding:10px 12px;font-weight:600}
.row{display:flex;flex-wrap:wrap;gap:8px;align-items:center}
.link{border:0;background:none;padding:2px 0;color:var(--a);text-decoration:underline}
a{color:var(--a)}
.purposes{list-style:none;margin:0;padding:0}
.purpose{border:1px solid var(--bd);border-radius:8px;padding:10px;margin:0 0 8px}
.purpose label{font-weight:600;flex:1}
.purpose h3{margin:0 0 4px}.purpose p{margin:0 0 4px}
.flag{display:inline-block;border:1px solid var(--er);color:var(--er);border-radius:6px;padding:0 6px;font-size:12px;margin:2px 4px 2px 0}
.req{color:var(--mu);font-size:12px}
input[type=checkbox]{width:18px;height:18px;accent-color:var(--a);margin:0}
input[role=switch]{appearance:none;width:34px;height:20px;border-radius:10px;background:#6e7781;position:relative;cursor:pointer;flex:none}
input[role=switch]::before{content:"";position:absolute;top:2px;left:2px;width:16px;height:16px;border-radius:50%;background:#fff;transition:left .15s}
input[role=switch]:checked{background:var(--a)}input[role=switch]:checked::before{left:16px}
input[role=switch]:disabled{opacity:.6;cursor:default}
.brand{font-weight:600;padding:0 8px}
details summary{cursor:pointer;color:var(--a)}
dl{margin:6px 0 0;display:grid;grid-template-columns:max-content 1fr;gap:2px 10px;font-size:12.5px}
dt{color:var(--mu)}dd{margin:0}
.status{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.error{color:var(--er);border-left:3px solid var(--er);padding:4px 8px;margin:6px 0}
.privacy{border-left:3px solid var(--ac, currentColor);padding:4px 8px;margin:6px 0;font-weight:600}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.note{border-left:3px solid var(--a);padding:4px 8px;margin:6px 0}
.conn{display:flex;justify-content:space-between;gap:8px;font-size:12.5px;color:var(--mu);margin-bottom:6px}
.code{font-family:ui-monospace,Menlo,Consolas,monospace;letter-spacing:.05em;color:var(--fg)}
.log{margin:0 0 8px;min-height:80px;max-height:260px;overflow:auto}.msgs{list-style:none;margin:0;padding:2px;display:flex;flex-direction:column;gap:6px}
.msg{max-width:85%;padding:7px 10px;border-radius:12px;background:#eef1f4;white-space:pre-wrap;overflow-wrap:anywhere}
.msg.own{align-self:flex-end;background:var(--a);color:var(--at)}
.msg .meta{display:block;font-size:11.5px;opacity:.9;margin-top:2px}
mark{background:var(--mk);color:#1f2328;border-radius:3px;padding:0 1px}
.away{border:1px solid var(--bd);border-radius:10px;padding:8px 10px;margin:6px 0}
.away-title{font-weight:600;margin:0 0 4px}
.away label{display:block;margin-top:6px}
.msg .left{display:block;font-size:11.5px;font-weight:600}
.typing{font-size:12.5px;color:var(--mu);min-height:1.4em;margin:0}
textarea,input[type=number],input[type=text]{width:100%;border:1px solid var(--bd);border-radius:8px;padding:8px;background:var(--bg)}
textarea{resize:vertical;min-height:64px}
.preview{border:1px dashed var(--bd);border-radius:8px;padding:6px 8px;margin:6px 0;white-space:pre-wrap;overflow-wrap:anywhere}
.tools{display:flex;gap:6px;align-items:center;margin-top:6px}
.tools .btn:last-child{margin-left:auto}
.icon{display:inline-flex;align-items:center;gap:4px;padding:7px 9px}
.state{font-weight:600}
.state.granted{color:#116329}.state.denied,.state.expired{color:var(--er)}
`;

let shared;
/** One stylesheet shared by every widget on the page. */
export function styleSheet() {
  if (!shared) {
    shared = new CSSStyleSheet();
    shared.replaceSync(CSS);
  }
  return shared;
}
