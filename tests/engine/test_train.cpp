// Training: gradients against central differences of a literal training-mode oracle, optimiser
// steps against hand computations, schedules, clipping, determinism, divergence handling, and
// training that actually learns small datasets built here.
#include "network.h"
#include "random.h"
#include "train.h"

#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

using namespace splinescope;

namespace {

// [SECTION] Datasets built inline

// n points uniform in [-1, 1]^2 labelled by the sign of x + y.
Dataset half_planes(int n, std::uint64_t seed) {
  Rng rng(seed);
  Dataset d;
  d.X.resize(2, n);
  d.labels.resize(n);
  for (int j = 0; j < n; ++j) {
    d.X(0, j) = rng.uniform(-1, 1);
    d.X(1, j) = rng.uniform(-1, 1);
    d.labels(j) = d.X(0, j) + d.X(1, j) > 0 ? 1 : 0;
  }
  return d;
}

// Class 0: disk of radius 0.5; class 1: ring between radii 0.8 and 1.2 (alternating).
Dataset disk_and_ring(int n, std::uint64_t seed) {
  Rng rng(seed);
  Dataset d;
  d.X.resize(2, n);
  d.labels.resize(n);
  for (int j = 0; j < n; ++j) {
    const int label = j % 2;
    const double r = label ? rng.uniform(0.8, 1.2) : 0.5 * std::sqrt(rng.uniform());
    const double angle = rng.uniform(0, 6.283185307179586);
    d.X.col(j) << r * std::cos(angle), r * std::sin(angle);
    d.labels(j) = label;
  }
  return d;
}

// Three classes by the angle of the point: sectors of 120 degrees.
Dataset sectors(int n, std::uint64_t seed) {
  Rng rng(seed);
  Dataset d;
  d.classes = 3;
  d.X.resize(2, n);
  d.labels.resize(n);
  for (int j = 0; j < n; ++j) {
    const double r = rng.uniform(0.2, 1.0), angle = rng.uniform(0, 6.283185307179586);
    d.X.col(j) << r * std::cos(angle), r * std::sin(angle);
    d.labels(j) = static_cast<int>(angle / (6.283185307179586 / 3));
  }
  return d;
}

// Regression targets t = sin(2x) + y / 2 on [-1, 1]^2.
Dataset wave(int n, std::uint64_t seed) {
  Rng rng(seed);
  Dataset d;
  d.classes = 0;
  d.X.resize(2, n);
  d.targets.resize(n);
  for (int j = 0; j < n; ++j) {
    d.X(0, j) = rng.uniform(-1, 1);
    d.X(1, j) = rng.uniform(-1, 1);
    d.targets(j) = std::sin(2 * d.X(0, j)) + 0.5 * d.X(1, j);
  }
  return d;
}

// [SECTION] Literal training-mode oracle

// The training-mode loss written out the plain way: batch statistics per neuron with explicit
// loops, textbook (unstabilised) losses. signs (optional) receives the sign of every input of
// every activation, so a caller can tell whether two evaluations lie on the same linear piece.
double oracle_loss(const Network& net, const Dataset& d, Loss loss, double l1, double l2,
                   std::vector<bool>* signs = nullptr) {
  const Eigen::Index n = d.size();
  Eigen::MatrixXd Z = d.X; // (n_in, n) input of the current layer
  for (const Layer& layer : net.layers) {
    Eigen::MatrixXd H(layer.width(), n); // (n_out, n)
    for (Eigen::Index p = 0; p < n; ++p)
      for (int k = 0; k < layer.width(); ++k) {
        double h = layer.b(k);
        for (int i = 0; i < layer.fan_in(); ++i) h += layer.W(k, i) * Z(i, p);
        H(k, p) = h;
      }
    if (layer.batch_norm) {
      for (int k = 0; k < layer.width(); ++k) {
        double mean = 0, var = 0;
        for (Eigen::Index p = 0; p < n; ++p) mean += H(k, p) / n;
        for (Eigen::Index p = 0; p < n; ++p) var += (H(k, p) - mean) * (H(k, p) - mean) / n;
        for (Eigen::Index p = 0; p < n; ++p)
          H(k, p) = layer.bn.gamma(k) * (H(k, p) - mean) / std::sqrt(var + layer.bn.eps) +
                    layer.bn.beta(k);
      }
    }
    for (Eigen::Index p = 0; p < n; ++p)
      for (int k = 0; k < layer.width(); ++k) {
        const double h = H(k, p);
        if (signs) signs->push_back(h > 0);
        switch (layer.activation) {
        case Activation::relu: H(k, p) = h > 0 ? h : 0; break;
        case Activation::leaky_relu: H(k, p) = h > 0 ? h : layer.alpha * h; break;
        case Activation::abs: H(k, p) = h > 0 ? h : -h; break;
        case Activation::linear: break;
        }
      }
    Z = H;
  }
  double total = 0;
  for (Eigen::Index p = 0; p < n; ++p) {
    if (loss == Loss::logistic) {
      const double s = 1 / (1 + std::exp(-Z(0, p)));
      total += d.labels(p) ? -std::log(s) : -std::log(1 - s);
    } else if (loss == Loss::softmax) {
      double sum = 0;
      for (Eigen::Index k = 0; k < Z.rows(); ++k) sum += std::exp(Z(k, p));
      total += -std::log(std::exp(Z(d.labels(p), p)) / sum);
    } else {
      total += (Z(0, p) - d.targets(p)) * (Z(0, p) - d.targets(p));
    }
  }
  double penalty = 0;
  for (const Layer& layer : net.layers)
    for (Eigen::Index i = 0; i < layer.W.size(); ++i)
      penalty += l1 * std::abs(layer.W.data()[i]) + 0.5 * l2 * layer.W.data()[i] * layer.W.data()[i];
  return total / n + penalty;
}

// Every trainable parameter of a network, and the matching gradient entries, in the same order.
std::vector<double*> parameters(Network& net) {
  std::vector<double*> out;
  for (Layer& layer : net.layers) {
    for (Eigen::Index i = 0; i < layer.W.size(); ++i) out.push_back(layer.W.data() + i);
    for (Eigen::Index i = 0; i < layer.b.size(); ++i) out.push_back(layer.b.data() + i);
    if (!layer.batch_norm) continue;
    for (Eigen::Index i = 0; i < layer.bn.gamma.size(); ++i) out.push_back(layer.bn.gamma.data() + i);
    for (Eigen::Index i = 0; i < layer.bn.beta.size(); ++i) out.push_back(layer.bn.beta.data() + i);
  }
  return out;
}
std::vector<double> flatten(const Gradients& g) {
  std::vector<double> out;
  for (const LayerGradients& layer : g.layers) {
    for (Eigen::Index i = 0; i < layer.dW.size(); ++i) out.push_back(layer.dW.data()[i]);
    for (Eigen::Index i = 0; i < layer.db.size(); ++i) out.push_back(layer.db(i));
    for (Eigen::Index i = 0; i < layer.dgamma.size(); ++i) out.push_back(layer.dgamma(i));
    for (Eigen::Index i = 0; i < layer.dbeta.size(); ++i) out.push_back(layer.dbeta(i));
  }
  return out;
}

// Compares compute_gradients with central differences of oracle_loss for every parameter whose
// perturbations stay on the linear piece of the base point; returns how many were compared.
int check_gradients(const Network& net, const Dataset& d, Loss loss, double l1 = 0, double l2 = 0) {
  const Gradients g = compute_gradients(net, d, loss, l1, l2);
  const std::vector<double> analytic = flatten(g);
  std::vector<bool> base_signs;
  const double base = oracle_loss(net, d, loss, l1, l2, &base_signs);
  CHECK(g.loss + g.penalty == doctest::Approx(base).epsilon(1e-12));
  Network probe = net;
  const std::vector<double*> params = parameters(probe);
  REQUIRE(params.size() == analytic.size());
  const double eps = 1e-6;
  int compared = 0;
  for (std::size_t i = 0; i < params.size(); ++i) {
    const double saved = *params[i];
    std::vector<bool> plus_signs, minus_signs;
    *params[i] = saved + eps;
    const double plus = oracle_loss(probe, d, loss, l1, l2, &plus_signs);
    *params[i] = saved - eps;
    const double minus = oracle_loss(probe, d, loss, l1, l2, &minus_signs);
    *params[i] = saved;
    if (plus_signs != base_signs || minus_signs != base_signs) continue; // a kink is within eps
    const double fd = (plus - minus) / (2 * eps);
    CAPTURE(i);
    CHECK(std::abs(fd - analytic[i]) <= 1e-6 * std::max(1.0, std::abs(fd)));
    ++compared;
  }
  return compared;
}

// 1 -> 1 -> 1 network with a linear hidden unit: f(x) = W2 (W1 x + b1) + b2, weights set by hand.
Network tiny_network() {
  NetworkSpec spec;
  spec.input_dim = 1;
  spec.hidden = {1};
  spec.activation = Activation::linear;
  Network net = make_network(spec, 1);
  net.layers[0].W << 2;
  net.layers[0].b << 0.5;
  net.layers[1].W << -1;
  net.layers[1].b << 0.25;
  return net;
}

// One point x = 1 with regression target 0. At the tiny network's weights
//   z = 2 + 0.5 = 2.5, f = -2.5 + 0.25 = -2.25, loss = f^2 = 5.0625, dloss/df = 2 f = -4.5,
//   dW1 = dloss/df * W2 * x = 4.5, db1 = 4.5, dW2 = dloss/df * z = -11.25, db2 = -4.5.
Dataset tiny_data() {
  Dataset d;
  d.classes = 0;
  d.X.resize(1, 1);
  d.X << 1;
  d.targets.resize(1);
  d.targets << 0;
  return d;
}

// The four parameters of the tiny network as (W1, b1, W2, b2).
Eigen::Vector4d tiny_params(const Network& net) {
  return Eigen::Vector4d(net.layers[0].W(0, 0), net.layers[0].b(0), net.layers[1].W(0, 0),
                         net.layers[1].b(0));
}

void check_params(const Network& net, double W1, double b1, double W2, double b2,
                  double tolerance = 1e-12) {
  const Eigen::Vector4d p = tiny_params(net); // (4)
  CHECK(p(0) == doctest::Approx(W1).epsilon(tolerance));
  CHECK(p(1) == doctest::Approx(b1).epsilon(tolerance));
  CHECK(p(2) == doctest::Approx(W2).epsilon(tolerance));
  CHECK(p(3) == doctest::Approx(b2).epsilon(tolerance));
}

TrainConfig sgd_config(double lr) {
  TrainConfig c;
  c.optimizer = Optimizer::sgd;
  c.learning_rate = lr;
  return c;
}

bool same_weights(const Network& a, const Network& b) {
  if (a.layers.size() != b.layers.size()) return false;
  for (std::size_t l = 0; l < a.layers.size(); ++l) {
    const Layer &x = a.layers[l], &y = b.layers[l];
    if (x.W != y.W || x.b != y.b) return false;
    if (x.batch_norm && (x.bn.gamma != y.bn.gamma || x.bn.beta != y.bn.beta ||
                         x.bn.running_mean != y.bn.running_mean ||
                         x.bn.running_var != y.bn.running_var))
      return false;
  }
  return true;
}

} // namespace

// -----------------------------------------------------------------------------------------------
// [SECTION] Gradients
// -----------------------------------------------------------------------------------------------

TEST_CASE("parameter gradients match central differences for every loss, activation and batch norm") {
  const Activation acts[] = {Activation::relu, Activation::leaky_relu, Activation::abs,
                             Activation::linear};
  const Loss losses[] = {Loss::logistic, Loss::softmax, Loss::mse};
  int seed = 0;
  for (Loss loss : losses) {
    for (Activation act : acts) {
      for (bool bn : {false, true}) {
        ++seed;
        NetworkSpec spec;
        spec.hidden = {5, 4};
        spec.activation = act;
        spec.leaky_alpha = 0.1;
        spec.batch_norm = bn;
        spec.outputs = loss == Loss::softmax ? 3 : 1;
        Network net = make_network(spec, 100 + seed);
        if (bn) { // move gamma and beta off their initial values so every term is exercised
          Rng rng(seed);
          for (int l = 0; l < net.hidden_layers(); ++l)
            for (int k = 0; k < net.layers[l].width(); ++k) {
              net.layers[l].bn.gamma(k) = rng.uniform(0.5, 1.5);
              net.layers[l].bn.beta(k) = rng.uniform(-0.3, 0.3);
            }
        }
        const Dataset d = loss == Loss::softmax  ? sectors(12, seed)
                          : loss == Loss::mse    ? wave(12, seed)
                                                 : half_planes(12, seed);
        CAPTURE(to_string(loss));
        CAPTURE(to_string(act));
        CAPTURE(bn);
        const int total = static_cast<int>(parameters(net).size());
        const int compared = check_gradients(net, d, loss);
        CHECK(compared >= total * 8 / 10);
      }
    }
  }
}

TEST_CASE("the gradient of the L1 and L2 penalties matches central differences") {
  NetworkSpec spec;
  spec.hidden = {6, 5};
  spec.activation = Activation::leaky_relu;
  spec.batch_norm = true;
  Network net = make_network(spec, 77);
  const Dataset d = half_planes(16, 3);
  const int compared = check_gradients(net, d, Loss::logistic, 0.03, 0.2);
  CHECK(compared >= static_cast<int>(parameters(net).size()) * 8 / 10);
}

TEST_CASE("penalties apply to weights only, with the L2 term halved") {
  // Tiny network: weights W1 = 2, W2 = -1; biases are not penalised.
  const Gradients plain = compute_gradients(tiny_network(), tiny_data(), Loss::mse);
  const Gradients l1 = compute_gradients(tiny_network(), tiny_data(), Loss::mse, 0.5, 0);
  const Gradients l2 = compute_gradients(tiny_network(), tiny_data(), Loss::mse, 0, 0.5);
  CHECK(plain.loss == doctest::Approx(5.0625));
  CHECK(plain.penalty == 0);
  CHECK(l1.penalty == doctest::Approx(0.5 * (2 + 1)));       // l1 * sum |w|
  CHECK(l2.penalty == doctest::Approx(0.5 * 0.5 * (4 + 1))); // 0.5 * l2 * sum w^2
  CHECK(l1.layers[0].dW(0, 0) == doctest::Approx(4.5 + 0.5));
  CHECK(l1.layers[1].dW(0, 0) == doctest::Approx(-11.25 - 0.5));
  CHECK(l2.layers[0].dW(0, 0) == doctest::Approx(4.5 + 0.5 * 2));
  CHECK(l2.layers[1].dW(0, 0) == doctest::Approx(-11.25 + 0.5 * -1));
  CHECK(l1.layers[0].db(0) == doctest::Approx(4.5));
  CHECK(l2.layers[1].db(0) == doctest::Approx(-4.5));
}

TEST_CASE("the stable losses stay finite and exact for huge logits") {
  // f(x) = 1000 x through the tiny linear network.
  Network net = tiny_network();
  net.layers[0].W << 1000;
  net.layers[0].b << 0;
  net.layers[1].W << 1;
  net.layers[1].b << 0;
  Dataset d;
  d.X.resize(1, 2);
  d.X << 1, -1; // logits 1000 and -1000
  d.labels.resize(2);
  d.labels << 0, 1; // both wrong by 1000: loss 1000 each
  const Metrics m = evaluate(net, d);
  CHECK(m.loss == doctest::Approx(1000));
  CHECK(m.accuracy == 0);
  const Gradients g = compute_gradients(net, d);
  CHECK(std::isfinite(g.layers[0].dW(0, 0)));
  // d loss / d logit = sigmoid(z) - y = +1 and -1; dW2 = mean(dz * h) = (1000 + 1000) / 2.
  CHECK(g.layers[1].dW(0, 0) == doctest::Approx(1000));

  NetworkSpec spec;
  spec.input_dim = 1;
  spec.hidden = {1};
  spec.activation = Activation::linear;
  spec.outputs = 3;
  Network wide = make_network(spec, 1);
  wide.layers[0].W << 1;
  wide.layers[0].b << 0;
  wide.layers[1].W << 1000, 0, -1000;
  wide.layers[1].b << 0, 0, 0;
  Dataset one;
  one.classes = 3;
  one.X.resize(1, 1);
  one.X << 1; // logits (1000, 0, -1000); label 1: loss = log-sum-exp - 0 = 1000 (+ e^-1000)
  one.labels.resize(1);
  one.labels << 1;
  CHECK(evaluate(wide, one).loss == doctest::Approx(1000));
}

TEST_CASE("evaluation reports the hand-computed logistic loss and accuracy") {
  // The 2-2-1 ReLU network of the network tests: outputs -5.75, 0.25, 12.25 at these points.
  NetworkSpec spec;
  spec.hidden = {2};
  Network net = make_network(spec, 1);
  net.layers[0].W << 1, -1, 2, 1;
  net.layers[0].b << 0.5, -1;
  net.layers[1].W << 3, -2;
  net.layers[1].b << 0.25;
  Dataset d;
  d.X.resize(2, 3);
  d.X << 1, -1, 0.5, 2, 0, -3;
  d.labels.resize(3);
  d.labels << 0, 1, 1;
  // softplus(z) - y z: log(1 + e^-5.75), log(1 + e^-0.25), log(1 + e^-12.25); mean 0.19304064...
  Metrics m = evaluate(net, d);
  CHECK(m.n == 3);
  CHECK(m.loss == doctest::Approx(0.19304064381873212).epsilon(1e-12));
  CHECK(m.accuracy == 1.0);
  d.labels << 0, 1, 0; // the third point is now wrong by 12.25
  m = evaluate(net, d);
  CHECK(m.loss == doctest::Approx(4.2763739771520655).epsilon(1e-12));
  CHECK(m.accuracy == doctest::Approx(2.0 / 3));
  CHECK(std::isnan(evaluate(tiny_network(), tiny_data()).accuracy));
  CHECK(evaluate(tiny_network(), tiny_data()).loss == doctest::Approx(5.0625));
}

TEST_CASE("the hardest points are those with the highest loss, each point's loss its own evaluation") {
  Rng rng(41);
  const Dataset d = sectors(60, 42); // three classes
  NetworkSpec spec;
  spec.outputs = 3;
  spec.hidden = {5};
  const Network net = make_network(spec, 43);
  // The oracle: every point evaluated alone.
  std::vector<std::pair<double, Eigen::Index>> alone;
  for (Eigen::Index j = 0; j < 40; ++j) {
    Dataset one;
    one.classes = d.classes;
    one.X = d.X.col(j);
    one.labels = d.labels.segment(j, 1);
    alone.emplace_back(evaluate(net, one).loss, j);
  }
  std::sort(alone.begin(), alone.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  const std::vector<Eigen::Index> hard = hardest_points(net, d, 7, 40);
  REQUIRE(hard.size() == 7);
  for (std::size_t k = 0; k < hard.size(); ++k) CHECK(hard[k] == alone[k].second);
  // Only the first 40 points were looked at; more than there are gives them all.
  CHECK(hardest_points(net, d, 100, 40).size() == 40);
  CHECK(hardest_points(net, d, 5, 0).empty());
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Optimisers against hand computations
// -----------------------------------------------------------------------------------------------

TEST_CASE("two Adam steps on the tiny network match the hand computation") {
  TrainConfig c;
  c.learning_rate = 0.1;
  Trainer trainer(tiny_network(), tiny_data(), c);
  // Step 1 (t = 1): m = 0.1 g, v = 0.001 g^2, mhat = g, vhat = g^2, so every parameter moves by
  // 0.1 * g / (|g| + 1e-8) against its gradient (4.5, 4.5, -11.25, -4.5):
  //   W1 = 2 - 0.1 * 4.5 / (4.5 + 1e-8) = 1.9000000002222, b1 = 0.4000000002222,
  //   W2 = -0.9000000000889, b2 = 0.3499999997778.
  StepResult r = trainer.step();
  CHECK(r.ok);
  CHECK(r.step == 1);
  CHECK(r.loss == doctest::Approx(5.0625));
  check_params(trainer.network(), 1.9000000002222222, 0.4000000002222222, -0.9000000000888889,
               0.3499999997777778);
  // Step 2 at z = 2.3, f = -0.9 * 2.3 + 0.35 = -1.72, loss 2.9584: g = (3.096, 3.096, -7.912, -3.44).
  // For W1: m = 0.9 * 0.45 + 0.1 * 3.096 = 0.7146, mhat = m / 0.19 = 3.7610526,
  //         v = 0.999 * 0.02025 + 0.001 * 9.585216 = 0.029814966, vhat = v / 0.001999 = 14.914940,
  //         W1 = 1.9 - 0.1 * 3.7610526 / (3.8619865 + 1e-8) = 1.8026135.
  // The others likewise (computed to full precision outside this code base).
  r = trainer.step();
  CHECK(r.ok);
  CHECK(r.step == 2);
  CHECK(r.loss == doctest::Approx(2.9584).epsilon(1e-8));
  check_params(trainer.network(), 1.802613524938813, 0.3026135249388131, -0.8023785606006101,
               0.44843060712807464, 1e-9);
}

TEST_CASE("SGD with momentum and with Nesterov momentum match the hand computation") {
  TrainConfig c = sgd_config(0.1);
  c.optimizer = Optimizer::momentum;
  c.momentum = 0.9;
  Trainer plain(tiny_network(), tiny_data(), c);
  // Step 1: v = g = (4.5, 4.5, -11.25, -4.5); params -= 0.1 v.
  plain.step();
  check_params(plain.network(), 1.55, 0.05, 0.125, 0.7);
  // Step 2 at z = 1.6, f = 0.125 * 1.6 + 0.7 = 0.9, dloss/df = 1.8: g = (0.225, 0.225, 2.88, 1.8);
  // v = 0.9 v + g = (4.275, 4.275, -7.245, -2.25); params -= 0.1 v.
  plain.step();
  check_params(plain.network(), 1.1225, -0.3775, 0.8495, 0.925);

  c.nesterov = true;
  Trainer nesterov(tiny_network(), tiny_data(), c);
  // Step 1: v = g; params -= 0.1 (g + 0.9 v) = 0.19 g.
  nesterov.step();
  check_params(nesterov.network(), 2 - 0.19 * 4.5, 0.5 - 0.19 * 4.5, -1 + 0.19 * 11.25,
               0.25 + 0.19 * 4.5);
  // Step 2: z = 1.145 - 0.355 = 0.79, f = 1.1375 * 0.79 + 1.105 = 2.003625, dloss/df = 4.00725,
  // g = (4.55824688, 4.55824688, 3.1657275, 4.00725); v = 0.9 g1 + g; params -= 0.1 (g + 0.9 v).
  nesterov.step();
  check_params(nesterov.network(), -0.08556690625000019, -1.5855669062500004, 1.4472617750000003,
               0.7081225);
}

TEST_CASE("AdamW decays weights but not biases, decoupled from the Adam step") {
  TrainConfig c;
  c.optimizer = Optimizer::adamw;
  c.learning_rate = 0.1;
  c.weight_decay = 0.5;
  Trainer trainer(tiny_network(), tiny_data(), c);
  trainer.step();
  // Weights: w (1 - 0.1 * 0.5) - 0.1 * g / (|g| + 1e-8): W1 = 1.9 - 0.1 = 1.8, W2 = -0.95 + 0.1.
  // Biases take the plain Adam step: b1 = 0.4, b2 = 0.35.
  check_params(trainer.network(), 1.800000000222222, 0.4000000002222222, -0.8500000000888889,
               0.3499999997777778);
  // Plain Adam ignores weight_decay.
  c.optimizer = Optimizer::adam;
  Trainer adam(tiny_network(), tiny_data(), c);
  adam.step();
  check_params(adam.network(), 1.9000000002222222, 0.4000000002222222, -0.9000000000888889,
               0.3499999997777778);
}

TEST_CASE("an SGD step with L2 and L1 penalties moves weights by the penalised gradient") {
  TrainConfig c = sgd_config(0.1);
  c.l2 = 0.5;
  Trainer l2(tiny_network(), tiny_data(), c);
  l2.step();
  // dW1 = 4.5 + 0.5 * 2 = 5.5, dW2 = -11.25 + 0.5 * -1 = -11.75; biases unpenalised.
  check_params(l2.network(), 2 - 0.55, 0.5 - 0.45, -1 + 1.175, 0.25 + 0.45);
  c.l2 = 0;
  c.l1 = 0.5;
  Trainer l1(tiny_network(), tiny_data(), c);
  l1.step();
  // dW1 = 4.5 + 0.5 sign(2) = 5, dW2 = -11.25 + 0.5 sign(-1) = -11.75.
  check_params(l1.network(), 2 - 0.5, 0.5 - 0.45, -1 + 1.175, 0.25 + 0.45);
}

TEST_CASE("gradient clipping rescales the gradient to the clip norm") {
  TrainConfig c = sgd_config(0.1);
  c.clip_norm = 1.0;
  Trainer trainer(tiny_network(), tiny_data(), c);
  trainer.step();
  // |g| = sqrt(3 * 4.5^2 + 11.25^2) = 13.686215693; params -= 0.1 g / |g|.
  check_params(trainer.network(), 1.9671202025389285, 0.46712020253892855, -0.9178005063473214,
               0.28287979746107145);

  // On a real network, every SGD update is at most lr * clip_norm long.
  NetworkSpec spec;
  spec.hidden = {8, 8};
  c.clip_norm = 0.05;
  c.learning_rate = 0.5;
  c.batch_size = 8;
  Trainer big(make_network(spec, 4), half_planes(64, 4), c);
  bool clipped = false;
  for (int s = 0; s < 50; ++s) {
    Network before = big.network();
    big.step();
    Network after = big.network();
    const std::vector<double*> p0 = parameters(before), p1 = parameters(after);
    double squared = 0;
    for (std::size_t i = 0; i < p0.size(); ++i) squared += (*p1[i] - *p0[i]) * (*p1[i] - *p0[i]);
    CHECK(std::sqrt(squared) <= 0.5 * 0.05 * (1 + 1e-12));
    clipped = clipped || std::sqrt(squared) > 0.5 * 0.05 * (1 - 1e-9);
  }
  CHECK(clipped);
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Schedules, batches, configuration
// -----------------------------------------------------------------------------------------------

TEST_CASE("learning-rate schedules give the expected rates at given steps") {
  TrainConfig c;
  c.learning_rate = 0.1;
  CHECK(scheduled_learning_rate(c, 0) == 0.1);
  CHECK(scheduled_learning_rate(c, 123456) == 0.1);
  c.schedule = Schedule::step;
  c.step_every = 100;
  c.step_gamma = 0.5;
  CHECK(scheduled_learning_rate(c, 0) == doctest::Approx(0.1));
  CHECK(scheduled_learning_rate(c, 99) == doctest::Approx(0.1));
  CHECK(scheduled_learning_rate(c, 100) == doctest::Approx(0.05));
  CHECK(scheduled_learning_rate(c, 250) == doctest::Approx(0.025));
  c.schedule = Schedule::cosine;
  c.cosine_steps = 100;
  c.cosine_floor = 0.1; // floor rate 0.01
  CHECK(scheduled_learning_rate(c, 0) == doctest::Approx(0.1));
  CHECK(scheduled_learning_rate(c, 50) == doctest::Approx(0.055)); // halfway: (0.1 + 0.01) / 2
  CHECK(scheduled_learning_rate(c, 25) == doctest::Approx(0.01 + 0.09 * (1 + std::sqrt(0.5)) / 2));
  CHECK(scheduled_learning_rate(c, 100) == doctest::Approx(0.01));
  CHECK(scheduled_learning_rate(c, 5000) == doctest::Approx(0.01));

  // The trainer applies the scheduled rate: step schedule halving after every step, plain SGD.
  TrainConfig s = sgd_config(0.1);
  s.schedule = Schedule::step;
  s.step_every = 1;
  s.step_gamma = 0.5;
  Trainer trainer(tiny_network(), tiny_data(), s);
  CHECK(trainer.learning_rate() == doctest::Approx(0.1));
  trainer.step(); // W1 = 2 - 0.1 * 4.5 = 1.55
  CHECK(trainer.learning_rate() == doctest::Approx(0.05));
  trainer.step(); // g(W1) = 0.225 at the second step, rate 0.05: W1 = 1.55 - 0.01125
  CHECK(tiny_params(trainer.network())(0) == doctest::Approx(1.53875));
  CHECK(trainer.learning_rate() == doctest::Approx(0.025));
}

TEST_CASE("mini-batches count steps and epochs with a constant batch size") {
  TrainConfig c;
  c.batch_size = 4;
  NetworkSpec spec;
  spec.hidden = {4};
  Trainer trainer(make_network(spec, 1), half_planes(10, 1), c);
  CHECK(trainer.batch_size() == 4);
  trainer.run(2); // 8 of 10 points
  CHECK(trainer.steps() == 2);
  CHECK(trainer.epochs() == 0);
  trainer.step(); // 12 points: one full pass
  CHECK(trainer.epochs() == 1);
  trainer.run(2); // 20 points: exactly two passes
  CHECK(trainer.epochs() == 2);
  CHECK(trainer.steps() == 5);
  c.batch_size = 100; // larger than the set: every step sees every point once
  Trainer full(make_network(spec, 1), half_planes(10, 1), c);
  CHECK(full.batch_size() == 10);
  full.run(3);
  CHECK(full.epochs() == 3);
}

TEST_CASE("training-mode batch norm updates the running statistics with the batch statistics") {
  NetworkSpec spec;
  spec.hidden = {4};
  spec.batch_norm = true;
  const Network net = make_network(spec, 9);
  const Dataset d = half_planes(20, 2);
  TrainConfig c;
  c.batch_size = 20; // the whole set, so the batch statistics do not depend on the order
  Trainer trainer(net, d, c);
  trainer.step();
  const Layer& before = net.layers[0];
  const BatchNorm& bn = trainer.network().layers[0].bn;
  for (int k = 0; k < 4; ++k) {
    double mean = 0, var = 0;
    for (int p = 0; p < 20; ++p)
      mean += (before.W.row(k).dot(d.X.col(p)) + before.b(k)) / 20;
    for (int p = 0; p < 20; ++p) {
      const double h = before.W.row(k).dot(d.X.col(p)) + before.b(k);
      var += (h - mean) * (h - mean) / 20; // biased
    }
    CHECK(bn.running_mean(k) == doctest::Approx(0.9 * 0 + 0.1 * mean).epsilon(1e-12));
    CHECK(bn.running_var(k) == doctest::Approx(0.9 * 1 + 0.1 * var).epsilon(1e-12));
  }
}

TEST_CASE("names of losses, optimisers and schedules round-trip and unknown names are rejected") {
  for (Loss l : {Loss::automatic, Loss::logistic, Loss::softmax, Loss::mse}) {
    Loss back = Loss::mse;
    CHECK(parse_loss(to_string(l), &back));
    CHECK(back == l);
  }
  for (Optimizer o : {Optimizer::sgd, Optimizer::momentum, Optimizer::adam, Optimizer::adamw}) {
    Optimizer back = Optimizer::sgd;
    CHECK(parse_optimizer(to_string(o), &back));
    CHECK(back == o);
  }
  for (Schedule s : {Schedule::constant, Schedule::step, Schedule::cosine}) {
    Schedule back = Schedule::constant;
    CHECK(parse_schedule(to_string(s), &back));
    CHECK(back == s);
  }
  Optimizer o = Optimizer::adam;
  CHECK_FALSE(parse_optimizer("adagrad", &o));
  CHECK(o == Optimizer::adam);
  Loss l = Loss::mse;
  CHECK(parse_loss("automatic", &l));
  CHECK(l == Loss::automatic);
}

TEST_CASE("invalid configurations are rejected with a sentence naming the field") {
  CHECK(validate(TrainConfig{}).empty());
  TrainConfig c;
  c.learning_rate = 0;
  CHECK(validate(c).find("learning rate") != std::string::npos);
  c.learning_rate = std::nan("");
  CHECK(validate(c).find("learning rate") != std::string::npos);
  c.learning_rate = 11;
  CHECK(validate(c).find("learning rate") != std::string::npos);
  c.learning_rate = 10;
  CHECK(validate(c).empty());
  c.batch_size = 0;
  CHECK(validate(c).find("batch size") != std::string::npos);
  c.batch_size = 4097;
  CHECK(validate(c).find("batch size") != std::string::npos);
  c = TrainConfig{};
  c.momentum = 1;
  CHECK(validate(c).find("momentum") != std::string::npos);
  c = TrainConfig{};
  c.beta2 = -0.1;
  CHECK(validate(c).find("beta2") != std::string::npos);
  c = TrainConfig{};
  c.clip_norm = -1;
  CHECK(validate(c).find("clipping") != std::string::npos);
  c = TrainConfig{};
  c.cosine_floor = 2;
  CHECK(validate(c).find("cosine") != std::string::npos);
  c = TrainConfig{};
  c.l2 = -1;
  CHECK(validate(c).find("L2") != std::string::npos);

  // Network and data that do not fit the loss.
  NetworkSpec spec;
  spec.outputs = 3;
  const Network three = make_network(spec, 1);
  c = TrainConfig{};
  c.loss = Loss::logistic;
  CHECK(validate(c, three, half_planes(10, 1)).find("1 output") != std::string::npos);
  CHECK_THROWS_AS(Trainer(three, half_planes(10, 1), c), std::invalid_argument);
  spec.outputs = 2;
  CHECK(validate(TrainConfig{}, make_network(spec, 1), sectors(10, 1)).find("label") !=
        std::string::npos);
  CHECK(validate(TrainConfig{}, three, wave(10, 1)).find("mse") != std::string::npos);
  CHECK(validate(TrainConfig{}, three, Dataset{}).find("empty") != std::string::npos);
  CHECK(resolve_loss(Loss::automatic, three, sectors(5, 1)) == Loss::softmax);
  spec.outputs = 1;
  CHECK(resolve_loss(Loss::automatic, make_network(spec, 1), half_planes(5, 1)) == Loss::logistic);
  CHECK(resolve_loss(Loss::automatic, make_network(spec, 1), wave(5, 1)) == Loss::mse);

  // Non-finite weights cannot start training; evaluating them just gives NaN.
  Network broken = make_network(spec, 1);
  broken.layers.back().b(0) = std::nan(""); // every output is NaN
  CHECK(validate(TrainConfig{}, broken, half_planes(10, 1)).find("non-finite") != std::string::npos);
  CHECK_THROWS_AS(Trainer(broken, half_planes(10, 1)), std::invalid_argument);
  CHECK(std::isnan(evaluate(broken, half_planes(10, 1)).loss));
}

TEST_CASE("set_config changes the rate without resetting weights and resets moments on a new optimiser") {
  NetworkSpec spec;
  spec.hidden = {8};
  const Network net = make_network(spec, 5);
  const Dataset d = half_planes(40, 5);
  TrainConfig c;
  c.batch_size = 8;

  // Halving the rate by hand after 5 steps equals a step schedule halving it at step 5.
  Trainer by_hand(net, d, c);
  by_hand.run(5);
  TrainConfig half = c;
  half.learning_rate = 0.005;
  CHECK(by_hand.set_config(half).empty());
  CHECK(by_hand.steps() == 5);
  by_hand.run(5);
  TrainConfig scheduled = c;
  scheduled.schedule = Schedule::step;
  scheduled.step_every = 5;
  scheduled.step_gamma = 0.5;
  Trainer by_schedule(net, d, scheduled);
  by_schedule.run(10);
  CHECK(same_weights(by_hand.network(), by_schedule.network()));

  // A refused config keeps the old one.
  TrainConfig bad = c;
  bad.batch_size = 0;
  CHECK_FALSE(by_hand.set_config(bad).empty());
  CHECK(by_hand.config().learning_rate == 0.005);

  // Switching Adam -> momentum starts momentum from zero: the first update is exactly lr * g.
  TrainConfig full = c;
  full.batch_size = 40;
  Trainer switcher(net, d, full);
  switcher.run(5);
  TrainConfig momentum = full;
  momentum.optimizer = Optimizer::momentum;
  momentum.learning_rate = 0.1;
  CHECK(switcher.set_config(momentum).empty());
  const Network before = switcher.network();
  const Gradients g = compute_gradients(before, d);
  switcher.step();
  for (int l = 0; l < 2; ++l) {
    const Eigen::MatrixXd expected = before.layers[l].W - 0.1 * g.layers[l].dW; // (n_out, n_in)
    CHECK((switcher.network().layers[l].W - expected).cwiseAbs().maxCoeff() < 1e-12);
  }
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Determinism, divergence, learning
// -----------------------------------------------------------------------------------------------

TEST_CASE("the same network, data, config and seed give bit-identical weights") {
  NetworkSpec spec;
  spec.hidden = {8, 8};
  spec.batch_norm = true;
  const Network net = make_network(spec, 12);
  const Dataset d = disk_and_ring(100, 12);
  TrainConfig c;
  c.batch_size = 16;
  c.seed = 99;
  Trainer a(net, d, c), b(net, d, c);
  for (int s = 0; s < 300; ++s) {
    const StepResult ra = a.step(), rb = b.step();
    REQUIRE(ra.loss == rb.loss);
  }
  CHECK(same_weights(a.network(), b.network()));
  c.seed = 100; // another batch order
  Trainer other(net, d, c);
  other.run(300);
  CHECK_FALSE(same_weights(a.network(), other.network()));
}

TEST_CASE("a huge learning rate diverges, reports the step and restores finite last-good weights") {
  NetworkSpec spec;
  spec.hidden = {16, 16};
  const Dataset d = wave(50, 8);
  TrainConfig c = sgd_config(10);
  Trainer trainer(make_network(spec, 8), d, c);
  Network last_good = trainer.network();
  StepResult r;
  for (int s = 0; s < 10000; ++s) {
    r = trainer.step();
    if (!r.ok) break;
    last_good = trainer.network();
  }
  REQUIRE_FALSE(r.ok);
  CHECK(trainer.diverged());
  CHECK(r.step == trainer.steps() + 1);
  CHECK(trainer.diverged_step() == r.step);
  CHECK(r.message.find("step " + std::to_string(r.step)) != std::string::npos);
  // Refuses further steps with the same report.
  const StepResult again = trainer.step();
  CHECK_FALSE(again.ok);
  CHECK(again.step == r.step);
  CHECK(again.message == r.message);
  // The network never holds the failed weights, and restoring brings back the last good ones.
  CHECK(same_weights(trainer.network(), last_good));
  CHECK(trainer.restore_last_good());
  CHECK_FALSE(trainer.diverged());
  CHECK(trainer.diverged_step() == 0);
  CHECK(same_weights(trainer.network(), last_good));
  for (const Layer& layer : trainer.network().layers) CHECK(layer.W.allFinite());
  CHECK_FALSE(trainer.restore_last_good());
  // Retrying the same step with the same settings fails the same way.
  const StepResult retry = trainer.step();
  CHECK_FALSE(retry.ok);
  CHECK(retry.step == r.step);
}

TEST_CASE("default training separates points by the sign of x + y") {
  NetworkSpec spec;
  const Dataset d = half_planes(200, 21);
  Trainer trainer(make_network(spec, 21), d, TrainConfig{});
  const Metrics start = trainer.evaluate();
  trainer.run(600);
  const Metrics end = trainer.evaluate();
  CHECK(end.n == 200);
  CHECK(end.loss < 0.3 * start.loss);
  CHECK(end.accuracy >= 0.97);
  // Held-out points from the same rule.
  CHECK(evaluate(trainer.network(), half_planes(500, 22)).accuracy >= 0.95);
}

TEST_CASE("default training learns a disk inside a ring, with and without batch norm") {
  for (bool bn : {false, true}) {
    NetworkSpec spec;
    spec.batch_norm = bn;
    Split split{disk_and_ring(200, 31), disk_and_ring(200, 32)};
    Trainer trainer(make_network(spec, 31), split, TrainConfig{});
    trainer.run(3000);
    CAPTURE(bn);
    CHECK(trainer.evaluate().accuracy >= 0.97);
    CHECK(evaluate(trainer.network(), split.test).accuracy >= 0.95);
  }
}

TEST_CASE("softmax training learns three angular sectors and mse training fits a wave") {
  NetworkSpec spec;
  spec.outputs = 3;
  Trainer sectors_trainer(make_network(spec, 41), sectors(300, 41), TrainConfig{});
  sectors_trainer.run(2000);
  CHECK(sectors_trainer.loss() == Loss::softmax);
  CHECK(sectors_trainer.evaluate().accuracy >= 0.95);

  spec.outputs = 1;
  Trainer wave_trainer(make_network(spec, 42), wave(200, 42), TrainConfig{});
  const double start = wave_trainer.evaluate().loss;
  wave_trainer.run(2000);
  CHECK(wave_trainer.loss() == Loss::mse);
  CHECK(wave_trainer.evaluate().loss < 0.05 * start);
}
