// geometry_analysis.cpp - statistics of a tessellation, locating points in it, and local
// complexity (exact tile counts and the frame estimate).
//
// Index
//   [SECTION] Statistics
//   [SECTION] Tile locator
//   [SECTION] Local complexity
#include "geometry.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace splinescope {

// -----------------------------------------------------------------------------------------------
// [SECTION] Statistics
// -----------------------------------------------------------------------------------------------

namespace {

// Clusters the tiles' affine maps: two maps are one when every coefficient agrees within
// tolerance * max(1, largest coefficient of the two). Tiles are swept in the order of a fixed
// projection of their coefficients; equal maps project within a known window of each other, so
// each tile is compared only with the representatives in that window.
int count_distinct_maps(const Tessellation& tess, double tolerance) {
  const int T = tess.tile_count();
  const int R = tess.map_rows;
  const int K = 3 * R; // coefficients per map
  if (T == 0) return 0;
  Eigen::MatrixXd maps(K, T); // (3R, T): A column-major, then c
  for (int t = 0; t < T; ++t) {
    maps.col(t).head(2 * R) = Eigen::Map<const Eigen::VectorXd>(tess.A.col(2 * t).data(), 2 * R);
    maps.col(t).tail(R) = tess.tile_c(t);
  }
  Eigen::VectorXd weights(K); // (3R) a generic projection direction
  for (int j = 0; j < K; ++j) weights(j) = 1.0 + 0.37 * j;
  const Eigen::VectorXd proj = maps.transpose() * weights; // (T)
  const Eigen::VectorXd size = maps.cwiseAbs().colwise().maxCoeff().transpose(); // (T)
  const double scale = std::max(1.0, size.maxCoeff());
  const double window = tolerance * scale * weights.sum();
  std::vector<int> order(T);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int a, int b) { return proj(a) < proj(b); });
  std::vector<int> reps;
  for (int t : order) {
    bool known = false;
    for (int i = static_cast<int>(reps.size()) - 1; i >= 0 && !known; --i) {
      const int r = reps[i];
      if (proj(r) < proj(t) - window) break;
      const double tol = tolerance * std::max({1.0, size(r), size(t)});
      known = ((maps.col(r) - maps.col(t)).cwiseAbs().array() <= tol).all();
    }
    if (!known) reps.push_back(t);
  }
  return static_cast<int>(reps.size());
}

} // namespace

TessellationStats tessellation_stats(const Tessellation& tess, const Contour* boundary,
                                     double map_tolerance) {
  TessellationStats s;
  s.tiles = tess.tile_count();
  s.tiles_per_layer = tess.tiles_per_layer;
  if (s.tiles == 0) return s;
  std::vector<double> areas(s.tiles);
  std::vector<Code> codes(s.tiles);
  s.corners_min = tess.tiles[0].corner_count;
  long long corners = 0;
  for (int t = 0; t < s.tiles; ++t) {
    const Tile& tile = tess.tiles[t];
    areas[t] = tile.area;
    codes[t] = tile.code;
    s.area_total += tile.area;
    corners += tile.corner_count;
    s.corners_min = std::min(s.corners_min, tile.corner_count);
    s.corners_max = std::max(s.corners_max, tile.corner_count);
  }
  s.corners_mean = static_cast<double>(corners) / s.tiles;
  std::sort(areas.begin(), areas.end());
  s.area_min = areas.front();
  s.area_max = areas.back();
  s.area_median = s.tiles % 2 ? areas[s.tiles / 2] : 0.5 * (areas[s.tiles / 2 - 1] + areas[s.tiles / 2]);
  std::sort(codes.begin(), codes.end());
  s.distinct_codes = static_cast<int>(std::unique(codes.begin(), codes.end()) - codes.begin());
  s.distinct_maps = count_distinct_maps(tess, map_tolerance);
  if (tess.full_depth()) {
    if (boundary) {
      s.boundary_tiles = static_cast<int>(boundary->tiles.size());
    } else {
      s.boundary_tiles = static_cast<int>(decision_boundary(tess).tiles.size());
    }
  }
  return s;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Tile locator
// -----------------------------------------------------------------------------------------------

TileLocator::TileLocator(const Tessellation& tess) : tess_(&tess) {
  const int T = tess.tile_count();
  boxes_.resize(T);
  double X0 = 0, Y0 = 0, X1 = 1, Y1 = 1;
  if (T > 0) {
    X0 = Y0 = std::numeric_limits<double>::infinity();
    X1 = Y1 = -X0;
  }
  for (int t = 0; t < T; ++t) {
    const Tile& tile = tess.tiles[t];
    Eigen::Vector4d box(std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(),
                        -std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity());
    for (int i = 0; i < tile.edge_count; ++i) {
      const Eigen::Vector2d& p = tess.vertices[tess.edges[tile.first_edge + i].from];
      box(0) = std::min(box(0), p.x());
      box(1) = std::min(box(1), p.y());
      box(2) = std::max(box(2), p.x());
      box(3) = std::max(box(3), p.y());
    }
    boxes_[t] = box;
    X0 = std::min(X0, box(0));
    Y0 = std::min(Y0, box(1));
    X1 = std::max(X1, box(2));
    Y1 = std::max(Y1, box(3));
  }
  // About one tile per cell, on a grid with the region's aspect ratio.
  const double w = std::max(X1 - X0, 1e-300), h = std::max(Y1 - Y0, 1e-300);
  const double cells = std::max(1, T);
  nx_ = std::max(1, std::min(4096, static_cast<int>(std::ceil(std::sqrt(cells * w / h)))));
  ny_ = std::max(1, std::min(4096, static_cast<int>(std::ceil(cells / nx_))));
  x0_ = X0;
  y0_ = Y0;
  cell_w_ = w / nx_;
  cell_h_ = h / ny_;
  cell_begin_.assign(static_cast<std::size_t>(nx_) * ny_ + 1, 0);
  auto cell_range = [&](const Eigen::Vector4d& b, int& i0, int& j0, int& i1, int& j1) {
    i0 = std::max(0, std::min(nx_ - 1, static_cast<int>(std::floor((b(0) - x0_) / cell_w_))));
    j0 = std::max(0, std::min(ny_ - 1, static_cast<int>(std::floor((b(1) - y0_) / cell_h_))));
    i1 = std::max(0, std::min(nx_ - 1, static_cast<int>(std::floor((b(2) - x0_) / cell_w_))));
    j1 = std::max(0, std::min(ny_ - 1, static_cast<int>(std::floor((b(3) - y0_) / cell_h_))));
  };
  for (int pass = 0; pass < 2; ++pass) {
    std::vector<int> fill;
    if (pass == 1) {
      for (std::size_t c = 0; c + 1 < cell_begin_.size(); ++c) cell_begin_[c + 1] += cell_begin_[c];
      cell_tiles_.resize(cell_begin_.back());
      fill.assign(cell_begin_.begin(), cell_begin_.end() - 1);
    }
    for (int t = 0; t < T; ++t) {
      int i0, j0, i1, j1;
      cell_range(boxes_[t], i0, j0, i1, j1);
      for (int j = j0; j <= j1; ++j)
        for (int i = i0; i <= i1; ++i) {
          const std::size_t c = static_cast<std::size_t>(j) * nx_ + i;
          if (pass == 0) ++cell_begin_[c + 1];
          else cell_tiles_[fill[c]++] = t;
        }
    }
  }
  stamp_.assign(T, 0);
}

template <class Visit>
void TileLocator::visit_box(double x0, double y0, double x1, double y1, Visit&& visit) const {
  if (tess_->tile_count() == 0) return;
  const int i0 = std::max(0, static_cast<int>(std::floor((x0 - x0_) / cell_w_)));
  const int j0 = std::max(0, static_cast<int>(std::floor((y0 - y0_) / cell_h_)));
  const int i1 = std::min(nx_ - 1, static_cast<int>(std::floor((x1 - x0_) / cell_w_)));
  const int j1 = std::min(ny_ - 1, static_cast<int>(std::floor((y1 - y0_) / cell_h_)));
  if (++stamp_now_ == 0) { // wrapped: reset the stamps
    std::fill(stamp_.begin(), stamp_.end(), 0u);
    stamp_now_ = 1;
  }
  for (int j = j0; j <= j1; ++j)
    for (int i = i0; i <= i1; ++i) {
      const std::size_t c = static_cast<std::size_t>(j) * nx_ + i;
      for (int k = cell_begin_[c]; k < cell_begin_[c + 1]; ++k) {
        const int t = cell_tiles_[k];
        if (stamp_[t] == stamp_now_) continue;
        stamp_[t] = stamp_now_;
        const Eigen::Vector4d& b = boxes_[t];
        if (b(2) < x0 || b(0) > x1 || b(3) < y0 || b(1) > y1) continue;
        visit(t);
      }
    }
}

int TileLocator::locate(const Eigen::Vector2d& p) const {
  const Tessellation& tess = *tess_;
  int best = -1;
  double best_slack = -std::numeric_limits<double>::infinity();
  visit_box(p.x(), p.y(), p.x(), p.y(), [&](int t) {
    // Smallest signed distance of p inside the tile's sides (negative: outside).
    const Tile& tile = tess.tiles[t];
    double slack = std::numeric_limits<double>::infinity();
    for (int i = 0; i < tile.edge_count; ++i) {
      const TileEdge& e = tess.edges[tile.first_edge + i];
      const Eigen::Vector2d a = tess.vertices[e.from], d = tess.vertices[e.to] - a;
      const double len = d.norm();
      if (len == 0) continue;
      slack = std::min(slack, (d.x() * (p.y() - a.y()) - d.y() * (p.x() - a.x())) / len);
    }
    if (slack > best_slack) {
      best_slack = slack;
      best = t;
    }
  });
  // Points on an edge have slack 0 in two tiles; points within rounding outside every tile (a
  // vertex a hair off its neighbours' sides) go to the nearest one. Outside the region: -1.
  const double scale = std::max(cell_w_ * nx_, cell_h_ * ny_);
  return best_slack >= -1e-12 * scale ? best : -1;
}

namespace {

// Does the convex polygon (counter-clockwise) meet the open square |p - x|_inf < r?
bool meets_square(const Tessellation& tess, const Tile& tile, const Eigen::Vector2d& x, double r) {
  for (int i = 0; i < tile.edge_count; ++i) {
    const TileEdge& e = tess.edges[tile.first_edge + i];
    const Eigen::Vector2d a = tess.vertices[e.from], d = tess.vertices[e.to] - a;
    const Eigen::Vector2d n(d.y(), -d.x()); // outward normal
    // The square's lowest point along n is x - r (|n_x| + |n_y|) below x; the tile is n.(p-a) <= 0.
    if (n.dot(x - a) - r * (std::abs(n.x()) + std::abs(n.y())) >= 0) return false;
  }
  return true; // the caller has checked the bounding boxes (the square's own axes)
}

// Does the convex polygon meet the open disk |p - x| < r?
bool meets_disk(const Tessellation& tess, const Tile& tile, const Eigen::Vector2d& x, double r) {
  bool inside = true;
  double nearest2 = std::numeric_limits<double>::infinity();
  for (int i = 0; i < tile.edge_count; ++i) {
    const TileEdge& e = tess.edges[tile.first_edge + i];
    const Eigen::Vector2d a = tess.vertices[e.from], d = tess.vertices[e.to] - a;
    const double len2 = d.squaredNorm();
    if (d.x() * (x.y() - a.y()) - d.y() * (x.x() - a.x()) < 0) inside = false;
    const double s = len2 > 0 ? std::min(std::max((x - a).dot(d) / len2, 0.0), 1.0) : 0.0;
    nearest2 = std::min(nearest2, (a + s * d - x).squaredNorm());
  }
  return inside || nearest2 < r * r;
}

} // namespace

std::vector<int> TileLocator::tiles_meeting(const Eigen::Vector2d& x, double r,
                                            Neighbourhood shape) const {
  std::vector<int> out;
  if (!(r > 0)) return out;
  const Tessellation& tess = *tess_;
  visit_box(x.x() - r, x.y() - r, x.x() + r, x.y() + r, [&](int t) {
    const Eigen::Vector4d& b = boxes_[t];
    if (b(2) <= x.x() - r || b(0) >= x.x() + r || b(3) <= x.y() - r || b(1) >= x.y() + r) return;
    const Tile& tile = tess.tiles[t];
    if (shape == Neighbourhood::square ? meets_square(tess, tile, x, r) : meets_disk(tess, tile, x, r))
      out.push_back(t);
  });
  std::sort(out.begin(), out.end());
  return out;
}

int TileLocator::count_meeting(const Eigen::Vector2d& x, double r, Neighbourhood shape) const {
  return static_cast<int>(tiles_meeting(x, r, shape).size());
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Local complexity
// -----------------------------------------------------------------------------------------------

LocalComplexity local_complexity(const Tessellation& tess, const Eigen::MatrixXd& points, double r,
                                 Neighbourhood shape) {
  LocalComplexity out;
  if (points.rows() != 2) return out;
  const TileLocator locator(tess);
  out.counts.resize(points.cols());
  double sum = 0;
  for (Eigen::Index p = 0; p < points.cols(); ++p) {
    out.counts[p] = locator.count_meeting(points.col(p), r, shape);
    sum += out.counts[p];
  }
  out.mean = points.cols() > 0 ? sum / static_cast<double>(points.cols()) : 0.0;
  return out;
}

LocalComplexity frame_complexity(const Network& net_in, const Eigen::MatrixXd& X, double r) {
  LocalComplexity out;
  if (X.rows() != net_in.input_dim || net_in.layers.empty()) return out;
  const Network net = net_in.folded();
  const int D = net.input_dim;
  const int frame = 2 * D;
  const Eigen::Index n = X.cols();
  out.counts.assign(n, 0);
  // Chunks bound the memory to (max(D, n_l), 4096) matrices, whatever D: 1,024 points a chunk
  // in the plane, 2 at D = 784 (each point's frame is then 1,568 points; a fixed 1,024 points a
  // chunk would have asked for 10 GB there).
  const Eigen::Index chunk = std::max<Eigen::Index>(1, 4096 / frame);
  for (Eigen::Index first = 0; first < n; first += chunk) {
    const Eigen::Index m = std::min(chunk, n - first);
    Eigen::MatrixXd Z(D, m * frame); // (D, m * 2D): x + r e_d, then x - r e_d, per point
    for (Eigen::Index p = 0; p < m; ++p)
      for (int d = 0; d < D; ++d) {
        Z.col(p * frame + 2 * d) = X.col(first + p);
        Z(d, p * frame + 2 * d) += r;
        Z.col(p * frame + 2 * d + 1) = X.col(first + p);
        Z(d, p * frame + 2 * d + 1) -= r;
      }
    Eigen::MatrixXd H;
    for (int l = 0; l < net.hidden_layers(); ++l) {
      const Layer& layer = net.layers[l];
      H.noalias() = layer.W * Z; // (n_l, m * 2D)
      H.colwise() += layer.b;
      if (layer.activation != Activation::linear) {
        for (Eigen::Index p = 0; p < m; ++p)
          for (Eigen::Index k = 0; k < H.rows(); ++k) {
            const bool first_sign = H(k, p * frame) > 0;
            for (int q = 1; q < frame; ++q)
              if ((H(k, p * frame + q) > 0) != first_sign) {
                ++out.counts[first + p];
                break;
              }
          }
      }
      for (Eigen::Index i = 0; i < H.size(); ++i)
        H.data()[i] *= activation_slope(layer.activation, layer.alpha, H.data()[i]);
      Z.swap(H);
    }
  }
  double sum = 0;
  for (int c : out.counts) sum += c;
  out.mean = n > 0 ? sum / static_cast<double>(n) : 0.0;
  return out;
}

} // namespace splinescope
