// How every uPlot axis on the dashboard looks: the theme's muted text and grid lines.
import type uPlot from 'uplot';
import type { Theme } from './theme';

export function axisStyle(theme: Theme, label: string): uPlot.Axis {
  return {
    stroke: theme.muted,
    font: theme.font,
    labelFont: theme.font,
    label,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { stroke: theme.grid, width: 1, size: 4 },
  };
}
