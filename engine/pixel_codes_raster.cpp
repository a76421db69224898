// pixel_codes_raster.cpp - pixel code hashes from the exact tessellation (see pixel_codes.h).
//
// A tile is convex, so the pixel centres it contains form one run per pixel row. Each row's run
// comes from intersecting the row with the tile's edges; an edge shared by two tiles is
// intersected from the same endpoints in the same order on both sides, so the two runs meet
// without a gap or an overlap. Pixels too close to an edge to trust the tessellation's rounding,
// pixels on a row through a tile's top or bottom vertex, and any pixel no tile or two tiles claim
// are evaluated directly.
#include "geometry.h"
#include "pixel_codes.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace splinescope {

namespace {

constexpr double kNearEdge = 1e-6;      // of the window's larger side: "on an edge", evaluated
constexpr long long kPixelsPerTile = 16; // fewer pixels per tile: evaluating them all is cheaper
constexpr long long kMinPixels = 4096;

enum : std::uint8_t { kUnset = 0, kFilled = 1, kDirect = 2 };

} // namespace

std::vector<CodeHash> pixel_code_hashes(const Network& net, const Window& window, int width,
                                        int height, int layers) {
  const long long pixels = static_cast<long long>(width) * height;
  if (net.input_dim != 2 || width < 1 || height < 1 || pixels > (1LL << 26) || pixels < kMinPixels)
    return pixel_code_hashes_direct(net, window, width, height, layers); // (it reports errors)

  TessellationOptions options;
  options.layers = layers;
  options.max_tiles = static_cast<int>(std::max<long long>(64, pixels / kPixelsPerTile));
  const Tessellation tess = tessellate(net, window, options);
  if (!tess.ok()) return pixel_code_hashes_direct(net, window, width, height, layers);

  // Pixel centres exactly as pixel_code_hashes_direct computes them.
  auto centre_x = [&](int i) { return window.x0 + (i + 0.5) / width * window.width(); };
  auto centre_y = [&](int j) { return window.y1 - (j + 0.5) / height * window.height(); };
  const double near = kNearEdge * std::max(window.width(), window.height());
  const double step_x = window.width() / width, step_y = window.height() / height;

  std::vector<CodeHash> out(static_cast<std::size_t>(pixels));
  std::vector<std::uint8_t> state(static_cast<std::size_t>(pixels), kUnset);
  std::vector<Eigen::Vector2d> poly;
  for (int t = 0; t < tess.tile_count(); ++t) {
    const Tile& tile = tess.tiles[t];
    const CodeHash hash = code_hash(tile.code, tess.code_neurons);
    poly.clear();
    double ymin = std::numeric_limits<double>::infinity(), ymax = -ymin;
    for (int e = tile.first_edge; e < tile.first_edge + tile.edge_count; ++e) {
      const Eigen::Vector2d& v = tess.vertices[tess.edges[e].from];
      poly.push_back(v);
      ymin = std::min(ymin, v.y());
      ymax = std::max(ymax, v.y());
    }
    const int k = static_cast<int>(poly.size());
    const int j_first = std::max(0, static_cast<int>(std::floor((window.y1 - ymax) / step_y - 0.5)) - 1);
    const int j_last =
        std::min(height - 1, static_cast<int>(std::ceil((window.y1 - ymin) / step_y - 0.5)) + 1);
    for (int j = j_first; j <= j_last; ++j) {
      const double y = centre_y(j);
      if (y < ymin - near || y > ymax + near) continue;
      // The row's run [xl, xr] inside the tile.
      double xl = std::numeric_limits<double>::infinity(), xr = -xl;
      for (int a = 0; a < k; ++a) {
        Eigen::Vector2d p = poly[a], q = poly[(a + 1) % k];
        if (p.y() == q.y()) continue;
        if (p.y() > q.y() || (p.y() == q.y() && p.x() > q.x())) std::swap(p, q); // one order
        if (y < p.y() || y > q.y()) continue;
        const double x = p.x() + (y - p.y()) * (q.x() - p.x()) / (q.y() - p.y());
        xl = std::min(xl, x);
        xr = std::max(xr, x);
      }
      if (!(xl <= xr)) continue;
      const bool vertex_row = std::fabs(y - ymin) < near || std::fabs(y - ymax) < near;
      const int i_first = std::max(0, static_cast<int>(std::floor((xl - window.x0) / step_x - 0.5)) - 1);
      const int i_last =
          std::min(width - 1, static_cast<int>(std::ceil((xr - window.x0) / step_x - 0.5)) + 1);
      std::uint8_t* row_state = &state[static_cast<std::size_t>(j) * width];
      CodeHash* row_out = &out[static_cast<std::size_t>(j) * width];
      for (int i = i_first; i <= i_last; ++i) {
        const double x = centre_x(i);
        if (x < xl - near || x > xr + near) continue;
        if (vertex_row || x < xl + near || x > xr - near || row_state[i] != kUnset) {
          row_state[i] = kDirect;
        } else {
          row_state[i] = kFilled;
          row_out[i] = hash;
        }
      }
    }
  }

  // Every pixel not filled exactly once, evaluated directly.
  std::vector<std::size_t> rest;
  for (std::size_t p = 0; p < state.size(); ++p)
    if (state[p] != kFilled) rest.push_back(p);
  if (!rest.empty()) {
    Eigen::MatrixXd X(2, static_cast<Eigen::Index>(rest.size())); // (2, points)
    for (std::size_t r = 0; r < rest.size(); ++r) {
      X(0, static_cast<Eigen::Index>(r)) = centre_x(static_cast<int>(rest[r] % width));
      X(1, static_cast<Eigen::Index>(r)) = centre_y(static_cast<int>(rest[r] / width));
    }
    const std::vector<Code> codes = activation_codes(net, X);
    for (std::size_t r = 0; r < rest.size(); ++r) out[rest[r]] = code_hash(codes[r], tess.code_neurons);
  }
  return out;
}

} // namespace splinescope
