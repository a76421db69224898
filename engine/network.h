// network.h - piecewise-linear networks, and their forward pass with geometry.
//
// A network maps x in R^D through hidden layers
//     h(l) = W(l) z(l-1) + b(l),   z(l) = sigma(h(l))          (l = 1..L-1, z(0) = x)
// to outputs f(x) = W(L) z(L-1) + b(L). Every activation here is continuous piecewise linear and
// passes through 0 (sigma(h) = s * h with a slope s chosen by the sign of h), so f is an affine
// spline: on each tile of equal activation codes, f(x) = A x + c.
//
// Index
//   [SECTION] Specs and layers
//   [SECTION] Activation codes
//   [SECTION] Forward passes
#pragma once

#include "engine_limits.h"

#include <Eigen/Dense>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace splinescope {

// -----------------------------------------------------------------------------------------------
// [SECTION] Specs and layers
// -----------------------------------------------------------------------------------------------

enum class Activation { relu, leaky_relu, abs, linear };
enum class Init { he_normal, he_uniform, glorot_normal, glorot_uniform, uniform };
enum class BiasInit { zero, small, normal };

const char* to_string(Activation a);
const char* to_string(Init i);
const char* to_string(BiasInit b);
// Parse a name as written by to_string; false when the name is unknown.
bool parse_activation(const std::string& name, Activation* out);
bool parse_init(const std::string& name, Init* out);
bool parse_bias_init(const std::string& name, BiasInit* out);

// What a network looks like before it has weights. The defaults just work: 2 -> 16 -> 16 -> 1 ReLU.
struct NetworkSpec {
  int input_dim = 2;
  std::vector<int> hidden = {16, 16};      // widths of the hidden layers
  int outputs = 1;                         // 1: binary logit or regression; 2..10: classes
  Activation activation = Activation::relu;
  std::vector<Activation> layer_activations; // optional, one per hidden layer; overrides activation
  double leaky_alpha = 0.01;               // slope of leaky ReLU for h < 0
  bool batch_norm = false;                 // batch normalisation after each hidden affine map
  Init init = Init::he_normal;
  double init_scale = 0.5;                 // a in Init::uniform (weights uniform in [-a, a])
  BiasInit bias_init = BiasInit::small;    // small: 0.01 (keeps ReLUs alive at the start)
  double bias_scale = 1.0;                 // standard deviation of BiasInit::normal biases
};

// Empty when the spec is within the engine's limits, otherwise a sentence naming the problem.
std::string validate(const NetworkSpec& spec);

// Batch normalisation of one hidden layer: y = gamma * (h - mean) / sqrt(var + eps) + beta.
struct BatchNorm {
  Eigen::VectorXd gamma;        // (n)
  Eigen::VectorXd beta;         // (n)
  Eigen::VectorXd running_mean; // (n)
  Eigen::VectorXd running_var;  // (n)
  double momentum = 0.1;        // running = (1 - momentum) * running + momentum * batch
  double eps = 1e-5;
};

struct Layer {
  Eigen::MatrixXd W; // (n_out, n_in)
  Eigen::VectorXd b; // (n_out)
  Activation activation = Activation::linear; // the output layer is linear
  double alpha = 0.01;                        // leaky ReLU slope for h < 0
  bool batch_norm = false;
  BatchNorm bn;                               // used when batch_norm

  int width() const { return static_cast<int>(W.rows()); }
  int fan_in() const { return static_cast<int>(W.cols()); }
};

struct Network {
  int input_dim = 2;
  std::vector<Layer> layers; // hidden layers, then the output layer

  int hidden_layers() const { return static_cast<int>(layers.size()) - 1; }
  int outputs() const { return layers.empty() ? 0 : layers.back().width(); }
  int hidden_neurons() const;
  // Index of the first neuron of hidden layer l (0-based) in the global neuron numbering.
  int neuron_offset(int layer) const;
  // The same function in evaluation mode with batch norm folded into W and b: no layer has
  // batch_norm set, so the spline view of this network is exact.
  Network folded() const;
  // The spec this network was built from (widths, activations; init fields are defaults).
  NetworkSpec spec() const;
  // Multiply-adds of one forward pass of one point (a weight or a bias each): what per-point and
  // per-pixel work costs for this network, for budgets.
  double multiply_adds() const;
};

// Empty when a network's layers chain from its input dimension and stay within the engine's limits
// (a network read from a file or built by hand), otherwise a sentence naming the problem.
std::string validate(const Network& net);

// A seeded, randomly initialised network; throws std::invalid_argument when validate() fails.
Network make_network(const NetworkSpec& spec, std::uint64_t seed);

// Slope of the activation at pre-activation h (its derivative away from 0; at 0 the inactive side).
inline double activation_slope(Activation a, double alpha, double h) {
  switch (a) {
  case Activation::relu: return h > 0 ? 1.0 : 0.0;
  case Activation::leaky_relu: return h > 0 ? 1.0 : alpha;
  case Activation::abs: return h > 0 ? 1.0 : -1.0;
  case Activation::linear: return 1.0;
  }
  return 1.0;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Activation codes
// -----------------------------------------------------------------------------------------------

// The activation code of a point: bit k (global neuron numbering, layer by layer) is [h_k(x) > 0].
// Neurons of linear layers have no kink, cut nothing and keep their bit at 0.
struct Code {
  static constexpr int kWords = kMaxHiddenNeurons / 64;
  std::array<std::uint64_t, kWords> words{};

  bool bit(int k) const { return (words[k >> 6] >> (k & 63)) & 1u; }
  void set(int k) { words[k >> 6] |= std::uint64_t{1} << (k & 63); }
  // Number of neurons whose bits differ.
  int distance(const Code& other) const;
  // "0110.1011": one group of bits per layer, as the inspector shows it.
  std::string to_string(const Network& net) const;
  bool operator==(const Code& o) const { return words == o.words; }
  bool operator!=(const Code& o) const { return words != o.words; }
  bool operator<(const Code& o) const { return words < o.words; }
};

// -----------------------------------------------------------------------------------------------
// [SECTION] Forward passes (evaluation mode: batch norm uses running statistics)
// -----------------------------------------------------------------------------------------------

// Outputs for a batch. X: (D, n) one point per column. Returns (C, n).
Eigen::MatrixXd forward(const Network& net, const Eigen::MatrixXd& X);

// The network as training sees it on one batch: every batch-norm layer's running statistics
// replaced by that batch's (mean and biased variance of its pre-activations, layer by layer, as
// training mode computes them), so that the evaluation-mode network is the training-mode one on
// that batch. Without batch norm, the network itself. X: (D, m), m >= 1.
Network with_batch_statistics(const Network& net, const Eigen::MatrixXd& X);

// Everything the geometric view needs about a batch of points.
struct ForwardGeometry {
  std::vector<Eigen::MatrixXd> pre;       // per hidden layer l: (n_l, n) pre-activations h(l)
  std::vector<Eigen::MatrixXd> pre_grad;  // per hidden layer l and input direction d (index l*D+d):
                                          // (n_l, n) the derivative dh(l)/dx_d, i.e. grad h_k
  Eigen::MatrixXd output;                 // (C, n) f(x)
  std::vector<Eigen::MatrixXd> A;         // per point: (C, D) the affine piece's linear part
  Eigen::MatrixXd c;                      // (C, n) the affine piece's offset: f(x) = A x + c
  std::vector<Code> codes;                // per point
};

// Batched forward pass carrying the Jacobian of every layer (D directions) and the affine offset.
// X: (D, n). The network is folded (batch norm in evaluation mode) internally.
ForwardGeometry forward_geometry(const Network& net, const Eigen::MatrixXd& X);

// Activation codes only, for a batch. X: (D, n).
std::vector<Code> activation_codes(const Network& net, const Eigen::MatrixXd& X);

} // namespace splinescope
