export {
  accuracyPlot,
  type ChartOptions,
  historySeries,
  renderLineChart,
  type Series,
} from './line-chart.js';
