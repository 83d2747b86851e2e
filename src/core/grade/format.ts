// Number formats live in core/format.ts, one module for every number shown to a person; this
// re-export serves grade/causes.ts until it imports from there.
export { formatMetric, formatNumber, formatValue, type ValueFormat } from '../format';
