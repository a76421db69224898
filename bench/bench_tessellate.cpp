// bench_tessellate.cpp - figures for the exact tessellation: tiles, time (best of several runs),
// microseconds per tile, the decision boundary on top, and how many tiles pixel grids miss.
//
// Usage: bench_tessellate [--runs N] [--no-large-grid] [--no-grid]
//   --no-large-grid skips the 2048^2 pixel grid (slow without SIMD, e.g. in WebAssembly);
//   --no-grid skips both pixel grids (timings only).
// Networks: He-initialised ReLU, fixed seeds, window [-3, 3]^2. The target: 2-32^4-1
// tessellated with its decision boundary in <= 4 ms native, <= 8 ms in wasm.
#include "geometry.h"
#include "network.h"
#include "pixel_codes.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>
#include <vector>

using namespace splinescope;

namespace {

double now_ms() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

template <class F> double best_of(int runs, F&& f) {
  double best = 1e300;
  for (int r = 0; r < runs; ++r) {
    const double t0 = now_ms();
    f();
    best = std::min(best, now_ms() - t0);
  }
  return best;
}

struct GridMiss {
  int distinct = 0; // distinct pixel codes
  int unknown = 0;  // pixel codes no tile has (0 when the tessellation is exact)
};

GridMiss grid_miss(const Network& net, const Window& window, int size, const std::set<std::uint64_t>& exact) {
  const std::vector<CodeHash> pixels = pixel_code_hashes(net, window, size, size);
  std::set<std::uint64_t> seen;
  GridMiss m;
  for (const CodeHash& h : pixels) {
    if (seen.insert(h.value()).second && !exact.count(h.value())) ++m.unknown;
  }
  m.distinct = static_cast<int>(seen.size());
  return m;
}

} // namespace

int main(int argc, char** argv) {
  int runs = 15;
  bool large_grid = true, grids = true;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--runs") && i + 1 < argc) runs = std::max(1, std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--no-large-grid")) large_grid = false;
    else if (!std::strcmp(argv[i], "--no-grid")) grids = large_grid = false;
  }
  struct Case {
    const char* name;
    std::vector<int> hidden;
    std::uint64_t seed;
  };
  const Case cases[] = {{"2-16^3-1", {16, 16, 16}, 1}, {"2-32^4-1", {32, 32, 32, 32}, 2}, {"2-64^3-1", {64, 64, 64}, 3}};
  const Window window{-3, 3, -3, 3};

  std::printf("exact tessellation of [-3, 3]^2, He-initialised ReLU networks, best of %d runs\n\n", runs);
  std::printf("%-10s %7s %-24s %8s %8s %8s %10s %8s %8s %14s %14s\n", "network", "tiles",
              "tiles per layer", "fresh ms", "ms", "us/tile", "+boundary", "us/tile", "b.tiles",
              "512^2 misses", "2048^2 misses");
  double target_ms = -1;
  for (const Case& c : cases) {
    NetworkSpec spec;
    spec.hidden = c.hidden;
    const Network net = make_network(spec, c.seed);
    // Fresh: every call allocates. Reused: one workspace and one Tessellation kept between calls,
    // as the app does every frame.
    const Slice slice = standard_slice(2);
    const Polygon region = window_polygon(window);
    Tessellation tess;
    const double t_fresh = best_of(runs, [&] { tess = tessellate(net, window); });
    TessellationWorkspace workspace;
    const double t_tess = best_of(runs, [&] { tessellate_into(tess, workspace, net, slice, region); });
    Contour boundary;
    const double t_both = best_of(runs, [&] {
      tessellate_into(tess, workspace, net, slice, region);
      boundary = decision_boundary(tess);
    });
    if (!tess.ok()) {
      std::printf("%-10s failed: %s\n", c.name, tess.message.c_str());
      continue;
    }
    std::string per_layer;
    for (std::size_t l = 0; l < tess.tiles_per_layer.size(); ++l)
      per_layer += (l ? "/" : "") + std::to_string(tess.tiles_per_layer[l]);
    std::set<std::uint64_t> exact;
    for (const Tile& t : tess.tiles) exact.insert(code_hash(t.code).value());
    char m512[32] = "skipped", m2048[32] = "skipped";
    if (grids) {
      const GridMiss g512 = grid_miss(net, window, 512, exact);
      std::snprintf(m512, sizeof m512, "%d (%d?)", tess.tile_count() - g512.distinct, g512.unknown);
    }
    if (large_grid) {
      const GridMiss g2048 = grid_miss(net, window, 2048, exact);
      std::snprintf(m2048, sizeof m2048, "%d (%d?)", tess.tile_count() - g2048.distinct, g2048.unknown);
    }
    std::printf("%-10s %7d %-24s %8.3f %8.3f %8.3f %10.3f %8.3f %8zu %14s %14s\n", c.name,
                tess.tile_count(), per_layer.c_str(), t_fresh, t_tess,
                t_tess * 1e3 / tess.tile_count(), t_both, t_both * 1e3 / tess.tile_count(),
                boundary.tiles.size(), m512, m2048);
    if (!std::strcmp(c.name, "2-32^4-1")) target_ms = t_both;
    std::fflush(stdout);
  }
  std::printf("\nfresh: tessellate() allocating everything; ms: tessellate_into() with a reused\n"
              "workspace; +boundary: that and decision_boundary() together (ms, then us/tile).\n"
              "Misses: exact tiles no pixel centre falls in; (n?) counts pixel codes absent from\n"
              "the tessellation (always 0).\n");
  if (target_ms >= 0)
    std::printf("\n2-32^4-1 with its decision boundary: %.3f ms "
                "(issue target: <= 4 ms native, <= 8 ms wasm)\n",
                target_ms);
  return 0;
}
