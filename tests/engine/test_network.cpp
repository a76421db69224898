// Networks: construction limits, forward pass against hand computation, affine pieces and codes
// against brute-force oracles, and the code hash against test vectors shared with the shader.
#include "code_hash.h"
#include "network.h"
#include "pixel_codes.h"
#include "random.h"

#include <doctest/doctest.h>

#include <set>
#include <stdexcept>

using namespace splinescope;

namespace {
// 2 -> 2 -> 1 ReLU network with small integer weights, computed by hand below.
Network hand_network() {
  NetworkSpec spec;
  spec.hidden = {2};
  Network net = make_network(spec, 1);
  net.layers[0].W << 1, -1, //
      2, 1;
  net.layers[0].b << 0.5, -1;
  net.layers[1].W << 3, -2;
  net.layers[1].b << 0.25;
  return net;
}

Eigen::MatrixXd random_points(int n, double scale, std::uint64_t seed, int dim = 2) {
  Rng rng(seed);
  Eigen::MatrixXd X(dim, n); // (D, n)
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < dim; ++i) X(i, j) = rng.uniform(-scale, scale);
  return X;
}
} // namespace

TEST_CASE("a 2-2-1 ReLU network computes the hand-computed output") {
  const Network net = hand_network();
  Eigen::MatrixXd X(2, 3);
  X << 1, -1, 0.5, //
      2, 0, -3;
  // x=(1,2):   h = (1-2+0.5, 2+2-1) = (-0.5, 3)   -> z = (0, 3)   -> f = -6 + 0.25 = -5.75
  // x=(-1,0):  h = (-1+0.5, -2-1)  = (-0.5, -3)   -> z = (0, 0)   -> f = 0.25
  // x=(.5,-3): h = (.5+3+.5, 1-3-1) = (4, -3)     -> z = (4, 0)   -> f = 12.25
  const Eigen::MatrixXd f = forward(net, X);
  CHECK(f(0, 0) == doctest::Approx(-5.75));
  CHECK(f(0, 1) == doctest::Approx(0.25));
  CHECK(f(0, 2) == doctest::Approx(12.25));
  const auto codes = activation_codes(net, X);
  CHECK(codes[0].to_string(net) == "01");
  CHECK(codes[1].to_string(net) == "00");
  CHECK(codes[2].to_string(net) == "10");
}

TEST_CASE("the affine piece of the hand network matches the hand-derived slope and offset") {
  const Network net = hand_network();
  Eigen::MatrixXd X(2, 1);
  X << 1, 2; // code 01: f = -2 * (2x + y - 1) + 0.25 = -4x - 2y + 2.25
  const ForwardGeometry g = forward_geometry(net, X);
  CHECK(g.A[0](0, 0) == doctest::Approx(-4));
  CHECK(g.A[0](0, 1) == doctest::Approx(-2));
  CHECK(g.c(0, 0) == doctest::Approx(2.25));
}

TEST_CASE("network specs outside the engine limits are rejected with a message") {
  NetworkSpec spec;
  spec.hidden = {16, 0};
  CHECK(validate(spec).find("width of hidden layer 2") != std::string::npos);
  CHECK_THROWS_AS(make_network(spec, 1), std::invalid_argument);
  spec.hidden = {1000};
  CHECK_FALSE(validate(spec).empty());
  spec.hidden = std::vector<int>(kMaxHiddenLayers + 1, 4);
  CHECK_FALSE(validate(spec).empty());
  spec.hidden = {4};
  spec.outputs = 0;
  CHECK_FALSE(validate(spec).empty());
  spec.outputs = 3;
  CHECK(validate(spec).empty());
}

TEST_CASE("the same seed gives the same initial weights and another seed different ones") {
  NetworkSpec spec;
  const Network a = make_network(spec, 42), b = make_network(spec, 42), c = make_network(spec, 43);
  CHECK(a.layers[1].W == b.layers[1].W);
  CHECK(a.layers[1].W != c.layers[1].W);
}

TEST_CASE("the affine piece reproduces the output on 10,000 random points of every activation") {
  const Activation acts[] = {Activation::relu, Activation::leaky_relu, Activation::abs,
                             Activation::linear};
  for (Activation act : acts) {
    for (int outputs : {1, 3}) {
      NetworkSpec spec;
      spec.hidden = {12, 9, 7};
      spec.activation = act;
      spec.outputs = outputs;
      spec.leaky_alpha = 0.1;
      const Network net = make_network(spec, 7 + outputs);
      const Eigen::MatrixXd X = random_points(10000, 4.0, 99);
      const ForwardGeometry g = forward_geometry(net, X);
      const Eigen::MatrixXd f = forward(net, X);
      double worst = 0;
      for (Eigen::Index p = 0; p < X.cols(); ++p) {
        const Eigen::VectorXd piece = g.A[p] * X.col(p) + g.c.col(p);
        const double err = (piece - f.col(p)).cwiseAbs().maxCoeff() /
                           std::max(1.0, f.col(p).cwiseAbs().maxCoeff());
        worst = std::max(worst, err);
      }
      CAPTURE(to_string(act));
      CHECK(worst < 1e-9);
    }
  }
}

TEST_CASE("pre-activation gradients match central differences away from kinks") {
  NetworkSpec spec;
  spec.hidden = {8, 8};
  spec.activation = Activation::leaky_relu;
  const Network net = make_network(spec, 3);
  const Eigen::MatrixXd X = random_points(200, 2.0, 5);
  const ForwardGeometry g = forward_geometry(net, X);
  const double eps = 1e-6;
  int checked = 0;
  for (Eigen::Index p = 0; p < X.cols(); ++p) {
    for (int d = 0; d < 2; ++d) {
      Eigen::MatrixXd Xp = X.col(p), Xm = X.col(p);
      Xp(d) += eps;
      Xm(d) -= eps;
      const ForwardGeometry gp = forward_geometry(net, Xp), gm = forward_geometry(net, Xm);
      if (gp.codes[0] != g.codes[p] || gm.codes[0] != g.codes[p]) continue; // near a kink
      for (int l = 0; l < net.hidden_layers(); ++l) {
        const Eigen::VectorXd fd = (gp.pre[l].col(0) - gm.pre[l].col(0)) / (2 * eps);
        const Eigen::VectorXd an = g.pre_grad[l * 2 + d].col(p);
        CHECK((fd - an).cwiseAbs().maxCoeff() < 1e-6);
      }
      ++checked;
    }
  }
  CHECK(checked > 300);
}

TEST_CASE("folding batch norm into the weights leaves the evaluation-mode output unchanged") {
  NetworkSpec spec;
  spec.hidden = {6, 5};
  spec.batch_norm = true;
  Network net = make_network(spec, 11);
  Rng rng(2);
  for (int l = 0; l < net.hidden_layers(); ++l) {
    BatchNorm& bn = net.layers[l].bn;
    for (int k = 0; k < net.layers[l].width(); ++k) {
      bn.gamma(k) = rng.uniform(0.5, 2.0);
      bn.beta(k) = rng.uniform(-1, 1);
      bn.running_mean(k) = rng.uniform(-1, 1);
      bn.running_var(k) = rng.uniform(0.2, 3.0);
    }
  }
  // Oracle: the batch-norm formula applied literally, layer by layer.
  const Eigen::MatrixXd X = random_points(50, 3.0, 8);
  Eigen::MatrixXd Z = X;
  for (int l = 0; l <= net.hidden_layers(); ++l) {
    const Layer& layer = net.layers[l];
    Eigen::MatrixXd H = layer.W * Z;
    H.colwise() += layer.b;
    if (layer.batch_norm) {
      for (Eigen::Index k = 0; k < H.rows(); ++k)
        H.row(k) = ((H.row(k).array() - layer.bn.running_mean(k)) /
                        std::sqrt(layer.bn.running_var(k) + layer.bn.eps) * layer.bn.gamma(k) +
                    layer.bn.beta(k))
                       .matrix();
    }
    if (l < net.hidden_layers()) H = H.cwiseMax(0.0);
    Z = H;
  }
  const Eigen::MatrixXd f = forward(net, X);
  CHECK((f - Z).cwiseAbs().maxCoeff() < 1e-12);
  CHECK_FALSE(net.folded().layers[0].batch_norm);
}

TEST_CASE("codes of points are the sign patterns of their pre-activations") {
  NetworkSpec spec;
  spec.hidden = {5, 4};
  const Network net = make_network(spec, 21);
  const Eigen::MatrixXd X = random_points(300, 3.0, 4);
  const ForwardGeometry g = forward_geometry(net, X);
  const auto codes = activation_codes(net, X);
  for (Eigen::Index p = 0; p < X.cols(); ++p) {
    REQUIRE(codes[p] == g.codes[p]);
    for (int k = 0; k < 5; ++k) CHECK(codes[p].bit(k) == (g.pre[0](k, p) > 0));
    for (int k = 0; k < 4; ++k) CHECK(codes[p].bit(5 + k) == (g.pre[1](k, p) > 0));
  }
}

TEST_CASE("neuron keys and code hashes equal the test vectors shared with the shader") {
  // Computed independently (Python) from the definition in code_hash.h; the same vectors are
  // checked against the GLSL implementation in the browser tests.
  CHECK(neuron_key(0).lo == 0x688990c0U);
  CHECK(neuron_key(0).hi == 0xd1132181U);
  CHECK(neuron_key(1).lo == 0x53f1e9ddU);
  CHECK(neuron_key(15).hi == 0x14fd6ad2U);
  CHECK(neuron_key(63).lo == 0xab50c85fU);
  CHECK(neuron_key(511).hi == 0xf78f574cU);
  Code code;
  code.set(0);
  code.set(3);
  code.set(17);
  CHECK(code_hash(code).lo == 0x7f79adc0U);
  CHECK(code_hash(code).hi == 0x5b2db7b0U);
  CHECK(code_hash(code, 4).lo == (neuron_key(0).lo ^ neuron_key(3).lo));
}

TEST_CASE("pixel code hashes equal the hashes of the codes of the pixel centres") {
  NetworkSpec spec;
  spec.hidden = {7, 6, 5};
  const Network net = make_network(spec, 13);
  const Window window{-2, 3, -1, 2};
  const int W = 23, H = 17;
  for (int layers : {1, 2, -1}) {
    const auto hashes = pixel_code_hashes(net, window, W, H, layers);
    Eigen::MatrixXd X(2, W * H);
    for (int j = 0; j < H; ++j)
      for (int i = 0; i < W; ++i)
        X.col(j * W + i) << window.x0 + (i + 0.5) / W * window.width(),
            window.y1 - (j + 0.5) / H * window.height();
    const auto codes = activation_codes(net, X);
    const int neurons = layers < 0 ? net.hidden_neurons() : net.neuron_offset(layers);
    for (int p = 0; p < W * H; ++p) REQUIRE(hashes[p] == code_hash(codes[p], neurons));
  }
}

TEST_CASE("distinct codes of a random network get distinct hashes and colours") {
  NetworkSpec spec;
  spec.hidden = {16, 16};
  const Network net = make_network(spec, 5);
  const auto codes = activation_codes(net, random_points(20000, 3.0, 6));
  std::set<Code> distinct(codes.begin(), codes.end());
  std::set<std::uint64_t> hashes;
  std::set<std::string> colours;
  for (const Code& c : distinct) {
    hashes.insert(code_hash(c).value());
    char hex[8];
    to_hex(tile_colour(code_hash(c)), hex);
    colours.insert(hex);
  }
  CHECK(distinct.size() > 50);
  CHECK(hashes.size() == distinct.size());
  CHECK(colours.size() > distinct.size() * 95 / 100);
}

TEST_CASE("bias initialisations give zero, small or normally spread hidden biases") {
  NetworkSpec spec;
  spec.hidden = {64, 64};
  spec.bias_init = BiasInit::zero;
  CHECK(make_network(spec, 1).layers[0].b.cwiseAbs().maxCoeff() == 0.0);
  spec.bias_init = BiasInit::small;
  CHECK(make_network(spec, 1).layers[1].b.minCoeff() == doctest::Approx(0.01));
  spec.bias_init = BiasInit::normal;
  spec.bias_scale = 2.0;
  const Network net = make_network(spec, 1);
  const Eigen::VectorXd& b = net.layers[0].b; // (64)
  const double mean = b.mean();
  const double sd = std::sqrt((b.array() - mean).square().sum() / (b.size() - 1));
  CHECK(sd > 1.5);
  CHECK(sd < 2.5);
  CHECK(net.layers.back().b.cwiseAbs().maxCoeff() == 0.0); // output bias starts at zero
  BiasInit parsed;
  CHECK(parse_bias_init("normal", &parsed));
  CHECK(parsed == BiasInit::normal);
}

TEST_CASE("with a batch's statistics the network computes training mode's outputs on that batch") {
  NetworkSpec spec;
  spec.hidden = {5, 4};
  spec.batch_norm = true;
  spec.activation = Activation::leaky_relu;
  Network net = make_network(spec, 11);
  // Running statistics and affine parameters far from the batch's, so that they matter.
  Rng rng(5);
  for (Layer& layer : net.layers)
    if (layer.batch_norm)
      for (Eigen::Index k = 0; k < layer.width(); ++k) {
        layer.bn.gamma(k) = rng.uniform(0.5, 2.0);
        layer.bn.beta(k) = rng.uniform(-1.0, 1.0);
        layer.bn.running_mean(k) = rng.uniform(-3.0, 3.0);
        layer.bn.running_var(k) = rng.uniform(0.1, 9.0);
      }
  const Eigen::MatrixXd X = random_points(16, 2.0, 9); // (2, 16)
  // Training mode written out: each batch-norm layer standardises by the batch's own mean and
  // biased variance.
  Eigen::MatrixXd Z = X;
  for (const Layer& layer : net.layers) {
    Eigen::MatrixXd H = layer.W * Z; // (n, 16)
    H.colwise() += layer.b;
    if (layer.batch_norm) {
      for (Eigen::Index k = 0; k < H.rows(); ++k) {
        const double mean = H.row(k).mean();
        double var = 0;
        for (Eigen::Index j = 0; j < H.cols(); ++j) var += (H(k, j) - mean) * (H(k, j) - mean) / H.cols();
        for (Eigen::Index j = 0; j < H.cols(); ++j)
          H(k, j) = layer.bn.gamma(k) * (H(k, j) - mean) / std::sqrt(var + layer.bn.eps) + layer.bn.beta(k);
      }
      for (Eigen::Index j = 0; j < H.size(); ++j)
        if (H(j) < 0) H(j) *= layer.alpha;
    }
    Z = H;
  }
  const Network batch_net = with_batch_statistics(net, X);
  const Eigen::MatrixXd out = forward(batch_net, X); // (1, 16)
  CHECK((out - Z).cwiseAbs().maxCoeff() < 1e-10);
  // Evaluation mode with the running statistics is another function.
  CHECK((forward(net, X) - Z).cwiseAbs().maxCoeff() > 1e-3);
  // Only the running statistics changed.
  for (std::size_t l = 0; l < net.layers.size(); ++l) {
    CHECK(batch_net.layers[l].W == net.layers[l].W);
    CHECK(batch_net.layers[l].b == net.layers[l].b);
  }
  // Another batch gives other statistics, so another partition of the plane.
  const Network other = with_batch_statistics(net, random_points(16, 2.0, 10));
  CHECK((other.layers[0].bn.running_mean - batch_net.layers[0].bn.running_mean).norm() > 1e-6);
}

TEST_CASE("with a batch's statistics a network without batch norm is unchanged") {
  NetworkSpec spec;
  spec.hidden = {6, 6};
  const Network net = make_network(spec, 2);
  const Eigen::MatrixXd X = random_points(8, 1.0, 3);
  const Network same = with_batch_statistics(net, X);
  const Eigen::MatrixXd P = random_points(100, 3.0, 4);
  CHECK((forward(same, P) - forward(net, P)).cwiseAbs().maxCoeff() == 0.0);
}
