// Run outputs and curves in plain words, for messages a learner reads: no ids.
const OUTPUTS: Record<string, string> = {
  test_rmse: 'the error on the held-out rows (RMSE)',
  test_mae: 'the mean absolute error on the held-out rows',
  val_rmse: 'the error on the validation rows (RMSE)',
  test_accuracy: 'the accuracy on the held-out rows',
  test_log_loss: 'the log loss on the held-out rows',
  test_auc: 'the area under the ROC curve on the held-out rows',
  test_loss: 'the loss on the test points',
  train_loss: 'the training loss',
  loss_gap: 'the gap between test and training loss',
  baseline_gap: 'the gap between test and training loss without regularization',
  baseline_test_loss: 'the test loss of the same network without regularization',
  linear_test_loss: 'the test loss of a straight line on x1 and x2',
  least_squares_rmse: 'the best straight line through your features',
  least_squares_val_rmse: 'the best straight line on the validation rows',
  best_linear_log_loss: 'the best linear classifier on your features',
  linear_rmse: 'the linear model trained the same way',
  baseline_rmse: 'always predicting the average',
  last_value_rmse: 'repeating the last value of each sequence',
  label_mean_seen: 'the label as the model learns it (on average)',
  feature_scale: 'the typical size of your largest input',
  feature_std_max: 'the spread of your widest input',
  calibration_error: 'the calibration error',
  invalid_probabilities: 'the share of outputs that are not probabilities',
  min_recall: 'the recall of the class found least often',
  hidden_activations: 'the hidden layers with an activation',
  reload_max_diff: 'the largest difference between the served and the trained predictions',
  learning_rate_follows_hp: 'whether the optimizer takes the tuned learning rate',
  variables_updated: 'the weight tensors that training changed',
  unused_parts: 'the weights and layers that get no gradient',
  loss_probe_ratio: 'the loss of predictions 0.5 off, relative to 0.25',
  dead_links: 'the links L1 set to exactly zero',
  zeroed_inputs: 'the inputs whose every link is zero',
  output_spread: 'the spread of the outputs',
  derived_inputs: 'the derived inputs',
  rate_span_decades: 'the span of your three rates, in powers of ten',
};

const SERIES: Record<string, string> = {
  loss: 'the training loss',
  val_loss: 'the validation loss',
  val_rmse: 'the validation error',
};

export function outputWords(name: string): string {
  return OUTPUTS[name] ?? 'the measured value';
}

export function seriesWords(name: string): string {
  return SERIES[name] ?? 'the curve';
}

export function capitalize(s: string): string {
  return s.length ? s[0].toUpperCase() + s.slice(1) : s;
}
