// lesson_claims.cpp - see lesson_claims.h.
#include "lesson_claims.h"

#include <algorithm>
#include <cstdio>

namespace splinescope {

namespace {

// The end of a run's local complexity near the training points and at the boundary: the mean of
// the last kTail records, so one noisy estimate decides nothing; and the peak near the training
// points. False when fewer than 2 kTail records were made.
constexpr std::size_t kTail = 5;
struct Complexity {
  double peak = 0, train = 0, boundary = 0;
  double fall() const { return peak > 0 ? 1 - train / peak : 0; }
};
bool complexity_of(const ClaimFigures& f, Complexity* c) {
  const std::size_t n = std::min(f.lc_train.size(), f.lc_boundary.size());
  if (n < 2 * kTail) return false;
  *c = Complexity{};
  for (std::size_t i = 0; i < n; ++i) c->peak = std::max(c->peak, f.lc_train[i]);
  for (std::size_t i = n - kTail; i < n; ++i) {
    c->train += f.lc_train[i] / kTail;
    c->boundary += f.lc_boundary[i] / kTail;
  }
  return true;
}

// The claim needs panes A and B.
bool two_panes(const ClaimFigures& f, ClaimReading* r) {
  if (f.panes.size() >= 2) return true;
  r->measurement = "This page shows one pane: the claim compares two.";
  return false;
}

} // namespace

ClaimReading read_claim(const Claim& claim, const ClaimFigures& f) {
  ClaimReading r;
  char text[200];
  switch (claim.kind) {
  case ClaimKind::none: return r;
  case ClaimKind::arrangement_bound: {
    // n lines in general position cut the plane into at most 1 + n + n(n-1)/2 regions.
    r.measured = true;
    r.statement = "One layer of n lines cuts the plane into at most 1 + n + n(n-1)/2 tiles.";
    if (f.widths.size() != 1) {
      std::snprintf(text, sizeof text, "This network has %d hidden layers: the bound is for one.",
                    static_cast<int>(f.widths.size()));
      r.measurement = text;
      return r;
    }
    const long n = f.widths[0], bound = 1 + n + n * (n - 1) / 2;
    std::snprintf(text, sizeof text, "%d tiles in the view%s; %ld lines allow at most %ld.", f.tiles,
                  f.tiles_exact ? "" : " (estimated)", n, bound);
    r.measurement = text;
    r.holds = f.tiles_exact && f.tiles <= bound;
    return r;
  }
  case ClaimKind::depth_refines: {
    r.measured = true;
    r.statement = "Each layer cuts the tiles of the layers before it: more tiles at every depth.";
    const std::vector<int>& t = f.tiles_per_layer;
    if (t.size() < 2) {
      r.measurement = t.empty() ? "The view's tiles are not counted exactly."
                                : "This network has one hidden layer: there is no deeper layer to cut.";
      return r;
    }
    std::string counts;
    bool more = true;
    for (std::size_t l = 0; l < t.size(); ++l) {
      counts += (l ? " -> " : "") + std::to_string(t[l]);
      more = more && (l == 0 || t[l] > t[l - 1]);
    }
    r.measurement = "Tiles of layers 1, 1-2, ...: " + counts + ".";
    r.holds = more;
    return r;
  }
  case ClaimKind::complexity_migration: {
    // The tiles leave the data for the boundary: LC near the training points falls from its peak
    // by the threshold's fraction, and LC at the boundary ends above it. "Ends": the mean of the
    // last kTail records, so one noisy estimate decides nothing.
    r.measured = true;
    std::snprintf(text, sizeof text,
                  "With long training, local complexity near the training points falls by %.0f %% "
                  "from its peak, and at the decision boundary it stays above it.", 100 * claim.threshold);
    r.statement = text;
    Complexity c;
    if (!complexity_of(f, &c)) {
      r.measurement = "Not enough of the run recorded yet.";
      return r;
    }
    std::snprintf(text, sizeof text,
                  "LC near the training points %.2f at its peak, %.2f now (%+.0f %%); at the boundary "
                  "%.2f, %.2fx the training points'.", c.peak, c.train, -100 * c.fall(), c.boundary,
                  c.train > 0 ? c.boundary / c.train : 0.0);
    r.measurement = text;
    r.holds = c.fall() >= claim.threshold && c.boundary > c.train;
    return r;
  }
  case ClaimKind::compare_data_density: {
    r.measured = true;
    std::snprintf(text, sizeof text,
                  "With batch norm the tiles gather on the data: local complexity near the training "
                  "points is at least %.1fx that without.", claim.threshold);
    r.statement = text;
    if (!two_panes(f, &r)) return r;
    Complexity a, b;
    if (!complexity_of(f.panes[0], &a) || !complexity_of(f.panes[1], &b)) {
      r.measurement = "Not enough of the run recorded yet.";
      return r;
    }
    std::snprintf(text, sizeof text, "LC near the training points: A %.2f, B %.2f (%.2fx); tiles A %d, B %d.",
                  a.train, b.train, a.train > 0 ? b.train / a.train : 0.0, f.panes[0].tiles, f.panes[1].tiles);
    r.measurement = text;
    r.holds = a.train > 0 && b.train >= claim.threshold * a.train;
    return r;
  }
  case ClaimKind::compare_migration: {
    r.measured = true;
    std::snprintf(text, sizeof text,
                  "With weight decay the tiles leave the training points for the boundary (local "
                  "complexity near them falls %.0f %% from its peak and ends below the boundary's); "
                  "without, they do not.", 100 * claim.threshold);
    r.statement = text;
    if (!two_panes(f, &r)) return r;
    Complexity a, b;
    if (!complexity_of(f.panes[0], &a) || !complexity_of(f.panes[1], &b)) {
      r.measurement = "Not enough of the run recorded yet.";
      return r;
    }
    const auto migrates = [&](const Complexity& c) { return c.fall() >= claim.threshold && c.boundary > c.train; };
    std::snprintf(text, sizeof text,
                  "LC near the training points from its peak: A %+.0f %%, B %+.0f %%; boundary over "
                  "training points: A %.2fx, B %.2fx.", -100 * a.fall(), -100 * b.fall(),
                  a.train > 0 ? a.boundary / a.train : 0.0, b.train > 0 ? b.boundary / b.train : 0.0);
    r.measurement = text;
    r.holds = migrates(b) && !migrates(a);
    return r;
  }
  case ClaimKind::compare_depth_economy: {
    r.measured = true;
    std::snprintf(text, sizeof text,
                  "With fewer parameters and fewer tiles, the deep network fits as well: both reach "
                  "test accuracy %.2f.", claim.threshold);
    r.statement = text;
    if (!two_panes(f, &r)) return r;
    const ClaimFigures &a = f.panes[0], &b = f.panes[1];
    std::snprintf(text, sizeof text,
                  "Parameters A %ld, B %ld; tiles A %d, B %d; test accuracy A %.3f, B %.3f.", a.parameters,
                  b.parameters, a.tiles, b.tiles, a.test_accuracy, b.test_accuracy);
    r.measurement = text;
    r.holds = a.tiles_exact && b.tiles_exact && b.parameters < a.parameters && b.tiles < a.tiles &&
              a.test_accuracy >= claim.threshold && b.test_accuracy >= claim.threshold;
    return r;
  }
  case ClaimKind::batch_jitter: {
    r.measured = true;
    std::snprintf(text, sizeof text,
                  "In training mode batch norm moves the tiles with every batch: at least %.0f %% of "
                  "the view changes code from one batch to the next, at the same weights.", 100 * claim.threshold);
    r.statement = text;
    if (!std::isfinite(f.batch_jitter)) {
      r.measurement = "Not drawn with batch statistics, or not measured yet.";
      return r;
    }
    std::snprintf(text, sizeof text, "%.1f %% of the view changes code from one batch to the next.",
                  100 * f.batch_jitter);
    r.measurement = text;
    r.holds = f.batch_jitter >= claim.threshold;
    return r;
  }
  case ClaimKind::compare_more_tiles: {
    r.measured = true;
    std::snprintf(text, sizeof text,
                  "Larger initial weights put more tiles in view: at least %.0fx as many.", claim.threshold);
    r.statement = text;
    if (!two_panes(f, &r)) return r;
    const ClaimFigures &a = f.panes[0], &b = f.panes[1];
    std::snprintf(text, sizeof text, "Tiles in the view: A %d, B %d (%.1fx).", a.tiles, b.tiles,
                  a.tiles > 0 ? static_cast<double>(b.tiles) / a.tiles : 0.0);
    r.measurement = text;
    r.holds = a.tiles_exact && b.tiles_exact && a.tiles > 0 && b.tiles >= claim.threshold * a.tiles;
    return r;
  }
  case ClaimKind::polyline_fit: {
    r.measured = true;
    std::snprintf(text, sizeof text,
                  "f is a polyline: one piece more than the places where pieces meet, and it fits "
                  "the data (test loss below %g).", claim.threshold);
    r.statement = text;
    if (f.pieces < 0) {
      r.measurement = "This network does not have one input.";
      return r;
    }
    std::snprintf(text, sizeof text, "%d pieces meeting at %d knots; test loss %.4g.", f.pieces,
                  f.knot_positions, f.test_loss);
    r.measurement = text;
    r.holds = f.pieces == f.knot_positions + 1 && f.test_loss < claim.threshold;
    return r;
  }
  }
  return r;
}

} // namespace splinescope
