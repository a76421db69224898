// Exact tessellation: tile counts against line-arrangement formulas, areas against the window,
// affine pieces and codes against the forward pass, adjacency, pixel grids, decision boundaries,
// level sets and neuron zero sets against the network, local complexity against brute-force
// grids, degenerate constructions, budgets, slices, statistics and export.
#include "code_hash.h"
#include "engine_limits.h"
#include "geometry.h"
#include "geometry_reference.h"
#include "network.h"
#include "pixel_codes.h"
#include "random.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

using namespace splinescope;

namespace {

// A 1-hidden-layer ReLU network whose neurons are the given lines a x + b y + c = 0 (rows of
// (a, b, c)); its first-layer tiling is the arrangement of those lines.
Network line_network(const std::vector<Eigen::Vector3d>& lines, std::uint64_t seed = 1) {
  NetworkSpec spec;
  spec.hidden = {static_cast<int>(lines.size())};
  Network net = make_network(spec, seed);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    net.layers[0].W(i, 0) = lines[i](0);
    net.layers[0].W(i, 1) = lines[i](1);
    net.layers[0].b(i) = lines[i](2);
  }
  return net;
}

// Random lines through random points of the window, so each one crosses its interior.
std::vector<Eigen::Vector3d> random_lines(int n, const Window& w, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<Eigen::Vector3d> lines;
  for (int i = 0; i < n; ++i) {
    const double px = rng.uniform(w.x0, w.x1), py = rng.uniform(w.y0, w.y1);
    const double angle = rng.uniform(0, 3.141592653589793);
    const double a = std::sin(angle), b = -std::cos(angle);
    lines.emplace_back(a, b, -(a * px + b * py));
  }
  return lines;
}

// Crossings of the lines strictly inside the window.
int crossings_inside(const std::vector<Eigen::Vector3d>& lines, const Window& w) {
  int count = 0;
  for (std::size_t i = 0; i < lines.size(); ++i)
    for (std::size_t j = i + 1; j < lines.size(); ++j) {
      Eigen::Matrix2d M;
      M << lines[i](0), lines[i](1), lines[j](0), lines[j](1);
      if (std::abs(M.determinant()) < 1e-12) continue;
      const Eigen::Vector2d p = M.inverse() * Eigen::Vector2d(-lines[i](2), -lines[j](2));
      count += p.x() > w.x0 && p.x() < w.x1 && p.y() > w.y0 && p.y() < w.y1;
    }
  return count;
}

double window_area(const Window& w) { return w.width() * w.height(); }

Eigen::MatrixXd columns(const std::vector<Eigen::Vector2d>& points) {
  Eigen::MatrixXd X(2, points.size()); // (2, n)
  for (std::size_t i = 0; i < points.size(); ++i) X.col(i) = points[i];
  return X;
}

// Random points strictly inside tile t: convex combinations of its vertices with random weights.
std::vector<Eigen::Vector2d> interior_points(const Tessellation& tess, int t, int count, Rng& rng) {
  const Polygon poly = tess.polygon(t);
  std::vector<Eigen::Vector2d> out;
  for (int i = 0; i < count; ++i) {
    Eigen::Vector2d p = Eigen::Vector2d::Zero();
    double total = 0;
    for (const Eigen::Vector2d& v : poly) {
      const double w = rng.uniform(0.05, 1.0);
      p += w * v;
      total += w;
    }
    out.push_back(p / total);
  }
  return out;
}

// Batch-norm statistics and affine parameters away from the identity, so folding them matters.
void randomise_batch_norm(Network& net, std::uint64_t seed) {
  Rng rng(seed);
  for (int l = 0; l < net.hidden_layers(); ++l) {
    BatchNorm& bn = net.layers[l].bn;
    for (int k = 0; k < net.layers[l].width(); ++k) {
      bn.gamma(k) = rng.uniform(0.5, 2.0);
      bn.beta(k) = rng.uniform(-1, 1);
      bn.running_mean(k) = rng.uniform(-1, 1);
      bn.running_var(k) = rng.uniform(0.2, 3.0);
    }
  }
}

Network random_network(std::vector<int> hidden, Activation act, std::uint64_t seed, int outputs = 1,
                       bool batch_norm = false) {
  NetworkSpec spec;
  spec.hidden = std::move(hidden);
  spec.activation = act;
  spec.leaky_alpha = 0.1;
  spec.outputs = outputs;
  spec.batch_norm = batch_norm;
  spec.bias_init = BiasInit::normal;
  spec.bias_scale = 0.5;
  Network net = make_network(spec, seed);
  if (batch_norm) randomise_batch_norm(net, seed + 100);
  return net;
}

TessellationOptions depth(int layers) {
  TessellationOptions o;
  o.layers = layers;
  return o;
}

double total_area(const Tessellation& tess) {
  double a = 0;
  for (const Tile& t : tess.tiles) a += t.area;
  return a;
}

// Every piece against forward() and activation_codes() at the centroid and random interior points.
void check_pieces_against_forward(const Network& net, const Tessellation& tess, int per_tile,
                                  std::uint64_t seed) {
  Rng rng(seed);
  std::vector<Eigen::Vector2d> points;
  std::vector<int> owner;
  for (int t = 0; t < tess.tile_count(); ++t) {
    points.push_back(tess.tiles[t].centroid);
    owner.push_back(t);
    for (const Eigen::Vector2d& p : interior_points(tess, t, per_tile, rng)) {
      points.push_back(p);
      owner.push_back(t);
    }
  }
  const Eigen::MatrixXd P = columns(points);
  const Eigen::MatrixXd X = to_input_space(tess.slice, P);
  const Eigen::MatrixXd f = forward(net, X);
  const std::vector<Code> codes = activation_codes(net, X);
  double worst = 0;
  int wrong_codes = 0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const Eigen::VectorXd piece = tess.evaluate(owner[i], points[i]);
    worst = std::max(worst, (piece - f.col(i)).cwiseAbs().maxCoeff() /
                                std::max(1.0, f.col(i).cwiseAbs().maxCoeff()));
    wrong_codes += codes[i] != tess.tiles[owner[i]].code;
  }
  CHECK(worst < 1e-9);
  CHECK(wrong_codes == 0);
}

// Half-edge consistency: twins run the other way between the two tiles that name each other,
// boundary edges lie on the region's sides, and V - E + F = 1 for the disc.
void check_topology(const Tessellation& tess) {
  int undirected = 0;
  for (int t = 0; t < tess.tile_count(); ++t) {
    const Tile& tile = tess.tiles[t];
    for (int i = 0; i < tile.edge_count; ++i) {
      const int e = tile.first_edge + i;
      const TileEdge& edge = tess.edges[e];
      const TileEdge& next = tess.edges[tile.first_edge + (i + 1) % tile.edge_count];
      REQUIRE(edge.to == next.from);
      if (edge.twin >= 0) {
        const TileEdge& twin = tess.edges[edge.twin];
        REQUIRE(twin.twin == e);
        REQUIRE(twin.from == edge.to);
        REQUIRE(twin.to == edge.from);
        REQUIRE(twin.neighbour == t);
        REQUIRE(edge.neighbour >= 0);
        undirected += edge.twin > e;
      } else {
        REQUIRE(edge.neighbour == -1);
        REQUIRE(edge.layer == -1);
        ++undirected;
      }
    }
  }
  std::set<int> used;
  for (const TileEdge& e : tess.edges) used.insert(e.from);
  CHECK(static_cast<int>(used.size()) - undirected + tess.tile_count() == 1);
}

} // namespace

// -----------------------------------------------------------------------------------------------
// Line arrangements
// -----------------------------------------------------------------------------------------------

TEST_CASE("an arrangement of n lines in general position has 1 + n + I tiles in the window") {
  const Window window{-2, 3, -1.5, 2};
  for (int n : {1, 2, 5, 12, 30}) {
    for (std::uint64_t seed = 1; seed <= 4; ++seed) {
      // Lines through points of a larger box: some cross outside the window, some miss it.
      const Window wide{-4, 5, -3, 4};
      std::vector<Eigen::Vector3d> lines;
      for (const Eigen::Vector3d& l : random_lines(3 * n, wide, seed * 31 + n)) {
        // keep the lines that cross the window's interior (a corner on each side)
        int pos = 0, neg = 0;
        for (const Eigen::Vector2d& c : window_polygon(window)) {
          const double v = l(0) * c.x() + l(1) * c.y() + l(2);
          pos += v > 1e-9;
          neg += v < -1e-9;
        }
        if (pos > 0 && neg > 0 && static_cast<int>(lines.size()) < n) lines.push_back(l);
      }
      const Network net = line_network(lines, seed);
      const Tessellation tess = tessellate(net, window);
      REQUIRE(tess.ok());
      const int I = crossings_inside(lines, window);
      CAPTURE(n);
      CAPTURE(seed);
      CHECK(tess.tile_count() == 1 + static_cast<int>(lines.size()) + I);
      CHECK(tess.tiles_per_layer.front() == tess.tile_count());
      check_topology(tess);
    }
  }
}

TEST_CASE("crossings outside a small window do not count in the arrangement inside it") {
  // Four lines whose six crossings all lie outside [-0.5, 0.5]^2 except the one at the origin.
  const std::vector<Eigen::Vector3d> lines = {
      {1, 0, 0}, {0, 1, 0}, {1, 1, -3}, {1, -1, -3.5}};
  const Window window{-0.5, 0.5, -0.5, 0.5};
  const Tessellation tess = tessellate(line_network(lines), window);
  REQUIRE(tess.ok());
  // Lines 3 and 4 miss the window entirely: 1 + 2 + 1 tiles.
  CHECK(tess.tile_count() == 4);
  const Window big{-10, 10, -10, 10};
  const Tessellation whole = tessellate(line_network(lines), big);
  CHECK(whole.tile_count() == 1 + 4 + crossings_inside(lines, big));
  CHECK(crossings_inside(lines, big) == 6);
}

TEST_CASE("an arrangement inside a convex polygon region counts the crossings inside the polygon") {
  // Triangle (0,0), (4,0), (0,4); lines x = 1, y = 1, x + y = 3.5, x - y = 0.5.
  const Polygon triangle = {Eigen::Vector2d(0, 0), Eigen::Vector2d(4, 0), Eigen::Vector2d(0, 4)};
  const std::vector<Eigen::Vector3d> lines = {{1, 0, -1}, {0, 1, -1}, {1, 1, -3.5}, {1, -1, -0.5}};
  // Crossings: (1,1) in; (1,2.5) in; (1,0.5) in; (2.5,1) in; (1.5,1) in; (2,1.5) in -> 6 inside
  // (x + y < 4 and x, y > 0 for all six).
  const Tessellation tess = tessellate(line_network(lines), triangle);
  REQUIRE(tess.ok());
  CHECK(tess.tile_count() == 1 + 4 + 6);
  CHECK(total_area(tess) == doctest::Approx(8.0).epsilon(1e-12));
  check_topology(tess);
  // The same region listed clockwise is the same region.
  const Polygon clockwise = {triangle[2], triangle[1], triangle[0]};
  CHECK(tessellate(line_network(lines), clockwise).tile_count() == 11);
}

// -----------------------------------------------------------------------------------------------
// Areas, pieces, codes and adjacency
// -----------------------------------------------------------------------------------------------

TEST_CASE("tile areas sum to the window area for deep networks of every activation") {
  const Window window{-3, 3, -2, 2.5};
  for (Activation act : {Activation::relu, Activation::leaky_relu, Activation::abs}) {
    const Network net = random_network({10, 9, 8}, act, 5);
    const Tessellation tess = tessellate(net, window);
    REQUIRE(tess.ok());
    CHECK(std::abs(total_area(tess) - window_area(window)) <= 1e-9 * window_area(window));
    for (const Tile& t : tess.tiles) CHECK(t.area > 0);
    check_topology(tess);
  }
}

TEST_CASE("every tile's affine piece and code agree with forward() inside the tile") {
  const Window window{-3, 3, -3, 3};
  for (Activation act : {Activation::relu, Activation::leaky_relu, Activation::abs}) {
    for (int outputs : {1, 3}) {
      CAPTURE(to_string(act));
      CAPTURE(outputs);
      const Network net = random_network({9, 8, 7}, act, 11 + outputs, outputs);
      const Tessellation tess = tessellate(net, window);
      REQUIRE(tess.ok());
      CHECK(tess.map_rows == outputs);
      check_pieces_against_forward(net, tess, 4, 3);
    }
  }
}

TEST_CASE("tiles of mixed activations, a linear layer and batch norm agree with forward()") {
  NetworkSpec spec;
  spec.hidden = {8, 6, 7};
  spec.layer_activations = {Activation::abs, Activation::linear, Activation::leaky_relu};
  spec.leaky_alpha = 0.2;
  spec.bias_init = BiasInit::normal;
  const Network mixed = make_network(spec, 21);
  const Tessellation tess = tessellate(mixed, Window{});
  REQUIRE(tess.ok());
  // The linear layer cuts nothing: depth 2 has the tiles of depth 1.
  CHECK(tess.tiles_per_layer[1] == tess.tiles_per_layer[0]);
  check_pieces_against_forward(mixed, tess, 3, 4);

  const Network bn = random_network({8, 8}, Activation::relu, 23, 2, true);
  const Tessellation tbn = tessellate(bn, Window{});
  REQUIRE(tbn.ok());
  CHECK(std::abs(total_area(tbn) - 36.0) <= 1e-9 * 36.0);
  check_pieces_against_forward(bn, tbn, 3, 5);
}

TEST_CASE("neighbouring tiles differ in exactly the neuron that labels their shared edge") {
  for (Activation act : {Activation::relu, Activation::leaky_relu, Activation::abs}) {
    const Network net = random_network({10, 10, 6}, act, 31);
    const Tessellation tess = tessellate(net, Window{});
    REQUIRE(tess.ok());
    int checked = 0;
    for (int t = 0; t < tess.tile_count(); ++t) {
      const Tile& tile = tess.tiles[t];
      for (int i = 0; i < tile.edge_count; ++i) {
        const TileEdge& e = tess.edges[tile.first_edge + i];
        if (e.neighbour < 0) continue;
        const Code& other = tess.tiles[e.neighbour].code;
        REQUIRE(tile.code.distance(other) == 1);
        const int k = net.neuron_offset(e.layer) + e.neuron;
        REQUIRE(tile.code.bit(k) != other.bit(k));
        ++checked;
      }
    }
    CHECK(checked > 100);
  }
}

TEST_CASE("tile polygons are convex and counter-clockwise and their centroids lie inside") {
  const Network net = random_network({12, 12}, Activation::relu, 41);
  const Tessellation tess = tessellate(net, Window{-1, 2, -3, 0.5});
  REQUIRE(tess.ok());
  for (int t = 0; t < tess.tile_count(); ++t) {
    const Polygon p = tess.polygon(t);
    const Eigen::Vector2d c = tess.tiles[t].centroid;
    for (std::size_t i = 0; i < p.size(); ++i) {
      const Eigen::Vector2d a = p[i], b = p[(i + 1) % p.size()], d = p[(i + 2) % p.size()];
      const Eigen::Vector2d e1 = b - a, e2 = d - b;
      CHECK(e1.x() * e2.y() - e1.y() * e2.x() >= -1e-12 * e1.norm() * e2.norm());
      CHECK(e1.x() * (c.y() - a.y()) - e1.y() * (c.x() - a.x()) > 0);
    }
    CHECK(tess.corners(t).size() >= 3);
    CHECK(static_cast<int>(tess.corners(t).size()) == tess.tiles[t].corner_count);
  }
}

TEST_CASE("a dense pixel grid finds no code the tessellation lacks and every pixel lies in the tile with its code") {
  const Network net = random_network({12, 10, 8}, Activation::relu, 51);
  const Window window{-3, 3, -3, 3};
  const Tessellation tess = tessellate(net, window);
  REQUIRE(tess.ok());
  const int W = 300, H = 300;
  const std::vector<CodeHash> pixels = pixel_code_hashes_direct(net, window, W, H);
  std::set<std::uint64_t> exact;
  for (const Tile& t : tess.tiles) exact.insert(code_hash(t.code).value());
  CHECK(exact.size() == tess.tiles.size()); // one tile per code
  const TileLocator locator(tess);
  int misplaced = 0, unknown = 0;
  std::set<std::uint64_t> seen;
  for (int j = 0; j < H; ++j)
    for (int i = 0; i < W; ++i) {
      const CodeHash h = pixels[static_cast<std::size_t>(j) * W + i];
      seen.insert(h.value());
      unknown += exact.count(h.value()) == 0;
      const Eigen::Vector2d p(window.x0 + (i + 0.5) / W * window.width(),
                              window.y1 - (j + 0.5) / H * window.height());
      const int t = locator.locate(p);
      misplaced += t < 0 || code_hash(tess.tiles[t].code) != h;
    }
  CHECK(unknown == 0);
  CHECK(misplaced == 0);
  CHECK(seen.size() <= exact.size());
  CHECK(seen.size() > exact.size() * 8 / 10); // a 300^2 grid sees most tiles
}

// -----------------------------------------------------------------------------------------------
// Decision boundary, level sets, neuron zero sets
// -----------------------------------------------------------------------------------------------

TEST_CASE("decision boundary points have |f| <= 1e-9 and f changes sign across the boundary") {
  for (Activation act : {Activation::relu, Activation::leaky_relu, Activation::abs}) {
    const Network net = random_network({12, 12, 8}, act, 61);
    const Tessellation tess = tessellate(net, Window{});
    REQUIRE(tess.ok());
    const Contour boundary = decision_boundary(tess);
    REQUIRE_FALSE(boundary.polylines.empty());
    std::vector<Eigen::Vector2d> on, plus, minus;
    for (const Polyline& line : boundary.polylines) {
      for (const Eigen::Vector2d& p : line.points) on.push_back(p);
      for (std::size_t i = 0; i + 1 < line.points.size(); ++i) {
        const Eigen::Vector2d a = line.points[i], b = line.points[i + 1], d = b - a;
        if (d.norm() < 1e-4) continue;
        const Eigen::Vector2d n = Eigen::Vector2d(-d.y(), d.x()).normalized();
        plus.push_back(0.5 * (a + b) + 1e-6 * n);
        minus.push_back(0.5 * (a + b) - 1e-6 * n);
      }
    }
    const Eigen::MatrixXd f_on = forward(net, columns(on));
    CHECK(f_on.cwiseAbs().maxCoeff() <= 1e-9);
    const Eigen::MatrixXd fp = forward(net, columns(plus)), fm = forward(net, columns(minus));
    int same_sign = 0;
    for (Eigen::Index i = 0; i < fp.cols(); ++i) same_sign += (fp(0, i) > 0) == (fm(0, i) > 0);
    CHECK(same_sign == 0);
    CHECK(plus.size() > 5);
    // The crossed tiles are exactly the tiles whose vertices see both signs of f.
    std::set<int> crossed(boundary.tiles.begin(), boundary.tiles.end());
    for (int t = 0; t < tess.tile_count(); ++t) {
      double lo = 1e300, hi = -1e300;
      for (const Eigen::Vector2d& v : tess.polygon(t)) {
        const double f = tess.evaluate(t, v)(0);
        lo = std::min(lo, f);
        hi = std::max(hi, f);
      }
      if (lo < -1e-9 && hi > 1e-9) CHECK(crossed.count(t) == 1);
      if (lo > 1e-9 || hi < -1e-9) CHECK(crossed.count(t) == 0);
    }
  }
}

TEST_CASE("the decision boundary of a single line is one straight polyline across the window") {
  // f(x, y) = relu(x - 0.5) - relu(0.5 - x) ... = x - 0.5 everywhere: boundary x = 0.5.
  std::vector<Eigen::Vector3d> lines = {{1, 0, -0.5}, {-1, 0, 0.5}};
  Network net = line_network(lines);
  net.layers[1].W << 1, -1;
  net.layers[1].b << 0;
  const Tessellation tess = tessellate(net, Window{-1, 1, -1, 1});
  REQUIRE(tess.ok());
  CHECK(tess.tile_count() == 2); // the two neurons share one line
  const Contour boundary = decision_boundary(tess);
  REQUIRE(boundary.polylines.size() == 1);
  const Polyline& line = boundary.polylines[0];
  CHECK_FALSE(line.closed);
  for (const Eigen::Vector2d& p : line.points) CHECK(p.x() == doctest::Approx(0.5));
  const double length = (line.points.back() - line.points.front()).norm();
  CHECK(length == doctest::Approx(2.0));
  CHECK(boundary.flat_tiles == 0);
}

TEST_CASE("the multi-class decision boundary lies where the top two logits tie") {
  const Network net = random_network({10, 10}, Activation::relu, 71, 4);
  const Tessellation tess = tessellate(net, Window{});
  REQUIRE(tess.ok());
  const Contour boundary = decision_boundary(tess);
  REQUIRE_FALSE(boundary.polylines.empty());
  std::vector<Eigen::Vector2d> on, plus, minus;
  std::vector<std::pair<int, int>> pairs, pairs_across;
  for (const Polyline& line : boundary.polylines) {
    REQUIRE(line.class_a >= 0);
    REQUIRE(line.class_b > line.class_a);
    for (const Eigen::Vector2d& p : line.points) {
      on.push_back(p);
      pairs.emplace_back(line.class_a, line.class_b);
    }
    for (std::size_t i = 0; i + 1 < line.points.size(); ++i) {
      const Eigen::Vector2d a = line.points[i], b = line.points[i + 1], d = b - a;
      if (d.norm() < 1e-4) continue;
      const Eigen::Vector2d n = Eigen::Vector2d(-d.y(), d.x()).normalized();
      plus.push_back(0.5 * (a + b) + 1e-7 * n);
      minus.push_back(0.5 * (a + b) - 1e-7 * n);
      pairs_across.emplace_back(line.class_a, line.class_b);
    }
  }
  const Eigen::MatrixXd f = forward(net, columns(on)); // (4, n)
  for (Eigen::Index i = 0; i < f.cols(); ++i) {
    const auto [a, b] = pairs[i];
    CHECK(std::abs(f(a, i) - f(b, i)) <= 1e-9);
    for (int j = 0; j < 4; ++j) CHECK(f(a, i) >= f(j, i) - 1e-9);
  }
  const Eigen::MatrixXd fp = forward(net, columns(plus)), fm = forward(net, columns(minus));
  int wrong = 0;
  for (Eigen::Index i = 0; i < fp.cols(); ++i) {
    Eigen::Index ap, am;
    fp.col(i).maxCoeff(&ap);
    fm.col(i).maxCoeff(&am);
    const auto [a, b] = pairs_across[i];
    wrong += !((ap == a && am == b) || (ap == b && am == a));
  }
  CHECK(wrong == 0);
  CHECK(fp.cols() > 10);
}

TEST_CASE("three classes meeting at a point give three boundary polylines ending at one junction") {
  // f_0 = 0, f_1 = x, f_2 = y (through a linear hidden layer): the ties meet at the origin.
  NetworkSpec spec;
  spec.hidden = {2};
  spec.activation = Activation::linear;
  spec.outputs = 3;
  Network net = make_network(spec, 1);
  net.layers[0].W << 1, 0, 0, 1;
  net.layers[0].b << 0, 0;
  net.layers[1].W << 0, 0, 1, 0, 0, 1;
  net.layers[1].b << 0, 0, 0;
  const Tessellation tess = tessellate(net, Window{-1, 1, -1, 1});
  REQUIRE(tess.tile_count() == 1);
  const Contour boundary = decision_boundary(tess);
  REQUIRE(boundary.polylines.size() == 3);
  std::set<std::pair<int, int>> pairs;
  for (const Polyline& line : boundary.polylines) {
    pairs.insert({line.class_a, line.class_b});
    const bool front = line.points.front().norm() < 1e-12, back = line.points.back().norm() < 1e-12;
    CHECK(front != back); // one end at the junction, the other on the window
  }
  CHECK(pairs.size() == 3);
}

TEST_CASE("level sets f = t of a tessellation pass through points where forward() equals t") {
  NetworkSpec spec;
  spec.hidden = {10, 10};
  const Network net = make_network(spec, 81);
  const Tessellation tess = tessellate(net, Window{});
  REQUIRE(tess.ok());
  const Eigen::MatrixXd f_grid = forward(net, columns({Eigen::Vector2d(0, 0), Eigen::Vector2d(1, 1)}));
  for (double t : {f_grid(0, 0), 0.5 * (f_grid(0, 0) + f_grid(0, 1)), f_grid(0, 1)}) {
    const Contour level = level_set(tess, t);
    REQUIRE_FALSE(level.polylines.empty());
    std::vector<Eigen::Vector2d> on;
    for (const Polyline& line : level.polylines) on.insert(on.end(), line.points.begin(), line.points.end());
    const Eigen::MatrixXd f = forward(net, columns(on));
    CHECK((f.array() - t).abs().maxCoeff() <= 1e-9);
  }
}

TEST_CASE("a first-layer neuron's zero set is the chord of its line across the window, made of tile edges") {
  const Network net = random_network({6, 6}, Activation::relu, 91);
  const Window window{-3, 3, -3, 3};
  const Tessellation tess = tessellate(net, window);
  REQUIRE(tess.ok());
  for (int k = 0; k < 6; ++k) {
    const std::vector<Polyline> zero = neuron_zero_set(tess, 0, k);
    // Oracle: clip the line a.x + e = 0 to the window.
    const double a0 = net.layers[0].W(k, 0), a1 = net.layers[0].W(k, 1), e = net.layers[0].b(k);
    std::vector<Eigen::Vector2d> hits;
    for (double x : {window.x0, window.x1}) {
      const double y = -(a0 * x + e) / a1;
      if (y >= window.y0 && y <= window.y1) hits.emplace_back(x, y);
    }
    for (double y : {window.y0, window.y1}) {
      const double x = -(a1 * y + e) / a0;
      if (x > window.x0 && x < window.x1) hits.emplace_back(x, y);
    }
    double length = 0;
    for (const Polyline& line : zero)
      for (std::size_t i = 0; i + 1 < line.points.size(); ++i)
        length += (line.points[i + 1] - line.points[i]).norm();
    if (hits.size() == 2) {
      CHECK(zero.size() == 1);
      CHECK(length == doctest::Approx((hits[0] - hits[1]).norm()).epsilon(1e-9));
    } else {
      CHECK(zero.empty());
    }
  }
}

TEST_CASE("a deeper neuron's zero set is a bent polyline of tile edges on which its pre-activation vanishes") {
  const Network net = random_network({8, 8, 4}, Activation::relu, 93);
  const Tessellation tess = tessellate(net, Window{});
  REQUIRE(tess.ok());
  int bent = 0;
  for (int layer = 1; layer < 3; ++layer) {
    for (int k = 0; k < net.layers[layer].width(); ++k) {
      std::vector<Eigen::Vector2d> on;
      for (const Polyline& line : neuron_zero_set(tess, layer, k)) {
        on.insert(on.end(), line.points.begin(), line.points.end());
        bent += line.points.size() > 2;
      }
      if (on.empty()) continue;
      const ForwardGeometry g = forward_geometry(net, columns(on));
      CHECK(g.pre[layer].row(k).cwiseAbs().maxCoeff() <= 1e-9);
    }
  }
  CHECK(bent > 0);
}

// -----------------------------------------------------------------------------------------------
// Local complexity
// -----------------------------------------------------------------------------------------------

namespace {
// Brute force: distinct codes among grid points inside the square or the disk about x.
int grid_count(const Network& net, const Eigen::Vector2d& x, double r, Neighbourhood shape, int n) {
  std::vector<Eigen::Vector2d> pts;
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < n; ++i) {
      const Eigen::Vector2d p(x.x() - r + (i + 0.5) / n * 2 * r, x.y() - r + (j + 0.5) / n * 2 * r);
      if (shape == Neighbourhood::disk && (p - x).norm() >= r) continue;
      pts.push_back(p);
    }
  const std::vector<Code> codes = activation_codes(net, columns(pts));
  return static_cast<int>(std::set<Code>(codes.begin(), codes.end()).size());
}
} // namespace

TEST_CASE("exact local complexity equals brute-force counting of codes on a fine grid") {
  // A grid misses tiles that only graze the neighbourhood, so the oracle brackets the exact
  // count: codes on a grid inside radius r <= exact <= codes on a grid inside radius r + 0.02;
  // and most points have no grazing tile at all.
  const Network net = random_network({8, 8}, Activation::relu, 101);
  const Tessellation tess = tessellate(net, Window{-4, 4, -4, 4});
  REQUIRE(tess.ok());
  Rng rng(7);
  Eigen::MatrixXd points(2, 12); // (2, 12)
  for (int p = 0; p < 12; ++p) points.col(p) << rng.uniform(-2, 2), rng.uniform(-2, 2);
  for (Neighbourhood shape : {Neighbourhood::square, Neighbourhood::disk}) {
    for (double r : {0.3, 0.8}) {
      const LocalComplexity exact = local_complexity(tess, points, r, shape);
      double sum = 0;
      int equal = 0;
      for (int p = 0; p < 12; ++p) {
        const int inner = grid_count(net, points.col(p), r, shape, 250);
        const int outer = grid_count(net, points.col(p), r + 0.02, shape, 250);
        CAPTURE(p);
        CAPTURE(r);
        CHECK(inner <= exact.counts[p]);
        CHECK(exact.counts[p] <= outer);
        equal += inner == exact.counts[p];
        sum += exact.counts[p];
      }
      CHECK(equal >= 9);
      CHECK(exact.mean == doctest::Approx(sum / 12));
    }
  }
}

TEST_CASE("local complexity of a square equals the tile count of the square's own tessellation") {
  const Network net = random_network({10, 10, 10}, Activation::leaky_relu, 103);
  const Tessellation tess = tessellate(net, Window{});
  const TileLocator locator(tess);
  for (const Eigen::Vector2d& x : {Eigen::Vector2d(0.1, -0.2), Eigen::Vector2d(1.3, 0.7)}) {
    const double r = 0.4;
    const Tessellation local = tessellate(net, Window{x.x() - r, x.x() + r, x.y() - r, x.y() + r});
    CHECK(locator.count_meeting(x, r, Neighbourhood::square) == local.tile_count());
  }
}

TEST_CASE("the frame complexity estimate counts neurons whose sign changes over the frame points") {
  const Network net = random_network({9, 7}, Activation::relu, 107);
  Rng rng(3);
  Eigen::MatrixXd X(2, 40); // (2, 40)
  for (int p = 0; p < 40; ++p) X.col(p) << rng.uniform(-2, 2), rng.uniform(-2, 2);
  const double r = 0.25;
  const LocalComplexity frame = frame_complexity(net, X, r);
  for (int p = 0; p < 40; ++p) {
    Eigen::MatrixXd F(2, 4); // (2, 4) x +- r e_1, x +- r e_2
    F.col(0) = X.col(p) + Eigen::Vector2d(r, 0);
    F.col(1) = X.col(p) - Eigen::Vector2d(r, 0);
    F.col(2) = X.col(p) + Eigen::Vector2d(0, r);
    F.col(3) = X.col(p) - Eigen::Vector2d(0, r);
    const ForwardGeometry g = forward_geometry(net, F);
    int count = 0;
    for (int l = 0; l < 2; ++l)
      for (Eigen::Index k = 0; k < g.pre[l].rows(); ++k) {
        const int positive = (g.pre[l].row(k).array() > 0).count();
        count += positive > 0 && positive < 4;
      }
    CHECK(frame.counts[p] == count);
  }
}

TEST_CASE("points sampled along the decision boundary lie on it and feed local complexity") {
  const Network net = random_network({10, 10}, Activation::relu, 109);
  const Tessellation tess = tessellate(net, Window{});
  const Contour boundary = decision_boundary(tess);
  const Eigen::MatrixXd P = sample_polylines(boundary.polylines, 64); // (2, 64)
  REQUIRE(P.cols() == 64);
  CHECK(forward(net, P).cwiseAbs().maxCoeff() <= 1e-9);
  const LocalComplexity lc = local_complexity(tess, P, 0.2);
  for (int c : lc.counts) CHECK(c >= 1);
  CHECK(sample_polylines({}, 5).cols() == 0);
}

// -----------------------------------------------------------------------------------------------
// Degenerate constructions
// -----------------------------------------------------------------------------------------------

TEST_CASE("three lines through one point cut the window into six tiles (cuts through a vertex)") {
  const std::vector<Eigen::Vector3d> lines = {{1, 0, 0}, {0, 1, 0}, {1, -1, 0}};
  const Tessellation tess = tessellate(line_network(lines), Window{-1, 1, -1, 1});
  REQUIRE(tess.ok());
  CHECK(tess.tile_count() == 6);
  check_topology(tess);
  // A line through two window corners: the diagonal y = x alone gives two triangles.
  const Tessellation diag = tessellate(line_network({{1, -1, 0}}), Window{-1, 1, -1, 1});
  CHECK(diag.tile_count() == 2);
  for (const Tile& t : diag.tiles) CHECK(t.area == doctest::Approx(2.0));
}

TEST_CASE("identical, parallel and zero-weight neurons tessellate without gaps or extra tiles") {
  const Window window{-1, 1, -1, 1};
  // Two identical neurons: one line, two tiles; the duplicate's zero set is the same chord.
  const Tessellation twin = tessellate(line_network({{1, 2, 0.1}, {1, 2, 0.1}}), window);
  CHECK(twin.tile_count() == 2);
  CHECK(neuron_zero_set(twin, 0, 1).size() == 1);
  CHECK(neuron_zero_set(twin, 0, 0).size() == 1);
  // The same line with the opposite orientation.
  CHECK(tessellate(line_network({{1, 2, 0.1}, {-2, -4, -0.2}}), window).tile_count() == 2);
  // Four parallel lines: five strips.
  const Tessellation strips =
      tessellate(line_network({{1, 1, -0.5}, {1, 1, 0}, {1, 1, 0.5}, {2, 2, 1.6}}), window);
  CHECK(strips.tile_count() == 5);
  check_topology(strips);
  // A neuron with zero weights (and one with zero weights and zero bias) cuts nothing.
  const Tessellation zero = tessellate(line_network({{0, 0, 1}, {0, 0, 0}, {1, 0, 0}}), window);
  CHECK(zero.tile_count() == 2);
  check_pieces_against_forward(line_network({{0, 0, 1}, {0, 0, 0}, {1, 0, 0}}), zero, 3, 1);
  // A line along a side of the window cuts nothing but carries that side.
  const Tessellation side = tessellate(line_network({{1, 0, 1}, {0, 1, 0}}), window);
  CHECK(side.tile_count() == 2);
  CHECK(neuron_zero_set(side, 0, 0).size() == 1);
}

TEST_CASE("slivers thinner than the tolerance are not cut into tiles, thicker ones are") {
  const Window window{-1, 1, -1, 1};
  // Two lines 1e-13 apart (below tolerance * R = 1e-9 * sqrt 2): one cut.
  const Tessellation thin = tessellate(line_network({{1, 0.3, 0.2}, {1, 0.3, 0.2 + 1e-13}}), window);
  REQUIRE(thin.ok());
  CHECK(thin.tile_count() == 2);
  check_topology(thin);
  // 1e-7 apart: a sliver tile of positive area.
  const Tessellation sliver = tessellate(line_network({{1, 0.3, 0.2}, {1, 0.3, 0.2 + 1e-7}}), window);
  REQUIRE(sliver.ok());
  CHECK(sliver.tile_count() == 3);
  for (const Tile& t : sliver.tiles) CHECK(t.area > 0);
  CHECK(std::abs(total_area(sliver) - 4.0) <= 1e-12);
  // A line crossing another at a tiny angle near a window corner.
  const Tessellation grazing =
      tessellate(line_network({{1, 1, -1.999999}, {1, 1 + 1e-9, -1.999999}, {1, -1, 0}}), window);
  REQUIRE(grazing.ok());
  CHECK(std::abs(total_area(grazing) - 4.0) <= 1e-12);
  check_topology(grazing);
}

TEST_CASE("a deep network with a duplicated hidden neuron tessellates as without the duplicate") {
  Network net = random_network({6, 6, 5}, Activation::relu, 111);
  // Neuron 5 of layer 1 duplicates neuron 0: its bent zero set coincides with neuron 0's.
  net.layers[1].W.row(5) = net.layers[1].W.row(0);
  net.layers[1].b(5) = net.layers[1].b(0);
  const Tessellation tess = tessellate(net, Window{}, depth(2));
  REQUIRE(tess.ok());
  check_topology(tess);
  // Reference: neuron 5 never active and never cutting.
  Network single = net;
  single.layers[1].W.row(5).setZero();
  single.layers[1].b(5) = -1e6;
  const Tessellation reference = tessellate(single, Window{}, depth(2));
  CHECK(tess.tile_count() == reference.tile_count());
  // The duplicate's zero set is its twin's.
  double a = 0, b = 0;
  for (const Polyline& line : neuron_zero_set(tess, 1, 0))
    for (std::size_t i = 0; i + 1 < line.points.size(); ++i) a += (line.points[i + 1] - line.points[i]).norm();
  for (const Polyline& line : neuron_zero_set(tess, 1, 5))
    for (std::size_t i = 0; i + 1 < line.points.size(); ++i) b += (line.points[i + 1] - line.points[i]).norm();
  CHECK(a > 0);
  CHECK(b == doctest::Approx(a));
  check_pieces_against_forward(net, tessellate(net, Window{}), 2, 9);
}

// -----------------------------------------------------------------------------------------------
// Budgets, invalid input, slices, per-layer tilings
// -----------------------------------------------------------------------------------------------

TEST_CASE("a tessellation over its tile budget stops cleanly and reports the budget") {
  const Network net = random_network({32, 32}, Activation::relu, 121);
  TessellationOptions options;
  options.max_tiles = 50;
  const Tessellation tess = tessellate(net, Window{}, options);
  CHECK(tess.status == TessellationStatus::tile_budget_exceeded);
  CHECK_FALSE(tess.ok());
  CHECK(tess.tiles.empty());
  CHECK(tess.message.find("50") != std::string::npos);
  CHECK(decision_boundary(tess).polylines.empty());
  // Enough budget: fine.
  options.max_tiles = 100000;
  CHECK(tessellate(net, Window{}, options).ok());
}

TEST_CASE("a tessellation over its time budget stops cleanly with a caller-supplied clock") {
  const Network net = random_network({32, 32}, Activation::relu, 123);
  TessellationOptions options;
  double now = 0;
  options.clock_ms = [&now] { return now += 0.5; }; // every reading advances half a millisecond
  options.time_budget_ms = 5;
  const Tessellation tess = tessellate(net, Window{}, options);
  CHECK(tess.status == TessellationStatus::time_budget_exceeded);
  CHECK(tess.tiles.empty());
}

TEST_CASE("invalid regions and networks give an invalid-input tessellation, not a crash") {
  const Network net = random_network({4}, Activation::relu, 125);
  CHECK(tessellate(net, Polygon{Eigen::Vector2d(0, 0), Eigen::Vector2d(1, 0)}).status ==
        TessellationStatus::invalid_input);
  const Polygon dart = {Eigen::Vector2d(0, 0), Eigen::Vector2d(2, 1), Eigen::Vector2d(0, 2),
                        Eigen::Vector2d(0.5, 1)};
  CHECK(tessellate(net, dart).status == TessellationStatus::invalid_input);
  CHECK(tessellate(net, Window{1, 1, 0, 1}).status == TessellationStatus::invalid_input);
  Network broken = net;
  broken.layers[0].W(0, 0) = std::nan("");
  CHECK(tessellate(broken, Window{}).status == TessellationStatus::numerical_failure);
  Network huge = random_network({16, 16, 16}, Activation::relu, 127);
  for (Layer& layer : huge.layers) layer.W *= 1e120;
  const Tessellation overflow = tessellate(huge, Window{});
  CHECK((overflow.ok() || overflow.status == TessellationStatus::numerical_failure));
}

TEST_CASE("networks beyond the tessellation's limits are refused with a message naming the limit") {
  // make_network() refuses these shapes, so they are built by hand (as a hand-edited file could).
  const Network at_limits = random_network({kMaxWidth, 3}, Activation::relu, 131);
  REQUIRE(tessellate(at_limits, Window{}).ok());
  Network wide = at_limits; // one neuron more in the first hidden layer
  wide.layers[0].W.conservativeResize(kMaxWidth + 1, Eigen::NoChange);
  wide.layers[0].W.row(kMaxWidth).setOnes();
  wide.layers[0].b.conservativeResize(kMaxWidth + 1);
  wide.layers[0].b(kMaxWidth) = 0;
  wide.layers[1].W.conservativeResize(Eigen::NoChange, kMaxWidth + 1);
  wide.layers[1].W.col(kMaxWidth).setZero();
  const Tessellation a = tessellate(wide, Window{});
  CHECK(a.status == TessellationStatus::invalid_input);
  CHECK(a.message.find(std::to_string(kMaxWidth)) != std::string::npos);
  Network deep = random_network(std::vector<int>(kMaxHiddenLayers, 2), Activation::relu, 133);
  REQUIRE(tessellate(deep, Window{}).ok());
  deep.layers.insert(deep.layers.begin() + 1, deep.layers[1]); // a 2-to-2 hidden layer repeated
  CHECK(tessellate(deep, Window{}).status == TessellationStatus::invalid_input);
  NetworkSpec spec;
  spec.input_dim = kMaxInputDim;
  spec.hidden = {4};
  Network many_inputs = make_network(spec, 135);
  REQUIRE(tessellate(many_inputs, standard_slice(kMaxInputDim), window_polygon(Window{})).ok());
  many_inputs.input_dim = kMaxInputDim + 1;
  many_inputs.layers[0].W.conservativeResize(Eigen::NoChange, kMaxInputDim + 1);
  many_inputs.layers[0].W.col(kMaxInputDim).setOnes();
  const Tessellation c =
      tessellate(many_inputs, standard_slice(kMaxInputDim + 1), window_polygon(Window{}));
  CHECK(c.status == TessellationStatus::invalid_input);
  CHECK(c.message.find(std::to_string(kMaxInputDim)) != std::string::npos);
}

TEST_CASE("a region with repeated and collinear vertices tessellates as its clean polygon") {
  const Network net = random_network({6, 5}, Activation::relu, 129);
  const Polygon messy = {Eigen::Vector2d(-1, -1), Eigen::Vector2d(0, -1), Eigen::Vector2d(1, -1),
                         Eigen::Vector2d(1, -1),  Eigen::Vector2d(1, 0.5), Eigen::Vector2d(1, 1),
                         Eigen::Vector2d(-1, 1),  Eigen::Vector2d(-1, 0),  Eigen::Vector2d(-1, -1)};
  const Tessellation a = tessellate(net, messy);
  const Tessellation b = tessellate(net, Window{-1, 1, -1, 1});
  REQUIRE(a.ok());
  CHECK(a.region.size() == 4);
  CHECK(a.tile_count() == b.tile_count());
  CHECK(total_area(a) == doctest::Approx(4.0));
}

TEST_CASE("tiles of a 2-D slice of a 3-D input agree with forward() in the input space") {
  NetworkSpec spec;
  spec.input_dim = 3;
  spec.hidden = {10, 8};
  spec.bias_init = BiasInit::normal;
  const Network net = make_network(spec, 131);
  Slice slice;
  slice.origin = Eigen::Vector3d(0.3, -0.2, 0.5);
  slice.v1 = Eigen::Vector3d(1, 1, 0) / std::sqrt(2.0);
  slice.v2 = Eigen::Vector3d(0, 0.5, 1);
  const Polygon region = window_polygon(Window{-2, 2, -1.5, 1.5});
  const Tessellation tess = tessellate(net, slice, region);
  REQUIRE(tess.ok());
  CHECK(std::abs(total_area(tess) - 12.0) <= 1e-9 * 12.0);
  check_pieces_against_forward(net, tess, 3, 6);
  // The default slice of a 3-D network is the (x_1, x_2) plane through 0.
  const Tessellation standard = tessellate(net, Window{});
  REQUIRE(standard.ok());
  CHECK(standard.slice.v2(1) == 1.0);
  check_pieces_against_forward(net, standard, 2, 7);
}

TEST_CASE("the per-layer tessellations refine each other and count the tiles of every depth") {
  const Network net = random_network({8, 7, 6}, Activation::relu, 141);
  const Slice slice = standard_slice(2);
  const std::vector<Tessellation> layers = tessellate_layers(net, slice, window_polygon(Window{}));
  REQUIRE(layers.size() == 3);
  for (int l = 0; l < 3; ++l) {
    REQUIRE(layers[l].ok());
    CHECK(layers[l].depth == l + 1);
    CHECK(layers[l].tile_count() == layers[2].tiles_per_layer[l]);
    CHECK(layers[l].map_rows == (l < 2 ? net.layers[l + 1].width() : 1));
  }
  CHECK(layers[2].full_depth());
  // Every tile of depth 3 lies in the tile of depth 2 whose code is its code's prefix.
  const TileLocator coarse(layers[1]);
  const int prefix = net.neuron_offset(2);
  for (const Tile& t : layers[2].tiles) {
    const int c = coarse.locate(t.centroid);
    REQUIRE(c >= 0);
    CHECK(code_hash(layers[1].tiles[c].code) == code_hash(t.code, prefix));
  }
  // Depth 1 tiles' maps are the pre-activations of layer 2.
  check_topology(layers[0]);
  const Tessellation depth0 = tessellate(net, Window{}, depth(0));
  CHECK(depth0.tile_count() == 1);
  CHECK(depth0.map_rows == 8);
}

// -----------------------------------------------------------------------------------------------
// The fast tessellation against the straightforward one
// -----------------------------------------------------------------------------------------------

namespace {

// Networks of every kind the tessellator distinguishes: activations, a linear layer, batch norm,
// several outputs, small and normal biases, two to four hidden layers.
std::vector<Network> assorted_networks() {
  std::vector<Network> nets;
  const Activation acts[] = {Activation::relu, Activation::leaky_relu, Activation::abs};
  for (int i = 0; i < 18; ++i) {
    NetworkSpec spec;
    spec.activation = acts[i % 3];
    spec.leaky_alpha = 0.1;
    spec.hidden = i % 3 == 0 ? std::vector<int>{12, 10, 8}
                  : i % 3 == 1 ? std::vector<int>{16, 16}
                               : std::vector<int>{7, 9, 6, 5};
    spec.outputs = 1 + i % 4;
    spec.bias_init = i % 5 == 4 ? BiasInit::small : BiasInit::normal;
    spec.bias_scale = 0.5;
    spec.batch_norm = i % 4 == 3;
    if (i % 6 == 5) {
      spec.layer_activations.assign(spec.hidden.size(), Activation::relu);
      spec.layer_activations[0] = Activation::abs;
      spec.layer_activations[1] = Activation::linear;
      spec.layer_activations.back() = Activation::leaky_relu;
    }
    Network net = make_network(spec, 300 + i);
    if (spec.batch_norm) randomise_batch_norm(net, 400 + i);
    nets.push_back(net);
  }
  return nets;
}

double region_radius(const Tessellation& tess) {
  double r = 1;
  for (const Eigen::Vector2d& p : tess.region) r = std::max(r, p.norm());
  return r;
}

// The same tiles in the same order, with the same codes and edges; vertices, areas and maps
// equal up to rounding (vertices within 1e-12 of the region's radius, maps within 1e-12 of the
// tile's largest coefficient).
void check_same_tiles(const Tessellation& fast, const Tessellation& reference) {
  REQUIRE(fast.status == reference.status);
  REQUIRE(fast.tile_count() == reference.tile_count());
  REQUIRE(fast.edges.size() == reference.edges.size());
  REQUIRE(fast.vertices.size() == reference.vertices.size());
  CHECK(fast.tiles_per_layer == reference.tiles_per_layer);
  CHECK(fast.coincident.size() == reference.coincident.size());
  const double R = region_radius(reference);
  int codes = 0, tiles = 0, edges = 0, vertices = 0, maps = 0, areas = 0;
  for (int t = 0; t < fast.tile_count(); ++t) {
    const Tile& a = fast.tiles[t];
    const Tile& b = reference.tiles[t];
    codes += a.code != b.code;
    tiles += a.first_edge != b.first_edge || a.edge_count != b.edge_count ||
             a.corner_count != b.corner_count;
    areas += std::abs(a.area - b.area) > 1e-12 * R * R;
    const double scale = std::max({1.0, reference.tile_A(t).cwiseAbs().maxCoeff(),
                                   reference.tile_c(t).cwiseAbs().maxCoeff()});
    maps += (fast.tile_A(t) - reference.tile_A(t)).cwiseAbs().maxCoeff() > 1e-12 * scale ||
            (fast.tile_c(t) - reference.tile_c(t)).cwiseAbs().maxCoeff() > 1e-12 * scale;
  }
  for (std::size_t e = 0; e < fast.edges.size(); ++e) {
    const TileEdge& a = fast.edges[e];
    const TileEdge& b = reference.edges[e];
    edges += a.from != b.from || a.to != b.to || a.layer != b.layer || a.neuron != b.neuron ||
             a.neighbour != b.neighbour || a.twin != b.twin || a.coincident != b.coincident;
  }
  for (std::size_t v = 0; v < fast.vertices.size(); ++v)
    vertices += (fast.vertices[v] - reference.vertices[v]).cwiseAbs().maxCoeff() > 1e-12 * R;
  CHECK(codes == 0);
  CHECK(tiles == 0);
  CHECK(edges == 0);
  CHECK(vertices == 0);
  CHECK(areas == 0);
  CHECK(maps == 0);
}

} // namespace

TEST_CASE("the fast tessellation has the tiles, codes, edges, vertices and maps of the straightforward one") {
  const Window windows[] = {Window{-3, 3, -3, 3}, Window{-1.3, 2.1, -0.7, 0.9}};
  int compared = 0;
  for (const Network& net : assorted_networks()) {
    for (const Window& window : windows) {
      for (int layers : {-1, 1, 2}) {
        CAPTURE(compared);
        TessellationOptions options;
        options.layers = layers;
        Tessellation fast, reference;
        TessellationWorkspace workspace;
        tessellate_into(fast, workspace, net, standard_slice(2), window_polygon(window), options);
        tessellate_reference_into(reference, net, standard_slice(2), window_polygon(window),
                                  options);
        REQUIRE(reference.ok());
        check_same_tiles(fast, reference);
        ++compared;
      }
    }
  }
  // A 2-D slice of a 3-D input, over a hexagon.
  NetworkSpec spec;
  spec.input_dim = 3;
  spec.hidden = {10, 8, 6};
  spec.outputs = 2;
  spec.bias_init = BiasInit::normal;
  const Network net = make_network(spec, 151);
  Slice slice;
  slice.origin = Eigen::Vector3d(0.3, -0.2, 0.5);
  slice.v1 = Eigen::Vector3d(1, 1, 0) / std::sqrt(2.0);
  slice.v2 = Eigen::Vector3d(0, 0.5, 1);
  Polygon hexagon;
  for (int i = 0; i < 6; ++i) hexagon.emplace_back(2 * std::cos(i + 0.3), 1.5 * std::sin(i + 0.3));
  Tessellation fast, reference;
  TessellationWorkspace workspace;
  tessellate_into(fast, workspace, net, slice, hexagon);
  tessellate_reference_into(reference, net, slice, hexagon);
  check_same_tiles(fast, reference);
  CHECK(compared == 108);
}

TEST_CASE("the fast tessellation's decision boundary is the straightforward one's") {
  int lines = 0;
  for (const Network& net : assorted_networks()) {
    Tessellation fast, reference;
    TessellationWorkspace workspace;
    tessellate_into(fast, workspace, net, standard_slice(2), window_polygon(Window{}));
    tessellate_reference_into(reference, net, standard_slice(2), window_polygon(Window{}));
    const Contour a = decision_boundary(fast);
    const Contour b = decision_boundary(reference);
    CHECK(a.tiles == b.tiles);
    CHECK(a.flat_tiles == b.flat_tiles);
    REQUIRE(a.polylines.size() == b.polylines.size());
    for (std::size_t i = 0; i < a.polylines.size(); ++i) {
      const Polyline& p = a.polylines[i];
      const Polyline& q = b.polylines[i];
      CHECK(p.closed == q.closed);
      CHECK(p.class_a == q.class_a);
      CHECK(p.class_b == q.class_b);
      REQUIRE(p.points.size() == q.points.size());
      double worst = 0;
      for (std::size_t j = 0; j < p.points.size(); ++j)
        worst = std::max(worst, (p.points[j] - q.points[j]).cwiseAbs().maxCoeff());
      CHECK(worst <= 1e-12 * region_radius(reference));
      ++lines;
    }
  }
  CHECK(lines > 20);
}

TEST_CASE("a workspace that served a wide layer serves a narrower one with many more faces") {
  // The first network leaves room at depth 1 for a few faces' products of 64 rows (its third
  // layer), which holds many more of 4 rows: the second network's 500-odd faces of depth 1 (32
  // lines) need their bits and chains stored too (this overflowed them before they were sized on
  // their own).
  const Network wide = random_network({4, 4, 64}, Activation::relu, 7);
  const Network narrow = random_network({32, 4, 4}, Activation::relu, 8);
  TessellationWorkspace workspace;
  Tessellation reused;
  for (const Network* net : {&wide, &narrow, &wide, &narrow}) {
    tessellate_into(reused, workspace, *net, standard_slice(2), window_polygon(Window{}));
    const Tessellation fresh = tessellate(*net, Window{});
    REQUIRE(reused.ok());
    REQUIRE(reused.tile_count() == fresh.tile_count());
    int differ = 0;
    for (int t = 0; t < fresh.tile_count(); ++t)
      differ += reused.tiles[t].code != fresh.tiles[t].code || reused.tile_A(t) != fresh.tile_A(t) ||
                reused.tile_c(t) != fresh.tile_c(t);
    CHECK(differ == 0);
  }
  CHECK(narrow.layers[0].width() == 32);
}

TEST_CASE("a workspace reused across networks, depths and regions gives what a fresh one gives") {
  // Scratch kept between calls (sibling products, piece maps, rings) must never leak into the
  // next tessellation.
  const std::vector<Network> nets = assorted_networks();
  TessellationWorkspace workspace;
  Tessellation reused;
  for (std::size_t i = 0; i < nets.size(); ++i) {
    CAPTURE(i);
    TessellationOptions options;
    options.layers = static_cast<int>(i % 3) - 1;
    const Window window = i % 2 ? Window{-3, 3, -3, 3} : Window{-0.5, 1.5, -2, 0};
    tessellate_into(reused, workspace, nets[i], standard_slice(2), window_polygon(window), options);
    const Tessellation fresh = tessellate(nets[i], window, options);
    REQUIRE(reused.ok());
    REQUIRE(reused.tile_count() == fresh.tile_count());
    int differ = 0;
    for (int t = 0; t < fresh.tile_count(); ++t)
      differ += reused.tiles[t].code != fresh.tiles[t].code ||
                reused.tiles[t].centroid != fresh.tiles[t].centroid ||
                reused.tile_A(t) != fresh.tile_A(t) || reused.tile_c(t) != fresh.tile_c(t);
    CHECK(differ == 0);
    CHECK(reused.vertices == fresh.vertices);
  }
}

// -----------------------------------------------------------------------------------------------
// Statistics and export
// -----------------------------------------------------------------------------------------------

TEST_CASE("statistics of an arrangement count tiles, areas and the affine maps a dead neuron shares") {
  // f = relu(x) + relu(y) + 0 * relu(x - y + 0.3): the third neuron splits tiles without
  // changing f, so the maps are those of the arrangement of the first two lines.
  Network net = line_network({{1, 0, 0}, {0, 1, 0}, {1, -1, 0.3}});
  net.layers[1].W << 1, 1, 0;
  net.layers[1].b << 0;
  const Window window{-1, 1, -1, 1};
  const Tessellation tess = tessellate(net, window);
  REQUIRE(tess.ok());
  const int I = crossings_inside({{1, 0, 0}, {0, 1, 0}, {1, -1, 0.3}}, window);
  CHECK(tess.tile_count() == 1 + 3 + I);
  const TessellationStats stats = tessellation_stats(tess);
  CHECK(stats.tiles == tess.tile_count());
  CHECK(stats.distinct_codes == stats.tiles);
  CHECK(stats.distinct_maps == 4); // the quadrants
  CHECK(stats.area_total == doctest::Approx(4.0));
  CHECK(stats.area_min <= stats.area_median);
  CHECK(stats.area_median <= stats.area_max);
  CHECK(stats.corners_min >= 3);
  CHECK(stats.corners_max <= 5);
  CHECK(stats.tiles_per_layer == tess.tiles_per_layer);
  // f = relu(x) + relu(y) vanishes on the closed third quadrant: a flat tile, no crossing.
  CHECK(stats.boundary_tiles == 0);
  CHECK(decision_boundary(tess).flat_tiles >= 1);
}

TEST_CASE("a neuron's activity on a region is the area where it is positive, and on points its sign") {
  // Neuron 0: x > 0.5 (crosses [-1, 1]^2; active on a quarter of it). Neuron 1: x + 5 > 0 (active
  // on the whole window: its line lies outside). Neuron 2: -y - 5 > 0 (inactive everywhere in the
  // window, and on every point below).
  const Network net = line_network({{1, 0, -0.5}, {1, 0, 5}, {0, -1, -5}});
  const Window window{-1, 1, -1, 1};
  const Tessellation tess = tessellate(net, window);
  REQUIRE(tess.ok());
  Eigen::MatrixXd X(2, 4); // (2, 4)
  X << 0.9, -0.9, 0.2, 0.7,
       0.0, 0.3, -0.8, 0.5;
  const NeuronActivity cut = neuron_activity(tess, net, 0, 0, X);
  CHECK(cut.crosses_region);
  CHECK(cut.region_area == doctest::Approx(4.0));
  CHECK(cut.active_area == doctest::Approx(2.0 * 0.5)); // the strip x in (0.5, 1]
  CHECK(cut.points == 4);
  CHECK(cut.active_points == 2); // x = 0.9 and 0.7
  CHECK_FALSE(neuron_zero_set(tess, 0, 0).empty());
  const NeuronActivity outside = neuron_activity(tess, net, 0, 1, X);
  CHECK_FALSE(outside.crosses_region);
  CHECK(outside.active_area == doctest::Approx(4.0));
  CHECK(outside.active_points == 4);
  CHECK(neuron_zero_set(tess, 0, 1).empty());
  const NeuronActivity dead = neuron_activity(tess, net, 0, 2, X);
  CHECK_FALSE(dead.crosses_region);
  CHECK(dead.active_area == 0.0);
  CHECK(dead.active_points == 0);
  // Out of range: nothing.
  CHECK(neuron_activity(tess, net, 0, 3, X).points == 0);
  CHECK(neuron_activity(tess, net, 1, 0, X).points == 0);
}

TEST_CASE("a deeper neuron's active area agrees with a dense grid of forward passes") {
  NetworkSpec spec;
  spec.hidden = {8, 8};
  const Network net = make_network(spec, 11);
  const Window window{-2, 2, -2, 2};
  const Tessellation tess = tessellate(net, window);
  REQUIRE(tess.ok());
  const int n = 200;
  Eigen::MatrixXd grid(2, n * n); // (2, n^2) cell centres
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) grid.col(i * n + j) << -2 + 4 * (i + 0.5) / n, -2 + 4 * (j + 0.5) / n;
  for (int k = 0; k < 8; ++k) {
    const NeuronActivity a = neuron_activity(tess, net, 1, k, grid);
    const double grid_fraction = static_cast<double>(a.active_points) / a.points;
    CHECK(a.active_area / a.region_area == doctest::Approx(grid_fraction).epsilon(0.02));
    // The grid can miss a sliver thinner than its cells, never see a side that is not there.
    if (a.active_points > 0 && a.active_points < a.points) CHECK(a.crosses_region);
    if (!a.crosses_region) CHECK((a.active_points == 0 || a.active_points == a.points));
  }
}

TEST_CASE("boundary tile statistics count the tiles the decision boundary crosses") {
  const Network net = random_network({10, 10}, Activation::relu, 109);
  const Tessellation tess = tessellate(net, Window{});
  const Contour boundary = decision_boundary(tess);
  const TessellationStats stats = tessellation_stats(tess, &boundary);
  CHECK(stats.boundary_tiles == static_cast<int>(boundary.tiles.size()));
  CHECK(stats.boundary_tiles > 0);
  CHECK(stats.distinct_maps <= stats.distinct_codes);
  CHECK(stats.corners_mean >= 3);
}

TEST_CASE("the SVG export of a tessellation fills every tile with the app's palette and flips y") {
  const Network net = random_network({6, 6}, Activation::relu, 161);
  const Window window{-2, 3, -1, 1};
  const Tessellation tess = tessellate(net, window);
  const Contour boundary = decision_boundary(tess);
  SvgOptions options;
  options.colour_edges_by_layer = true;
  const std::string svg = tiles_to_svg(tess, &boundary, options);
  CHECK(svg.rfind("<svg", 0) == 0);
  CHECK(svg.find("viewBox=\"-2 -1 5 2\"") != std::string::npos);
  CHECK(svg.find("scale(1,-1)") != std::string::npos);
  CHECK(svg.find("height=\"320\"") != std::string::npos); // 800 * 2 / 5
  std::size_t fills = 0;
  for (std::size_t at = svg.find("<path fill="); at != std::string::npos; at = svg.find("<path fill=", at + 1))
    ++fills;
  CHECK(fills == tess.tiles.size());
  char hex[8];
  to_hex(tile_colour(code_hash(tess.tiles[0].code)), hex);
  CHECK(svg.find(std::string("fill=\"") + hex) != std::string::npos);
  CHECK(svg.find("id=\"boundary\"") != std::string::npos);
  CHECK(svg.find("stroke=\"#0072b2\"") != std::string::npos); // layer 1 edges (Okabe-Ito blue)
  CHECK(svg.find("stroke=\"#d55e00\"") != std::string::npos); // layer 2 edges (vermillion)
  CHECK(svg.find("stroke=\"#3a3a3a\"") == std::string::npos); // no region sides by layer
}

TEST_CASE("the light theme's SVG moves every tile colour the asked share of the way to white") {
  const Network net = random_network({5}, Activation::relu, 162);
  const Tessellation tess = tessellate(net, Window{-2, 2, -2, 2});
  SvgOptions options;
  options.wash = 0.5f;
  const std::string svg = tiles_to_svg(tess, nullptr, options);
  for (const Tile& tile : tess.tiles) {
    const Rgb c = tile_colour(code_hash(tile.code));
    // Closed form: halfway to white, channel by channel.
    const Rgb half{0.5f * (c.r + 1.0f), 0.5f * (c.g + 1.0f), 0.5f * (c.b + 1.0f)};
    char hex[8];
    to_hex(half, hex);
    CHECK(svg.find(std::string("fill=\"") + hex) != std::string::npos);
  }
  char unwashed[8];
  to_hex(tile_colour(code_hash(tess.tiles[0].code)), unwashed);
  CHECK(svg.find(std::string("fill=\"") + unwashed) == std::string::npos);
}

TEST_CASE("the SVG export draws a highlighted neuron on a dark casing, along that neuron's zero set") {
  const Network net = random_network({6, 6}, Activation::relu, 161);
  const Window window{-2, 3, -1, 1};
  const Tessellation tess = tessellate(net, window);
  SvgOptions options;
  options.neuron = neuron_zero_set(tess, 1, 2);
  REQUIRE(!options.neuron.empty());
  const std::string svg = tiles_to_svg(tess, nullptr, options);
  CHECK(tiles_to_svg(tess, nullptr, SvgOptions{}).find("id=\"neuron\"") == std::string::npos);
  const std::size_t group = svg.find("<g id=\"neuron\"");
  REQUIRE(group != std::string::npos);
  // Two paths: the casing (5 px: 5 * 5 / 800 plane units), then the orange line (3 px).
  const std::string casing = "<path stroke=\"#0d0d14\" stroke-width=\"0.03125\" d=\"";
  const std::string line = "<path stroke=\"#ff7814\" stroke-width=\"0.01875\" d=\"";
  const std::size_t at_casing = svg.find(casing, group), at_line = svg.find(line, group);
  REQUIRE(at_casing != std::string::npos);
  REQUIRE(at_line != std::string::npos);
  CHECK(at_casing < at_line);
  // Every point of the path: the neuron's pre-activation vanishes there (9 significant digits).
  const std::size_t from = at_line + line.size();
  std::string d = svg.substr(from, svg.find('"', from) - from);
  for (char& ch : d)
    if (ch == 'M' || ch == 'L' || ch == 'Z') ch = ' ';
  std::istringstream numbers(d);
  std::vector<Eigen::Vector2d> points;
  for (double x, y; numbers >> x >> y;) points.emplace_back(x, y);
  std::size_t expected = 0;
  for (const Polyline& l : options.neuron) expected += l.points.size();
  CHECK(points.size() == expected);
  const ForwardGeometry g = forward_geometry(net, columns(points));
  CHECK(g.pre[1].row(2).cwiseAbs().maxCoeff() <= 1e-7);
}

TEST_CASE("the JSON export lists every tile with its vertices, code bits per layer and affine piece") {
  const Network net = random_network({5, 4}, Activation::relu, 171, 2);
  const Tessellation tess = tessellate(net, Window{});
  const nlohmann::json j = nlohmann::json::parse(tiles_to_json(tess));
  CHECK(j["status"] == "ok");
  REQUIRE(j["tiles"].size() == tess.tiles.size());
  const nlohmann::json& t0 = j["tiles"][0];
  CHECK(t0["code"].get<std::string>() == tess.tiles[0].code.to_string(net));
  CHECK(t0["A"].size() == 2);
  CHECK(t0["A"][1][0].get<double>() == tess.A(1, 0));
  CHECK(t0["vertices"].size() == static_cast<std::size_t>(tess.tiles[0].edge_count));
  CHECK(t0["area"].get<double>() == doctest::Approx(tess.tiles[0].area));
}

// -----------------------------------------------------------------------------------------------
// Slices of 784-D inputs (the plane through three images)
// -----------------------------------------------------------------------------------------------

namespace {
// Three "images": pixels uniform in [0, 1], as Fashion-MNIST's scaled pixels are.
Eigen::VectorXd random_image(Rng& rng) {
  Eigen::VectorXd x(784); // (784)
  for (int p = 0; p < 784; ++p) x(p) = rng.uniform();
  return x;
}

Network image_network(std::uint64_t seed) {
  NetworkSpec spec;
  spec.input_dim = 784;
  spec.hidden = {16, 12};
  spec.outputs = 10;
  spec.bias_init = BiasInit::normal;
  spec.bias_scale = 0.5;
  return make_network(spec, seed);
}
} // namespace

TEST_CASE("tiles of the plane through three 784-D images agree with the full forward pass") {
  Rng rng(151);
  const Eigen::VectorXd a = random_image(rng), b = random_image(rng), c = random_image(rng);
  const Slice slice = slice_through(a, b, c);
  CHECK((to_input_space(slice, Eigen::Vector2d(1, 0)) - b).norm() < 1e-12);
  CHECK((to_input_space(slice, Eigen::Vector2d(0, 1)) - c).norm() < 1e-12);
  const Network net = image_network(152);
  const Polygon region = window_polygon(Window{-0.5, 1.5, -0.5, 1.5});
  const Tessellation tess = tessellate(net, slice, region);
  REQUIRE(tess.ok());
  REQUIRE(tess.tile_count() > 10); // the window is cut, or the test proves little
  CHECK(std::abs(total_area(tess) - 4.0) <= 1e-9 * 4.0);
  // Values and codes at every centroid and 3 random interior points per tile, from 784-D points.
  check_pieces_against_forward(net, tess, 3, 153);
  // Linear parts: the full 784-D Jacobian at the centroid, times the plane's axes [v1 v2].
  Eigen::MatrixXd P(2, tess.tile_count()); // (2, tiles)
  for (int t = 0; t < tess.tile_count(); ++t) P.col(t) = tess.tiles[t].centroid;
  const ForwardGeometry g = forward_geometry(net, to_input_space(slice, P));
  Eigen::MatrixXd V(784, 2); // (784, 2)
  V << slice.v1, slice.v2;
  double worst = 0;
  for (int t = 0; t < tess.tile_count(); ++t) {
    const Eigen::MatrixXd full = g.A[t] * V; // (10, 2)
    worst = std::max(worst, (full - tess.tile_A(t)).cwiseAbs().maxCoeff() /
                                std::max(1.0, full.cwiseAbs().maxCoeff()));
  }
  CHECK(worst < 1e-9);
}

TEST_CASE("the first layer projected onto a slice gives the full 784-D pass's codes at 10,000 plane points") {
  Rng rng(161);
  const Eigen::VectorXd a = random_image(rng), b = random_image(rng), c = random_image(rng);
  const Slice slice = slice_through(a, b, c);
  const Network net = image_network(162);
  const Network plane = restrict_to_slice(net, slice);
  REQUIRE(plane.input_dim == 2);
  REQUIRE(plane.layers[0].W.cols() == 2);
  Eigen::MatrixXd P(2, 10000); // (2, n): the triangle and well beyond it
  for (int j = 0; j < P.cols(); ++j) P.col(j) = Eigen::Vector2d(rng.uniform(-1, 2), rng.uniform(-1, 2));
  const Eigen::MatrixXd X = to_input_space(slice, P); // (784, n)
  const std::vector<Code> full = activation_codes(net, X);
  const std::vector<Code> projected = activation_codes(plane, P);
  int differ = 0, distinct_first_layer = 0;
  std::vector<std::uint64_t> seen;
  for (int j = 0; j < P.cols(); ++j) {
    differ += full[j] != projected[j];
    seen.push_back(full[j].words[0] & 0xFFFF); // layer 1's 16 bits
  }
  std::sort(seen.begin(), seen.end());
  distinct_first_layer = static_cast<int>(std::unique(seen.begin(), seen.end()) - seen.begin());
  CHECK(differ == 0);
  CHECK(distinct_first_layer > 5); // the points cross first-layer boundaries
  const Eigen::MatrixXd f_full = forward(net, X), f_plane = forward(plane, P); // (10, n)
  CHECK((f_full - f_plane).cwiseAbs().maxCoeff() <= 1e-9 * std::max(1.0, f_full.cwiseAbs().maxCoeff()));
  // The slice must fit the network.
  CHECK_THROWS_AS(restrict_to_slice(net, standard_slice(3)), std::invalid_argument);
}

TEST_CASE("the orthonormal plane through three images keeps input-space lengths and finds the images' coordinates") {
  Rng rng(171);
  const Eigen::VectorXd a = random_image(rng), b = random_image(rng), c = random_image(rng);
  const Slice slice = orthonormal_slice_through(a, b, c);
  CHECK(std::abs(slice.v1.norm() - 1) < 1e-12);
  CHECK(std::abs(slice.v2.norm() - 1) < 1e-12);
  CHECK(std::abs(slice.v1.dot(slice.v2)) < 1e-12);
  // The images' coordinates: a at 0, b on the u axis at |b - a|, c at its projections, and the
  // points they stand for are the images (all three lie in the plane).
  const Eigen::Vector2d ua = plane_coordinates(slice, a), ub = plane_coordinates(slice, b),
                        uc = plane_coordinates(slice, c);
  CHECK(ua.norm() < 1e-9);
  CHECK(std::abs(ub.x() - (b - a).norm()) < 1e-9);
  CHECK(std::abs(ub.y()) < 1e-9);
  CHECK(std::abs(uc.x() - (c - a).dot(b - a) / (b - a).norm()) < 1e-9);
  for (const Eigen::VectorXd* x : {&a, &b, &c}) {
    const Eigen::Vector2d p = plane_coordinates(slice, *x);
    CHECK((to_input_space(slice, p) - *x).norm() < 1e-9);
  }
  // Distances in the plane are those between the images.
  CHECK(std::abs((ub - uc).norm() - (b - c).norm()) < 1e-9);
  // The affine plane's coordinates: (1, 0) and (0, 1) for b and c.
  const Slice affine = slice_through(a, b, c);
  CHECK((plane_coordinates(affine, b) - Eigen::Vector2d(1, 0)).norm() < 1e-9);
  CHECK((plane_coordinates(affine, c) - Eigen::Vector2d(0, 1)).norm() < 1e-9);
  CHECK_THROWS_AS(orthonormal_slice_through(a, a, c), std::invalid_argument);
  CHECK_THROWS_AS(orthonormal_slice_through(a, b, a + 2 * (b - a)), std::invalid_argument);
}

TEST_CASE("the frame estimate of local complexity at 784 inputs counts the neurons whose code bit varies over the frame") {
  Rng rng(171);
  const Network net = image_network(172);
  const double r = 0.05;
  Eigen::MatrixXd X(784, 3); // (784, 3)
  for (int j = 0; j < 3; ++j) X.col(j) = random_image(rng);
  const LocalComplexity lc = frame_complexity(net, X, r);
  REQUIRE(lc.counts.size() == 3);
  int total = 0;
  for (int j = 0; j < 3; ++j) {
    // Oracle: the 2D = 1,568 frame points' codes from activation_codes(); a neuron counts when
    // its bit is not the same at all of them.
    Eigen::MatrixXd F(784, 2 * 784); // (784, 1568)
    for (int d = 0; d < 784; ++d) {
      F.col(2 * d) = X.col(j);
      F(d, 2 * d) += r;
      F.col(2 * d + 1) = X.col(j);
      F(d, 2 * d + 1) -= r;
    }
    const std::vector<Code> codes = activation_codes(net, F);
    int varying = 0;
    for (int k = 0; k < net.hidden_neurons(); ++k) {
      bool differs = false;
      for (const Code& c : codes) differs = differs || c.bit(k) != codes[0].bit(k);
      varying += differs;
    }
    CHECK(lc.counts[static_cast<std::size_t>(j)] == varying);
    total += varying;
  }
  CHECK(total > 0); // r is large enough for some neuron to switch, or the test proves little
}
