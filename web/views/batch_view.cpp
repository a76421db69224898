// batch_view.cpp - see batch_view.h.
#include "batch_view.h"

#include <algorithm>
#include <cmath>

namespace splinescope {

namespace {

constexpr int kJitterGrid = 48; // the view's points where the codes of two batches are compared

bool has_batch_norm(const Network& net) {
  return std::any_of(net.layers.begin(), net.layers.end(), [](const Layer& l) { return l.batch_norm; });
}

// The share of a kJitterGrid x kJitterGrid grid of the view where a and b differ in code.
double code_change(const Network& a, const Network& b, const Window& view) {
  Eigen::MatrixXd X(2, kJitterGrid * kJitterGrid); // (2, grid points)
  for (int j = 0; j < kJitterGrid; ++j)
    for (int i = 0; i < kJitterGrid; ++i) {
      X(0, j * kJitterGrid + i) = view.x0 + (i + 0.5) / kJitterGrid * view.width();
      X(1, j * kJitterGrid + i) = view.y0 + (j + 0.5) / kJitterGrid * view.height();
    }
  const std::vector<Code> ca = activation_codes(a, X), cb = activation_codes(b, X);
  int changed = 0;
  for (std::size_t k = 0; k < ca.size(); ++k) changed += ca[k] != cb[k];
  return static_cast<double>(changed) / static_cast<double>(ca.size());
}

} // namespace

bool update_batch_view(Pane& pane, double now_ms) {
  const Network& live = pane.session->network();
  if (!pane.batch_statistics || !has_batch_norm(live) || live.input_dim != 2) {
    if (pane.batch_network.layers.empty() && !std::isfinite(pane.batch_jitter)) return false; // nothing drawn
    pane.batch_network = Network{};
    pane.batch_points.resize(2, 0);
    pane.batch_jitter = NAN;
    return true;
  }
  const std::int64_t step = pane.session->steps();
  const bool new_batch = now_ms - pane.batch_at >= kBatchViewEveryMs || pane.batch_points.cols() == 0;
  if (!new_batch && step == pane.batch_step) return false;
  if (!new_batch) { // new weights, the same batch
    pane.batch_network = with_batch_statistics(live, pane.batch_points);
    pane.batch_step = step;
    return true;
  }
  const Dataset& train = pane.session->data().train;
  if (train.size() == 0 || train.dim() != 2) return false;
  // A batch as the trainer draws one: its batch size, points without replacement.
  const Eigen::Index m = std::min<Eigen::Index>(std::max(1, pane.session->config().train.batch_size), train.size());
  std::vector<Eigen::Index> order(train.size());
  for (Eigen::Index i = 0; i < train.size(); ++i) order[i] = i;
  for (Eigen::Index i = 0; i < m; ++i)
    std::swap(order[i], order[i + static_cast<Eigen::Index>(pane.batch_rng.below(train.size() - i))]);
  Eigen::MatrixXd batch(2, m); // (2, m)
  for (Eigen::Index i = 0; i < m; ++i) batch.col(i) = train.X.col(order[i]);
  Network next = with_batch_statistics(live, batch);
  // The shaking: the previous batch and this one, at the same (current) weights.
  if (pane.batch_points.cols() > 0) {
    const double change = code_change(with_batch_statistics(live, pane.batch_points), next, pane.view);
    pane.batch_jitter = std::isfinite(pane.batch_jitter) ? 0.7 * pane.batch_jitter + 0.3 * change : change;
  }
  pane.batch_points = std::move(batch);
  pane.batch_network = std::move(next);
  pane.batch_step = step;
  pane.batch_at = now_ms;
  ++pane.batch_draws;
  return true;
}

} // namespace splinescope
