// Tests of the network graph's pictures (web/views/neuron_pictures.h) against closed forms and
// the engine's forward pass.
#include "neuron_pictures.h"

#include <doctest/doctest.h>

#include <cmath>

using namespace splinescope;

namespace {

// Orange-ish (h > 0) or blue-ish (h < 0) texel, as the diverging map paints them.
int sign_of_texel(const std::uint8_t* t) { return t[0] > t[2] ? 1 : t[0] < t[2] ? -1 : 0; }
bool is_line(const std::uint8_t* t) { return t[0] < 30 && t[1] < 30 && t[2] < 30; }

Eigen::Vector2d texel_centre(const NeuronPictures& p, int x, int y) {
  return {p.window.x0 + p.window.width() * (x + 0.5) / p.side,
          p.window.y1 - p.window.height() * (y + 0.5) / p.side};
}

// The pre-activation of every hidden neuron at a point, from forward_geometry. (n_hidden)
Eigen::VectorXd hidden_at(const Network& net, const Eigen::Vector2d& point) {
  const ForwardGeometry g = forward_geometry(net, point);
  Eigen::VectorXd h(net.hidden_neurons());
  int k = 0;
  for (const Eigen::MatrixXd& pre : g.pre)
    for (Eigen::Index i = 0; i < pre.rows(); ++i) h(k++) = pre(i, 0);
  return h;
}

Network random_network(std::vector<int> hidden, int outputs, std::uint64_t seed) {
  NetworkSpec spec;
  spec.hidden = hidden;
  spec.outputs = outputs;
  spec.bias_init = BiasInit::normal;
  spec.bias_scale = 0.8;
  return make_network(spec, seed);
}

} // namespace

TEST_CASE("every picture of a first-layer neuron is orange where w . x + b > 0 and blue where it is below") {
  const Network net = random_network({6, 5}, 1, 3);
  const Window window{-2.5, 3.0, -1.5, 2.0};
  const NeuronPictures p = make_neuron_pictures(net, window, 24);
  REQUIRE(p.count() == 2 + 11 + 1);
  const Layer& first = net.layers[0];
  int checked = 0;
  for (int unit = 0; unit < first.width(); ++unit)
    for (int y = 0; y < p.side; ++y)
      for (int x = 0; x < p.side; ++x) {
        const std::uint8_t* t = p.texel(p.inputs + unit, x, y);
        if (is_line(t)) continue;
        const double h = first.W.row(unit).dot(texel_centre(p, x, y)) + first.b(unit);
        if (std::abs(h) < 1e-9) continue;
        CHECK(sign_of_texel(t) == (h > 0 ? 1 : -1));
        ++checked;
      }
  CHECK(checked > 6 * 24 * 24 / 2);
}

TEST_CASE("a first-layer neuron's zero set is drawn on the closed-form line, from the tessellation or from the grid") {
  const Network net = random_network({8, 8}, 1, 11);
  const Window window{-3, 3, -3, 3};
  const Tessellation tess = tessellate(net, window);
  REQUIRE(tess.ok());
  for (const Tessellation* t : {&tess, static_cast<const Tessellation*>(nullptr)}) {
    const NeuronPictures p = make_neuron_pictures(net, window, 40, t);
    CHECK(p.exact_lines == (t ? net.hidden_neurons() : 0));
    const double texel = window.width() / p.side;
    for (int unit = 0; unit < 8; ++unit) {
      const Eigen::Vector2d w = net.layers[0].W.row(unit).transpose(); // (2)
      const double b = net.layers[0].b(unit);
      int on_line = 0, crossing = 0;
      for (int y = 0; y < p.side; ++y)
        for (int x = 0; x < p.side; ++x) {
          const double distance = std::abs(w.dot(texel_centre(p, x, y)) + b) / w.norm();
          if (is_line(p.texel(p.inputs + unit, x, y))) {
            ++on_line;
            CHECK(distance <= 1.5 * texel); // within the texel diagonal of the line
          }
          crossing += distance <= 0.5 * texel ? 1 : 0;
        }
      // A line that crosses the picture is drawn along it.
      if (crossing >= 4) CHECK(on_line >= crossing / 2);
      if (crossing == 0) CHECK(on_line == 0);
    }
  }
}

TEST_CASE("deeper neurons' exact zero sets lie where their pre-activation changes sign") {
  const Network net = random_network({8, 8, 8}, 1, 5);
  const Window window{-3, 3, -3, 3};
  const Tessellation tess = tessellate(net, window);
  REQUIRE(tess.ok());
  const NeuronPictures p = make_neuron_pictures(net, window, 32, &tess);
  const double texel = window.width() / p.side;
  int lines = 0;
  for (int k = 8; k < net.hidden_neurons(); ++k)
    for (int y = 0; y < p.side; ++y)
      for (int x = 0; x < p.side; ++x) {
        if (!is_line(p.texel(p.inputs + k, x, y))) continue;
        ++lines;
        // The sign differs at two points of the texel's neighbourhood (a line through the texel
        // has points on both sides within a texel of its centre).
        const Eigen::Vector2d c = texel_centre(p, x, y);
        bool positive = false, negative = false;
        for (int i = -2; i <= 2; ++i)
          for (int j = -2; j <= 2; ++j) {
            const double h = hidden_at(net, c + Eigen::Vector2d(i, j) * (0.5 * texel))(k);
            positive = positive || h > 0;
            negative = negative || h <= 0;
          }
        CHECK((positive && negative));
      }
  CHECK(lines > 0);
}

TEST_CASE("an output picture of several classes is orange exactly where its class wins") {
  const Network net = random_network({10}, 3, 8);
  const Window window{-3, 3, -3, 3};
  const NeuronPictures p = make_neuron_pictures(net, window, 20);
  REQUIRE(p.outputs == 3);
  int wins = 0;
  for (int y = 0; y < p.side; ++y)
    for (int x = 0; x < p.side; ++x) {
      const Eigen::Vector2d c = texel_centre(p, x, y);
      const Eigen::MatrixXd f = forward(net, c); // (3, 1)
      Eigen::Index best = 0;
      f.col(0).maxCoeff(&best);
      for (int o = 0; o < 3; ++o) {
        const std::uint8_t* t = p.texel(p.inputs + p.hidden + o, x, y);
        if (is_line(t)) continue;
        CHECK(sign_of_texel(t) == (o == best ? 1 : -1));
        wins += o == best ? 1 : 0;
      }
    }
  CHECK(wins > 0);
}

TEST_CASE("the pictures' cost is their texels times the network's multiply-adds") {
  const Network net = random_network({16, 16}, 1, 1);
  CHECK(neuron_pictures_cost(net, 10) == doctest::Approx(100 * net.multiply_adds()));
}
