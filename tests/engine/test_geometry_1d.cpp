// Exact tessellation of a segment (geometry_1d.h): knots against brute-force sign changes of a
// plain forward pass on a fine grid refined by bisection, pieces against forward() and
// activation_codes(), hand-set networks against closed forms, coincident knots, errors, budgets
// and export.
#include "code_hash.h"
#include "geometry_1d.h"
#include "network.h"
#include "pixel_codes.h"
#include "random.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

using namespace splinescope;

namespace {

Network random_network(int input_dim, std::vector<int> hidden, Activation act, std::uint64_t seed,
                       int outputs = 1) {
  NetworkSpec spec;
  spec.input_dim = input_dim;
  spec.hidden = std::move(hidden);
  spec.activation = act;
  spec.leaky_alpha = 0.1;
  spec.outputs = outputs;
  spec.bias_init = BiasInit::normal;
  spec.bias_scale = 0.5;
  return make_network(spec, seed);
}

// Random widths 1..16 for `depth` hidden layers.
std::vector<int> random_widths(int depth, Rng& rng) {
  std::vector<int> widths;
  for (int l = 0; l < depth; ++l) widths.push_back(1 + static_cast<int>(rng.below(16)));
  return widths;
}

// The network's forward pass written out plainly, independent of network.cpp and of the module:
// the pre-activation of every hidden neuron (global numbering) at x, batch norm in evaluation
// mode.
std::vector<double> plain_pre_activations(const Network& net, const Eigen::VectorXd& x) {
  std::vector<double> pre;
  std::vector<double> z(x.data(), x.data() + x.size());
  for (int l = 0; l < net.hidden_layers(); ++l) {
    const Layer& layer = net.layers[l];
    std::vector<double> next(layer.width());
    for (int k = 0; k < layer.width(); ++k) {
      double h = layer.b(k);
      for (int j = 0; j < layer.fan_in(); ++j) h += layer.W(k, j) * z[j];
      if (layer.batch_norm)
        h = layer.bn.gamma(k) * (h - layer.bn.running_mean(k)) /
                std::sqrt(layer.bn.running_var(k) + layer.bn.eps) +
            layer.bn.beta(k);
      pre.push_back(h);
      switch (layer.activation) {
      case Activation::relu: next[k] = h > 0 ? h : 0; break;
      case Activation::leaky_relu: next[k] = h > 0 ? h : layer.alpha * h; break;
      case Activation::abs: next[k] = std::abs(h); break;
      case Activation::linear: next[k] = h; break;
      }
    }
    z = std::move(next);
  }
  return pre;
}

Eigen::VectorXd point_on(const Line1d& line, double t) { return line.origin + t * line.direction; }

struct NeuronId {
  int layer, neuron;
  bool operator<(const NeuronId& o) const {
    return layer < o.layer || (layer == o.layer && neuron < o.neuron);
  }
};

// Brute force: the bits [h > 0] of every hidden neuron of a kinked layer on `grid` + 1 evenly
// spaced points of [t0, t1]; every change between neighbouring points is refined by bisection to
// 1e-10. Returns the knot positions of each neuron, ascending.
std::map<NeuronId, std::vector<double>> brute_force_knots(const Network& net, const Line1d& line,
                                                          double t0, double t1, int grid) {
  std::vector<NeuronId> ids;
  for (int l = 0; l < net.hidden_layers(); ++l)
    for (int k = 0; k < net.layers[l].width(); ++k) ids.push_back({l, k});
  std::map<NeuronId, std::vector<double>> knots;
  auto t_at = [&](int i) { return t0 + (t1 - t0) * i / grid; };
  std::vector<double> previous = plain_pre_activations(net, point_on(line, t0));
  for (int i = 1; i <= grid; ++i) {
    const std::vector<double> pre = plain_pre_activations(net, point_on(line, t_at(i)));
    for (std::size_t g = 0; g < ids.size(); ++g) {
      if (net.layers[ids[g].layer].activation == Activation::linear) continue;
      const bool before = previous[g] > 0;
      if ((pre[g] > 0) == before) continue;
      double lo = t_at(i - 1), hi = t_at(i);
      while (hi - lo > 1e-10) {
        const double mid = 0.5 * (lo + hi);
        if ((plain_pre_activations(net, point_on(line, mid))[g] > 0) == before) lo = mid;
        else hi = mid;
      }
      knots[ids[g]].push_back(0.5 * (lo + hi));
    }
    previous = pre;
  }
  return knots;
}

// The module's knots of each neuron, ascending.
std::map<NeuronId, std::vector<double>> knots_by_neuron(const Tessellation1d& tess) {
  std::map<NeuronId, std::vector<double>> out;
  for (const Knot& k : tess.knots) out[{k.layer, k.neuron}].push_back(k.t);
  return out;
}

int distinct_positions(const std::vector<Knot>& knots, int up_to_layer = 1 << 20) {
  std::set<double> ts;
  for (const Knot& k : knots)
    if (k.layer <= up_to_layer) ts.insert(k.t);
  return static_cast<int>(ts.size());
}

struct KnotComparison {
  int neurons_with_knots = 0;
  int crowded_neurons = 0; // neurons with two knots within two grid steps (see below)
  int knots = 0;
};

// The module's knots against the brute-force ones. A neuron can change sign twice between two
// grid points (two zeros closer than the grid step, e.g. near a kink of an earlier layer where h
// just dips below 0); the grid sees no change there, or sees one change for three zeros. So the
// knot lists of a neuron are compared one to one only when the module's knots of that neuron
// are more than two grid steps apart (then each grid cell holds at most one zero and the grid
// finds them all). For the other ("crowded") neurons every brute-force knot must still be a
// module knot, and the extra module knots come in pairs. For every module knot, the plain forward
// pass must also show the neuron's sign changing across it.
KnotComparison compare_knots(const Network& net, const Line1d& line, const Tessellation1d& tess,
                             int grid) {
  const double step = (tess.t1 - tess.t0) / grid;
  const auto oracle = brute_force_knots(net, line, tess.t0, tess.t1, grid);
  const auto module = knots_by_neuron(tess);
  KnotComparison c;
  c.knots = static_cast<int>(tess.knots.size());
  std::set<NeuronId> ids;
  for (const auto& [id, ts] : oracle) ids.insert(id);
  for (const auto& [id, ts] : module) ids.insert(id);
  const std::vector<double> none;
  for (const NeuronId& id : ids) {
    CAPTURE(id.layer);
    CAPTURE(id.neuron);
    const auto o = oracle.count(id) ? oracle.at(id) : none;
    const auto m = module.count(id) ? module.at(id) : none;
    ++c.neurons_with_knots;
    bool crowded = false;
    for (std::size_t i = 0; i + 1 < m.size(); ++i) crowded = crowded || m[i + 1] - m[i] < 2 * step;
    if (!crowded) {
      REQUIRE(m.size() == o.size());
      for (std::size_t i = 0; i < m.size(); ++i) CHECK(std::abs(m[i] - o[i]) <= 1e-7);
    } else {
      ++c.crowded_neurons;
      CHECK(m.size() >= o.size());
      CHECK((m.size() - o.size()) % 2 == 0);
      for (double t : o) {
        const bool found = std::any_of(m.begin(), m.end(), [t](double s) { return std::abs(s - t) <= 1e-7; });
        CHECK(found);
      }
    }
    // The sign changes across each module knot, just left and right of it (closer than any
    // other knot of the same neuron).
    const int g = net.neuron_offset(id.layer) + id.neuron;
    for (std::size_t i = 0; i < m.size(); ++i) {
      double delta = 1e-8;
      if (i > 0) delta = std::min(delta, 0.4 * (m[i] - m[i - 1]));
      if (i + 1 < m.size()) delta = std::min(delta, 0.4 * (m[i + 1] - m[i]));
      const double left = plain_pre_activations(net, point_on(line, m[i] - delta))[g];
      const double right = plain_pre_activations(net, point_on(line, m[i] + delta))[g];
      CHECK((left > 0) != (right > 0));
    }
  }
  return c;
}

// Pieces tile [t0, t1] in order, meeting exactly at the knots, one piece more than knot
// positions; neighbouring pieces' codes differ in exactly the neurons of the knots between them.
void check_structure(const Network& net, const Tessellation1d& tess) {
  REQUIRE(tess.ok());
  REQUIRE(tess.piece_count() >= 1);
  CHECK(tess.pieces.front().t0 == tess.t0);
  CHECK(tess.pieces.back().t1 == tess.t1);
  for (int p = 0; p < tess.piece_count(); ++p) {
    CHECK(tess.pieces[p].t0 < tess.pieces[p].t1);
    if (p + 1 < tess.piece_count()) CHECK(tess.pieces[p].t1 == tess.pieces[p + 1].t0);
  }
  CHECK(tess.piece_count() <= 1 + static_cast<int>(tess.knots.size()));
  CHECK(tess.piece_count() == 1 + distinct_positions(tess.knots));
  CHECK(std::is_sorted(tess.knots.begin(), tess.knots.end(),
                       [](const Knot& a, const Knot& b) { return a.t < b.t; }));
  std::map<int, Code> flipped; // per piece boundary (the piece after it): the knots' neurons
  for (const Knot& k : tess.knots) {
    REQUIRE(k.piece >= 1);
    REQUIRE(k.piece < tess.piece_count());
    CHECK(tess.pieces[k.piece].t0 == k.t);
    const int g = net.neuron_offset(k.layer) + k.neuron;
    CHECK_FALSE(flipped[k.piece].bit(g)); // each neuron once per position
    flipped[k.piece].set(g);
  }
  for (int p = 1; p < tess.piece_count(); ++p) {
    Code diff;
    for (int w = 0; w < Code::kWords; ++w)
      diff.words[w] = tess.pieces[p - 1].code.words[w] ^ tess.pieces[p].code.words[w];
    CHECK(diff == flipped[p]);
    CHECK(diff != Code{});
  }
  // Depth l has one piece more than the knot positions of layers 0..l-1.
  REQUIRE(static_cast<int>(tess.pieces_per_layer.size()) == net.hidden_layers());
  for (int l = 0; l < net.hidden_layers(); ++l)
    CHECK(tess.pieces_per_layer[l] == 1 + distinct_positions(tess.knots, l));
  if (net.hidden_layers() > 0) CHECK(tess.pieces_per_layer.back() == tess.piece_count());
}

// The pieces against forward() at `samples` random t (and the polyline at its points), and
// each piece's code against activation_codes() at its midpoint.
void check_against_forward(const Network& net, const Line1d& line, const Tessellation1d& tess,
                           int samples, std::uint64_t seed) {
  Rng rng(seed);
  Eigen::VectorXd t(samples); // (n)
  for (int i = 0; i < samples; ++i) t(i) = rng.uniform(tess.t0, tess.t1);
  const Eigen::MatrixXd f = forward(net, to_input_space(line, t)); // (C, n)
  double worst = 0;
  for (int i = 0; i < samples; ++i) {
    const Eigen::VectorXd mine = tess.evaluate(t(i));
    worst = std::max(worst, (mine - f.col(i)).cwiseAbs().maxCoeff() /
                                std::max(1.0, f.col(i).cwiseAbs().maxCoeff()));
  }
  CHECK(worst < 1e-9);

  for (int output = 0; output < tess.outputs; ++output) {
    const Eigen::MatrixXd P = spline_polyline(tess, output); // (2, pieces + 1)
    REQUIRE(P.cols() == tess.piece_count() + 1);
    const Eigen::MatrixXd g = forward(net, to_input_space(line, P.row(0).transpose()));
    for (Eigen::Index i = 0; i < P.cols(); ++i)
      CHECK(std::abs(P(1, i) - g(output, i)) <= 1e-9 * std::max(1.0, std::abs(g(output, i))));
  }

  Eigen::VectorXd mid(tess.piece_count());
  for (int p = 0; p < tess.piece_count(); ++p) mid(p) = 0.5 * (tess.pieces[p].t0 + tess.pieces[p].t1);
  const std::vector<Code> codes = activation_codes(net, to_input_space(line, mid));
  int wrong = 0;
  for (int p = 0; p < tess.piece_count(); ++p) wrong += codes[p] != tess.pieces[p].code;
  CHECK(wrong == 0);
}

// A 1-input, one-hidden-layer ReLU network with the given first-layer weights and biases and
// output weights.
Network one_layer(const std::vector<double>& w, const std::vector<double>& b,
                  const std::vector<double>& v, double c) {
  NetworkSpec spec;
  spec.input_dim = 1;
  spec.hidden = {static_cast<int>(w.size())};
  Network net = make_network(spec, 1);
  for (std::size_t i = 0; i < w.size(); ++i) {
    net.layers[0].W(i, 0) = w[i];
    net.layers[0].b(i) = b[i];
    net.layers[1].W(0, i) = v[i];
  }
  net.layers[1].b(0) = c;
  return net;
}

std::size_t count_of(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

} // namespace

// -----------------------------------------------------------------------------------------------
// Against brute force
// -----------------------------------------------------------------------------------------------

TEST_CASE("the knots of a segment of 1-input networks are the sign changes found by brute force") {
  constexpr int kGrid = 20000;
  KnotComparison total;
  for (Activation act : {Activation::relu, Activation::leaky_relu, Activation::abs}) {
    for (int depth = 1; depth <= 4; ++depth) {
      for (std::uint64_t seed = 1; seed <= 2; ++seed) {
        Rng rng(1000 * depth + 10 * seed + static_cast<int>(act));
        const Network net = random_network(1, random_widths(depth, rng), act, 7 * seed + depth);
        CAPTURE(to_string(act));
        CAPTURE(depth);
        CAPTURE(seed);
        const Line1d line = standard_line(1);
        const Tessellation1d tess = tessellate_interval(net, line, -3, 3);
        check_structure(net, tess);
        const KnotComparison c = compare_knots(net, line, tess, kGrid);
        total.neurons_with_knots += c.neurons_with_knots;
        total.crowded_neurons += c.crowded_neurons;
        total.knots += c.knots;
        check_against_forward(net, line, tess, 10000, seed);
      }
    }
  }
  // Enough knots to mean something, and the one-to-one comparison covers most neurons.
  CHECK(total.knots > 200);
  CHECK(total.crowded_neurons * 10 <= total.neurons_with_knots);
}

TEST_CASE("the knots of a segment along a random line of a 3-input network match brute force") {
  constexpr int kGrid = 20000;
  KnotComparison total;
  for (Activation act : {Activation::relu, Activation::leaky_relu, Activation::abs}) {
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
      Rng rng(500 + 10 * seed + static_cast<int>(act));
      const Network net =
          random_network(3, random_widths(1 + static_cast<int>(seed), rng), act, 31 * seed, 2);
      Line1d line;
      line.origin = Eigen::VectorXd(3);
      line.direction = Eigen::VectorXd(3);
      for (int d = 0; d < 3; ++d) {
        line.origin(d) = rng.normal(0, 0.5);
        line.direction(d) = rng.normal();
      }
      line.direction.normalize();
      CAPTURE(to_string(act));
      CAPTURE(seed);
      const Tessellation1d tess = tessellate_interval(net, line, -2.5, 3);
      check_structure(net, tess);
      const KnotComparison c = compare_knots(net, line, tess, kGrid);
      total.neurons_with_knots += c.neurons_with_knots;
      total.crowded_neurons += c.crowded_neurons;
      total.knots += c.knots;
      check_against_forward(net, line, tess, 10000, seed + 50);
    }
  }
  CHECK(total.knots > 50);
  CHECK(total.crowded_neurons * 10 <= total.neurons_with_knots);
}

TEST_CASE("two knots of a segment closer than the grid step, which the grid misses, are found exactly") {
  // abs 1-1-1-1: h1 = |x - 0.123451| - 1e-5 is negative only on (0.123441, 0.123461), which no
  // point of the 20,000-step grid over [-3, 3] falls in.
  NetworkSpec spec;
  spec.input_dim = 1;
  spec.hidden = {1, 1};
  spec.activation = Activation::abs;
  Network net = make_network(spec, 23);
  net.layers[0].W(0, 0) = 1;
  net.layers[0].b(0) = -0.123451;
  net.layers[1].W(0, 0) = 1;
  net.layers[1].b(0) = -1e-5;
  const Line1d line = standard_line(1);
  const Tessellation1d tess = tessellate_interval(net, line, -3, 3);
  check_structure(net, tess);
  check_against_forward(net, line, tess, 1000, 24);
  REQUIRE(tess.knots.size() == 3);
  CHECK(tess.knots[0].t == doctest::Approx(0.123441).epsilon(1e-12));
  CHECK(tess.knots[1].t == doctest::Approx(0.123451).epsilon(1e-12));
  CHECK(tess.knots[2].t == doctest::Approx(0.123461).epsilon(1e-12));
  CHECK(brute_force_knots(net, line, -3, 3, 20000).count({1, 0}) == 0);
  const KnotComparison c = compare_knots(net, line, tess, 20000);
  CHECK(c.crowded_neurons == 1);
}

TEST_CASE("segment pieces of mixed activations, a linear layer and batch norm agree with forward()") {
  NetworkSpec spec;
  spec.input_dim = 2;
  spec.hidden = {8, 6, 7};
  spec.layer_activations = {Activation::leaky_relu, Activation::linear, Activation::abs};
  spec.leaky_alpha = 0.2;
  spec.batch_norm = true;
  spec.outputs = 3;
  spec.bias_init = BiasInit::normal;
  spec.bias_scale = 0.5;
  Network net = make_network(spec, 77);
  Rng rng(78);
  for (int l = 0; l < net.hidden_layers(); ++l) {
    BatchNorm& bn = net.layers[l].bn;
    for (int k = 0; k < net.layers[l].width(); ++k) {
      bn.gamma(k) = rng.uniform(0.5, 2.0);
      bn.beta(k) = rng.uniform(-1, 1);
      bn.running_mean(k) = rng.uniform(-1, 1);
      bn.running_var(k) = rng.uniform(0.2, 3.0);
    }
  }
  Line1d line;
  line.origin = Eigen::Vector2d(0.3, -0.2);
  line.direction = Eigen::Vector2d(0.6, 0.8);
  const Tessellation1d tess = tessellate_interval(net, line, -4, 4);
  check_structure(net, tess);
  check_against_forward(net, line, tess, 10000, 79);
  compare_knots(net, line, tess, 20000);
  // The linear layer cuts nothing and keeps its bits at 0.
  CHECK(tess.pieces_per_layer[1] == tess.pieces_per_layer[0]);
  for (const Knot& k : tess.knots) CHECK(k.layer != 1);
  for (const Piece1d& p : tess.pieces)
    for (int k = 0; k < 6; ++k) CHECK_FALSE(p.code.bit(8 + k));
  CHECK(tess.piece_count() > 3);
}

// -----------------------------------------------------------------------------------------------
// Closed forms and coincident knots
// -----------------------------------------------------------------------------------------------

TEST_CASE("a one-layer ReLU segment has its knots exactly at -b_i / w_i inside the interval") {
  // Zeros at -0.5, 0.5, 4 (outside), none (w = 0), -2 (= t0: no knot), 3.
  const std::vector<double> w = {2, -1, 0.5, 0, 1, 3};
  const std::vector<double> b = {1, 0.5, -2, 1, 2, -9};
  const std::vector<double> v = {1.5, -2, 4, 0.25, 0.5, -1};
  const Network net = one_layer(w, b, v, 0.75);
  const Tessellation1d tess = tessellate_interval(net, -2, 3.5);
  check_structure(net, tess);
  REQUIRE(tess.knots.size() == 3);
  CHECK(tess.knots[0].t == -0.5);
  CHECK(tess.knots[0].neuron == 0);
  CHECK(tess.knots[1].t == 0.5);
  CHECK(tess.knots[1].neuron == 1);
  CHECK(tess.knots[2].t == 3);
  CHECK(tess.knots[2].neuron == 5);
  for (const Knot& k : tess.knots) CHECK(k.layer == 0);
  REQUIRE(tess.piece_count() == 4);
  CHECK(tess.pieces_per_layer == std::vector<int>{4});
  // On each piece, slope = sum of v_i w_i over the active neurons, intercept = c + sum v_i b_i.
  for (const Piece1d& piece : tess.pieces) {
    const double mid = 0.5 * (piece.t0 + piece.t1);
    double slope = 0, intercept = 0.75;
    for (std::size_t i = 0; i < w.size(); ++i) {
      const bool active = w[i] * mid + b[i] > 0;
      CHECK(piece.code.bit(static_cast<int>(i)) == active);
      if (active) {
        slope += v[i] * w[i];
        intercept += v[i] * b[i];
      }
    }
    CHECK(piece.slope(0) == doctest::Approx(slope).epsilon(1e-14));
    CHECK(piece.intercept(0) == doctest::Approx(intercept).epsilon(1e-14));
  }
}

TEST_CASE("identical neurons make two coincident knots at one position of a segment") {
  const Network net = one_layer({1, 1, -2}, {-0.3, -0.3, 1}, {1, 1, 1}, 0);
  const Tessellation1d tess = tessellate_interval(net, -1, 1);
  check_structure(net, tess);
  REQUIRE(tess.knots.size() == 3);
  CHECK(tess.knots[0].t == doctest::Approx(0.3).epsilon(1e-15));
  CHECK(tess.knots[1].t == tess.knots[0].t);
  CHECK(tess.knots[0].neuron == 0);
  CHECK(tess.knots[1].neuron == 1);
  CHECK(tess.knots[2].t == 0.5);
  CHECK(tess.piece_count() == 3);
  CHECK(tess.pieces[1].code.distance(tess.pieces[0].code) == 2);
}

TEST_CASE("a deeper neuron changing sign exactly at an earlier knot of a segment is a coincident knot") {
  // Leaky ReLU 1-1-1-1: h0 = x, h1 = leaky(x), which changes sign at 0 as well; h0's zero is the
  // only cut, and h1's zero lies at that piece end, so it is listed at the same position.
  NetworkSpec spec;
  spec.input_dim = 1;
  spec.hidden = {1, 1};
  spec.activation = Activation::leaky_relu;
  Network net = make_network(spec, 3);
  net.layers[0].W(0, 0) = 1;
  net.layers[0].b(0) = 0;
  net.layers[1].W(0, 0) = 1;
  net.layers[1].b(0) = 0;
  const Tessellation1d tess = tessellate_interval(net, -1, 2);
  check_structure(net, tess);
  check_against_forward(net, standard_line(1), tess, 1000, 4);
  REQUIRE(tess.knots.size() == 2);
  CHECK(tess.knots[0].t == 0);
  CHECK(tess.knots[0].layer == 0);
  CHECK(tess.knots[1].t == 0);
  CHECK(tess.knots[1].layer == 1);
  REQUIRE(tess.piece_count() == 2);
  CHECK(tess.pieces[0].code.to_string(net) == "0.0");
  CHECK(tess.pieces[1].code.to_string(net) == "1.1");
  CHECK(tess.pieces_per_layer == std::vector<int>{2, 2});
}

TEST_CASE("a dead downstream neuron still splits a segment into pieces with one affine map") {
  // ReLU 1-1-2-1: h0 = x; layer 1: relu(x) - 1 and relu(x) - 2, the second with output weight 0.
  NetworkSpec spec;
  spec.input_dim = 1;
  spec.hidden = {1, 2};
  Network net = make_network(spec, 5);
  net.layers[0].W(0, 0) = 1;
  net.layers[0].b(0) = 0;
  net.layers[1].W << 1, 1;
  net.layers[1].b << -1, -2;
  net.layers[2].W << 3, 0;
  net.layers[2].b << 0.5;
  const Tessellation1d tess = tessellate_interval(net, -1, 3);
  check_structure(net, tess);
  check_against_forward(net, standard_line(1), tess, 1000, 6);
  REQUIRE(tess.piece_count() == 4); // cut at 0 by layer 0, at 1 and 2 by layer 1
  CHECK(tess.pieces_per_layer == std::vector<int>{2, 4});
  CHECK(tess.knots[2].t == doctest::Approx(2));
  CHECK(tess.knots[2].neuron == 1);
  // Pieces 2 and 3 differ in the dead neuron's bit only and share slope and intercept.
  CHECK(tess.pieces[2].code != tess.pieces[3].code);
  CHECK(tess.pieces[2].slope(0) == doctest::Approx(tess.pieces[3].slope(0)));
  CHECK(tess.pieces[2].intercept(0) == doctest::Approx(tess.pieces[3].intercept(0)));
  // Left of 0 every neuron is off: f is the constant 0.5 - 3 * 0 (layer 1 neuron 0 is -1 < 0).
  CHECK(tess.pieces[0].slope(0) == 0);
  CHECK(tess.pieces[0].intercept(0) == 0.5);
}

TEST_CASE("a segment along a direction of zero length, or a network without hidden layers, is one piece") {
  const Network net = random_network(2, {5, 5}, Activation::relu, 9);
  Line1d still = standard_line(2);
  still.direction.setZero();
  still.origin << 0.2, -0.4;
  const Tessellation1d flat = tessellate_interval(net, still, 0, 1);
  check_structure(net, flat);
  CHECK(flat.piece_count() == 1);
  CHECK(flat.knots.empty());
  CHECK(flat.pieces[0].slope(0) == 0);

  // make_network() wants a hidden layer, so the affine network is built by hand.
  Network affine;
  affine.input_dim = 1;
  affine.layers.resize(1);
  affine.layers[0].W = Eigen::MatrixXd::Constant(1, 1, -1.5);
  affine.layers[0].b = Eigen::VectorXd::Constant(1, 0.25);
  const Tessellation1d one = tessellate_interval(affine, -1, 1);
  REQUIRE(one.ok());
  CHECK(one.piece_count() == 1);
  CHECK(one.pieces_per_layer.empty());
  CHECK(one.pieces[0].slope(0) == affine.layers[0].W(0, 0));
  CHECK(one.pieces[0].intercept(0) == affine.layers[0].b(0));
}

TEST_CASE("locating t on a segment gives the piece starting at a knot and the end pieces outside") {
  const Network net = one_layer({1, 1}, {0, -1}, {1, -2}, 0);
  const Tessellation1d tess = tessellate_interval(net, -1, 2);
  REQUIRE(tess.piece_count() == 3);
  CHECK(tess.locate(-5) == 0);
  CHECK(tess.locate(-1) == 0);
  CHECK(tess.locate(0) == 1);
  CHECK(tess.locate(0.5) == 1);
  CHECK(tess.locate(1) == 2);
  CHECK(tess.locate(7) == 2);
  CHECK(tess.evaluate(0.5)(0) == doctest::Approx(0.5));
  CHECK(tess.evaluate(1.5)(0) == doctest::Approx(1.5 - 2 * 0.5));
  // Outside the interval: the end pieces extended.
  CHECK(tess.evaluate(3)(0) == doctest::Approx(3 - 2 * 2));
}

TEST_CASE("the standard line of a segment is the first coordinate axis through 0") {
  const Line1d line = standard_line(3);
  CHECK(line.origin == Eigen::Vector3d::Zero());
  CHECK(line.direction == Eigen::Vector3d(1, 0, 0));
  Eigen::VectorXd t(2);
  t << -1, 2;
  const Eigen::MatrixXd X = to_input_space(line, t);
  CHECK(X.rows() == 3);
  CHECK(X.col(1) == Eigen::Vector3d(2, 0, 0));
}

// -----------------------------------------------------------------------------------------------
// Errors and budgets
// -----------------------------------------------------------------------------------------------

TEST_CASE("an empty or non-finite segment interval or a line of the wrong dimension is invalid input") {
  const Network net = random_network(2, {4}, Activation::relu, 11);
  for (const auto& [t0, t1] : {std::pair{1.0, 1.0}, std::pair{2.0, -1.0},
                               std::pair{std::nan(""), 1.0}, std::pair{0.0, HUGE_VAL}}) {
    const Tessellation1d tess = tessellate_interval(net, t0, t1);
    CHECK(tess.status == TessellationStatus::invalid_input);
    CHECK_FALSE(tess.message.empty());
    CHECK(tess.pieces.empty());
    CHECK(tess.knots.empty());
  }
  const Tessellation1d wrong = tessellate_interval(net, standard_line(3), 0, 1);
  CHECK(wrong.status == TessellationStatus::invalid_input);
  CHECK(wrong.message.find("expects 2") != std::string::npos);
  Line1d nan_line = standard_line(2);
  nan_line.direction(1) = std::nan("");
  CHECK(tessellate_interval(net, nan_line, 0, 1).status == TessellationStatus::invalid_input);
  CHECK(tessellate_interval(Network{}, standard_line(2), 0, 1).status ==
        TessellationStatus::invalid_input);
  Tessellation1dOptions options;
  options.max_pieces = 0;
  CHECK(tessellate_interval(net, 0, 1, options).status == TessellationStatus::invalid_input);
}

TEST_CASE("a segment of a network with non-finite weights or overflowing values is a numerical failure") {
  Network net = random_network(1, {4, 4}, Activation::relu, 13);
  net.layers[1].W(2, 1) = std::nan("");
  const Tessellation1d tess = tessellate_interval(net, -1, 1);
  CHECK(tess.status == TessellationStatus::numerical_failure);
  CHECK(tess.message.find("non-finite") != std::string::npos);
  CHECK(tess.pieces.empty());

  Network inf_bias = random_network(1, {4}, Activation::relu, 14);
  inf_bias.layers[1].b(0) = HUGE_VAL;
  CHECK(tessellate_interval(inf_bias, -1, 1).status == TessellationStatus::numerical_failure);

  Network huge = random_network(1, {4, 4, 4}, Activation::abs, 15);
  for (Layer& layer : huge.layers) layer.W *= 1e200;
  const Tessellation1d overflow = tessellate_interval(huge, -1, 1);
  CHECK(overflow.status == TessellationStatus::numerical_failure);
  CHECK(overflow.pieces.empty());
}

TEST_CASE("a segment over its piece budget stops cleanly and reports the budget") {
  const Network net = random_network(1, {16, 16, 16}, Activation::abs, 17);
  const Tessellation1d full = tessellate_interval(net, -3, 3);
  REQUIRE(full.ok());
  REQUIRE(full.piece_count() > 20);
  Tessellation1dOptions options;
  options.max_pieces = 20;
  const Tessellation1d cut = tessellate_interval(net, -3, 3, options);
  CHECK(cut.status == TessellationStatus::tile_budget_exceeded);
  CHECK(cut.message.find("20") != std::string::npos);
  CHECK(cut.pieces.empty());
  CHECK(cut.knots.empty());
  CHECK(cut.pieces_per_layer.empty());
  options.max_pieces = full.piece_count();
  CHECK(tessellate_interval(net, -3, 3, options).ok());
  options.max_pieces = full.piece_count() - 1;
  CHECK(tessellate_interval(net, -3, 3, options).status == TessellationStatus::tile_budget_exceeded);
}

// -----------------------------------------------------------------------------------------------
// Export
// -----------------------------------------------------------------------------------------------

TEST_CASE("the JSON export of a segment lists every piece with its code per layer and every knot") {
  const Network net = random_network(1, {5, 4}, Activation::leaky_relu, 19, 2);
  const Tessellation1d tess = tessellate_interval(net, -3, 3);
  REQUIRE(tess.ok());
  const nlohmann::json j = nlohmann::json::parse(pieces_to_json(tess));
  CHECK(j["status"] == "ok");
  CHECK(j["t0"] == -3.0);
  CHECK(j["t1"] == 3.0);
  CHECK(j["widths"].get<std::vector<int>>() == std::vector<int>{5, 4});
  REQUIRE(j["pieces"].size() == tess.pieces.size());
  REQUIRE(j["knots"].size() == tess.knots.size());
  for (int p = 0; p < tess.piece_count(); ++p) {
    const nlohmann::json& piece = j["pieces"][p];
    CHECK(piece["code"].get<std::string>() == tess.pieces[p].code.to_string(net));
    CHECK(piece["t0"] == tess.pieces[p].t0);
    CHECK(piece["slope"].size() == 2);
    CHECK(piece["intercept"][1] == tess.pieces[p].intercept(1));
  }
  for (std::size_t k = 0; k < tess.knots.size(); ++k) {
    CHECK(j["knots"][k]["t"] == tess.knots[k].t);
    CHECK(j["knots"][k]["layer"] == tess.knots[k].layer);
    CHECK(j["knots"][k]["neuron"] == tess.knots[k].neuron);
  }
  const nlohmann::json failed =
      nlohmann::json::parse(pieces_to_json(tessellate_interval(net, 1, 0)));
  CHECK(failed["status"] == "invalid_input");
  CHECK(failed["pieces"].empty());
}

TEST_CASE("the SVG export of a segment draws one line per piece in its tile colour, y up") {
  // f = relu(x) + 2 relu(x - 1): increasing, so each line rises (smaller pixel y to the right).
  const Network net = one_layer({1, 1}, {0, -1}, {1, 2}, 0);
  const Tessellation1d tess = tessellate_interval(net, -1, 2);
  REQUIRE(tess.piece_count() == 3);
  const std::string svg = spline_to_svg(tess);
  CHECK(svg.rfind("<svg", 0) == 0);
  CHECK(svg.find("</svg>") == svg.size() - 7);
  CHECK(count_of(svg, "<line ") == 3);
  CHECK(count_of(svg, "<circle ") == tess.knots.size());
  CHECK(count_of(svg, "<") == count_of(svg, ">")); // every tag closed
  for (const Piece1d& piece : tess.pieces) {
    char hex[8];
    to_hex(tile_colour(code_hash(piece.code, tess.code_neurons)), hex);
    CHECK(svg.find(std::string("stroke=\"") + hex) != std::string::npos);
  }
  char blue[8];
  to_hex(layer_colour(0), blue);
  CHECK(svg.find(std::string("fill=\"") + blue) != std::string::npos);
  // The last piece rises: y2 < y1.
  const std::size_t last = svg.rfind("<line ");
  double x1 = 0, y1 = 0, x2 = 0, y2 = 0;
  REQUIRE(std::sscanf(svg.c_str() + last, "<line x1=\"%lf\" y1=\"%lf\" x2=\"%lf\" y2=\"%lf\"", &x1,
                      &y1, &x2, &y2) == 4);
  CHECK(x2 > x1);
  CHECK(y2 < y1);

  // A random deep network: one line per piece still.
  const Network deep = random_network(1, {12, 12, 12}, Activation::relu, 21);
  const Tessellation1d many = tessellate_interval(deep, -3, 3);
  REQUIRE(many.ok());
  CHECK(count_of(spline_to_svg(many), "<line ") == static_cast<std::size_t>(many.piece_count()));
}
