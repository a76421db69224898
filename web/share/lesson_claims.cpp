// lesson_claims.cpp - see lesson_claims.h.
#include "lesson_claims.h"

#include <algorithm>
#include <cmath>
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
  case ClaimKind::affine_tiles: {
    r.measured = true;
    r.statement = "The network is affine on every tile: f equals the tile's piece A x + c everywhere in it.";
    if (f.checked <= 0) {
      r.measurement = "The view's tiles are not counted exactly.";
      return r;
    }
    std::snprintf(text, sizeof text, "At %d points in the view's %d tiles, f equals the tile's piece (largest difference %.1e).",
                  f.checked, f.tiles, f.max_error);
    r.measurement = text;
    r.holds = f.agreeing == f.checked;
    return r;
  }
  case ClaimKind::boundary_segments: {
    r.measured = true;
    r.statement = "The boundary is a polyline: straight in each tile, bending only at tile edges.";
    if (f.checked <= 0) {
      r.measurement = "No exact decision boundary in the view.";
      return r;
    }
    std::snprintf(text, sizeof text, "%d straight segments, %d with f = 0 along them; %d bends, %d where the boundary crosses a tile edge.",
                  f.checked, f.agreeing, f.bends, f.bends_at_edges);
    r.measurement = text;
    r.holds = f.agreeing == f.checked && f.bends > 0 && f.bends_at_edges == f.bends;
    return r;
  }
  case ClaimKind::edge_crossings: {
    r.measured = true;
    r.statement = "Crossing a tile edge switches one neuron: the code changes in that edge's neuron only.";
    if (f.checked <= 0) {
      r.measurement = f.checked < 0 ? "The view's tiles are not counted exactly." : "No tile edge in the view to cross.";
      return r;
    }
    std::snprintf(text, sizeof text, "%d of %d edges crossed change the code in their own neuron only.",
                  f.agreeing, f.checked);
    r.measurement = text;
    r.holds = f.agreeing == f.checked;
    return r;
  }
  case ClaimKind::bent_neurons: {
    r.measured = true;
    r.statement = "A first-layer neuron switches along a straight line, a deeper one along a bent line.";
    if (f.checked <= 0 || f.bends < 0) {
      r.measurement = "No exact zero sets in the view, or no deeper neuron highlighted.";
      return r;
    }
    std::snprintf(text, sizeof text, "%d of %d first-layer zero sets in view are straight; the highlighted neuron's bends %d times.",
                  f.agreeing, f.checked, f.bends);
    r.measurement = text;
    r.holds = f.agreeing == f.checked && f.bends > 0;
    return r;
  }
  case ClaimKind::no_flat_tiles: {
    r.measured = true;
    r.statement = "No neuron is ever fully off: every tile has a slope, none is flat.";
    if (f.checked <= 0) {
      r.measurement = "The view's tiles are not counted exactly.";
      return r;
    }
    std::snprintf(text, sizeof text, "%d of %d tiles have a slope (%d flat).", f.agreeing, f.checked,
                  f.checked - f.agreeing);
    r.measurement = text;
    r.holds = f.agreeing == f.checked;
    return r;
  }
  case ClaimKind::plane_images: {
    r.measured = true;
    r.statement = "Each of the three images lies in a region of its own class: the network "
                  "predicts its class there.";
    if (f.checked != 3) {
      r.measurement = "No plane through three images.";
      return r;
    }
    std::snprintf(text, sizeof text, "%d of the 3 images are predicted as their class (test accuracy %.2f).",
                  f.agreeing, f.test_accuracy);
    r.measurement = text;
    r.holds = f.agreeing == 3;
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

// -----------------------------------------------------------------------------------------------
// Measures
// -----------------------------------------------------------------------------------------------

namespace {

// Forward passes a measure makes at most (about): bounded work in a frame.
constexpr int kMaxCheckPoints = 2000;

// Vertices of a polyline where its direction turns.
int bends_of(const Polyline& line) {
  const auto& p = line.points;
  const int n = static_cast<int>(p.size());
  int bends = 0;
  for (int i = 0; i < n; ++i) {
    if (!line.closed && (i == 0 || i == n - 1)) continue;
    const Eigen::Vector2d a = p[(i + n - 1) % n], b = p[i], c = p[(i + 1) % n];
    const Eigen::Vector2d u = b - a, v = c - b;
    const double cross = u.x() * v.y() - u.y() * v.x();
    if (std::abs(cross) > 1e-9 * u.norm() * v.norm()) ++bends;
  }
  return bends;
}

// The index of hidden neuron (layer, unit) in a code.
int code_bit(const Network& net, int layer, int unit) {
  int k = unit;
  for (int l = 0; l < layer; ++l) k += net.layers[l].width();
  return k;
}

} // namespace

void measure_affine_tiles(const Network& net, const Tessellation& tess, ClaimFigures* f) {
  std::vector<Eigen::Vector2d> points;
  std::vector<int> tile_of;
  // At most about kMaxCheckPoints points: every stride-th tile.
  const int stride = std::max(1, 5 * tess.tile_count() / kMaxCheckPoints);
  for (int t = 0; t < tess.tile_count(); t += stride) {
    const Tile& tile = tess.tiles[t];
    points.push_back(tile.centroid);
    tile_of.push_back(t);
    for (int k = 0; k < std::min(4, tile.edge_count); ++k) {
      const Eigen::Vector2d& corner = tess.vertices[tess.edges[tile.first_edge + k].from];
      points.push_back(0.5 * (tile.centroid + corner));
      tile_of.push_back(t);
    }
  }
  Eigen::MatrixXd X(2, static_cast<Eigen::Index>(points.size())); // (2, points)
  for (std::size_t i = 0; i < points.size(); ++i) X.col(static_cast<Eigen::Index>(i)) = points[i];
  const Eigen::MatrixXd out = forward(net, X); // (C, points)
  f->checked = static_cast<int>(points.size());
  f->agreeing = 0;
  f->max_error = 0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const Eigen::VectorXd piece = tess.evaluate(tile_of[i], points[i]);
    const Eigen::VectorXd fx = out.col(static_cast<Eigen::Index>(i));
    const double error = (fx - piece).cwiseAbs().maxCoeff();
    f->max_error = std::max(f->max_error, error);
    f->agreeing += error <= 1e-9 * std::max(1.0, fx.cwiseAbs().maxCoeff());
  }
}

void measure_boundary_segments(const Network& net, const Contour& boundary, ClaimFigures* f) {
  // Per segment: its quarter points (f = 0 at each: straight, on the boundary). Per bend: the
  // points just before and after it along the polyline (different codes: it bends at an edge).
  std::vector<Eigen::Vector2d> points;
  std::vector<std::pair<int, int>> classes; // the classes that tie along each segment
  std::vector<Eigen::Vector2d> around;      // two per bend
  for (const Polyline& line : boundary.polylines) {
    const auto& p = line.points;
    const std::size_t n = p.size(), segments = line.closed ? n : n - 1;
    for (std::size_t i = 0; n >= 2 && i < segments; ++i) {
      const Eigen::Vector2d a = p[i], b = p[(i + 1) % n];
      for (double t : {0.25, 0.5, 0.75}) points.push_back(a + t * (b - a));
      classes.emplace_back(line.class_a, line.class_b);
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (!line.closed && (i == 0 || i + 1 == n)) continue;
      const Eigen::Vector2d a = p[(i + n - 1) % n], v = p[i], c = p[(i + 1) % n];
      const Eigen::Vector2d u = v - a, w = c - v;
      if (std::abs(u.x() * w.y() - u.y() * w.x()) <= 1e-9 * u.norm() * w.norm()) continue;
      around.push_back(v - 1e-3 * u);
      around.push_back(v + 1e-3 * w);
    }
  }
  f->checked = static_cast<int>(classes.size());
  f->agreeing = 0;
  f->bends = static_cast<int>(around.size() / 2);
  f->bends_at_edges = 0;
  if (!points.empty()) {
    Eigen::MatrixXd X(2, static_cast<Eigen::Index>(points.size())); // (2, 3 per segment)
    for (std::size_t i = 0; i < points.size(); ++i) X.col(static_cast<Eigen::Index>(i)) = points[i];
    const Eigen::MatrixXd out = forward(net, X); // (C, 3 per segment)
    for (std::size_t s = 0; s < classes.size(); ++s) {
      bool zero = true;
      for (Eigen::Index k = 3 * static_cast<Eigen::Index>(s); k < 3 * static_cast<Eigen::Index>(s) + 3; ++k) {
        const double tie = out.rows() == 1 ? out(0, k)
                                            : out(std::max(0, classes[s].first), k) - out(std::max(0, classes[s].second), k);
        zero = zero && std::abs(tie) <= 1e-8 * std::max(1.0, out.col(k).cwiseAbs().maxCoeff());
      }
      f->agreeing += zero;
    }
  }
  if (!around.empty()) {
    Eigen::MatrixXd X(2, static_cast<Eigen::Index>(around.size())); // (2, 2 per bend)
    for (std::size_t i = 0; i < around.size(); ++i) X.col(static_cast<Eigen::Index>(i)) = around[i];
    const std::vector<Code> codes = activation_codes(net, X);
    for (std::size_t k = 0; k + 1 < codes.size(); k += 2) f->bends_at_edges += codes[k] != codes[k + 1];
  }
}

void measure_edge_crossings(const Network& net, const Tessellation& tess, ClaimFigures* f) {
  std::vector<Eigen::Vector2d> points;
  std::vector<int> bits;
  // At most about kMaxCheckPoints points: the edges of every stride-th tile.
  const int stride = std::max(1, 4 * tess.tile_count() / kMaxCheckPoints);
  for (int t = 0; t < tess.tile_count(); t += stride) {
    const Tile& tile = tess.tiles[t];
    for (int e = tile.first_edge; e < tile.first_edge + tile.edge_count; ++e) {
      const TileEdge& edge = tess.edges[e];
      if (edge.layer < 0 || edge.neighbour <= t || edge.coincident >= 0) continue; // each once
      const Eigen::Vector2d m = 0.5 * (tess.vertices[edge.from] + tess.vertices[edge.to]);
      // Just inside each tile: a thousandth of the way to its centroid (both tiles are convex).
      points.push_back(m + 1e-3 * (tile.centroid - m));
      points.push_back(m + 1e-3 * (tess.tiles[edge.neighbour].centroid - m));
      bits.push_back(code_bit(net, edge.layer, edge.neuron));
    }
  }
  f->checked = static_cast<int>(bits.size());
  f->agreeing = 0;
  if (bits.empty()) return;
  Eigen::MatrixXd X(2, static_cast<Eigen::Index>(points.size())); // (2, 2 per edge)
  for (std::size_t i = 0; i < points.size(); ++i) X.col(static_cast<Eigen::Index>(i)) = points[i];
  const std::vector<Code> codes = activation_codes(net, X);
  for (std::size_t k = 0; k < bits.size(); ++k) {
    const Code &a = codes[2 * k], &b = codes[2 * k + 1];
    f->agreeing += a.distance(b) == 1 && a.bit(bits[k]) != b.bit(bits[k]);
  }
}

void measure_bent_neurons(const Tessellation& tess, int layer, int unit, ClaimFigures* f) {
  f->checked = f->agreeing = 0;
  for (int k = 0; !tess.widths.empty() && k < tess.widths[0]; ++k) {
    const std::vector<Polyline> lines = neuron_zero_set(tess, 0, k);
    if (lines.empty()) continue;
    ++f->checked;
    int bends = 0;
    for (const Polyline& line : lines) bends += bends_of(line);
    f->agreeing += bends == 0;
  }
  f->bends = -1;
  if (layer < 1 || layer >= tess.depth || unit < 0 || unit >= tess.widths[layer]) return;
  f->bends = 0;
  for (const Polyline& line : neuron_zero_set(tess, layer, unit)) f->bends += bends_of(line);
}

void measure_flat_tiles(const Tessellation& tess, ClaimFigures* f) {
  f->checked = tess.tile_count();
  f->agreeing = 0;
  for (int t = 0; t < tess.tile_count(); ++t) f->agreeing += tess.tile_A(t).cwiseAbs().maxCoeff() > 1e-12;
}

void measure_plane_images(const Network& plane_net, const Eigen::Matrix<double, 2, 3>& anchors,
                          const std::array<int, 3>& labels, ClaimFigures* f) {
  if (plane_net.input_dim != 2 || plane_net.layers.empty()) return;
  const Eigen::MatrixXd out = forward(plane_net, Eigen::MatrixXd(anchors)); // (C, 3)
  f->checked = 3;
  f->agreeing = 0;
  for (int k = 0; k < 3; ++k) {
    Eigen::Index best = 0;
    if (out.rows() == 1)
      best = out(0, k) > 0 ? 1 : 0; // one logit: class 1 where it is positive
    else
      out.col(k).maxCoeff(&best);
    if (best == labels[k]) ++f->agreeing;
  }
}

} // namespace splinescope
