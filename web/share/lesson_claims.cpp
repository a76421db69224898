// lesson_claims.cpp - see lesson_claims.h.
#include "lesson_claims.h"

#include <algorithm>
#include <cstdio>

namespace splinescope {

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
    constexpr std::size_t kTail = 5;
    r.measured = true;
    std::snprintf(text, sizeof text,
                  "With long training, local complexity near the training points falls by %.0f %% "
                  "from its peak, and at the decision boundary it stays above it.", 100 * claim.threshold);
    r.statement = text;
    const std::size_t n = std::min(f.lc_train.size(), f.lc_boundary.size());
    if (n < 2 * kTail) {
      r.measurement = "Not enough of the run recorded yet.";
      return r;
    }
    double peak = 0, train = 0, boundary = 0;
    for (std::size_t i = 0; i < n; ++i) peak = std::max(peak, f.lc_train[i]);
    for (std::size_t i = n - kTail; i < n; ++i) train += f.lc_train[i] / kTail, boundary += f.lc_boundary[i] / kTail;
    const double fall = peak > 0 ? 1 - train / peak : 0;
    std::snprintf(text, sizeof text,
                  "LC near the training points %.2f at its peak, %.2f now (%+.0f %%); at the boundary "
                  "%.2f, %.2fx the training points'.", peak, train, -100 * fall, boundary,
                  train > 0 ? boundary / train : 0.0);
    r.measurement = text;
    r.holds = fall >= claim.threshold && boundary > train;
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
