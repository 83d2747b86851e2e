// Colours and fonts from VS Code's theme variables, so charts match light, dark and high-contrast
// themes; read again whenever VS Code switches theme (it rewrites the variables and the body class).

export interface Theme {
  kind: 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';
  foreground: string;
  muted: string;
  background: string;
  grid: string;
  font: string;
  /** One colour per run, in order; repeats beyond its length. */
  palette: string[];
  lineWidth: number;
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

function kind(): Theme['kind'] {
  const c = document.body.classList;
  if (c.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (c.contains('vscode-high-contrast')) return 'high-contrast';
  if (c.contains('vscode-light')) return 'light';
  if (c.contains('vscode-dark')) return 'dark';
  // Outside VS Code (tests, screenshots) follow the variables' background if set, else dark.
  return 'dark';
}

// VS Code's chart colours first (themes tune them), then extra hues for more runs.
const CHART_VARS = [
  '--vscode-charts-blue',
  '--vscode-charts-orange',
  '--vscode-charts-green',
  '--vscode-charts-purple',
  '--vscode-charts-red',
  '--vscode-charts-yellow',
];
const DARK = ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700', '#4ec9b0', '#f48fb1', '#9cdcfe', '#ce9178', '#c586c0', '#dcdcaa'];
const LIGHT = ['#1a85ff', '#c27d00', '#388a34', '#652d90', '#e51400', '#a08000', '#16825d', '#c2185b', '#0451a5', '#a31515', '#795e26', '#5a5a5a'];

export function readTheme(): Theme {
  const k = kind();
  const light = k === 'light' || k === 'high-contrast-light';
  const fallback = light ? LIGHT : DARK;
  const palette = fallback.map((c, i) => (i < CHART_VARS.length ? cssVar(CHART_VARS[i]!) || c : c));
  const foreground = cssVar('--vscode-editor-foreground') || cssVar('--vscode-foreground') || (light ? '#333333' : '#cccccc');
  const size = cssVar('--vscode-font-size') || '13px';
  const family = cssVar('--vscode-font-family') || 'system-ui, sans-serif';
  return {
    kind: k,
    foreground,
    muted: cssVar('--vscode-descriptionForeground') || foreground,
    background: cssVar('--vscode-editor-background') || (light ? '#ffffff' : '#1e1e1e'),
    grid: cssVar('--vscode-charts-lines') || (light ? 'rgba(0,0,0,0.12)' : 'rgba(255,255,255,0.12)'),
    font: `${size} ${family}`,
    palette,
    lineWidth: k.startsWith('high-contrast') ? 2.5 : 1.5,
  };
}
