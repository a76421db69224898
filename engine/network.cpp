// network.cpp - construction, folding and forward passes of piecewise-linear networks.
#include "network.h"

#include "names.h"
#include "random.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace splinescope {

// -----------------------------------------------------------------------------------------------
// [SECTION] Names
// -----------------------------------------------------------------------------------------------

const char* to_string(Activation a) {
  switch (a) {
  case Activation::relu: return "relu";
  case Activation::leaky_relu: return "leaky_relu";
  case Activation::abs: return "abs";
  case Activation::linear: return "linear";
  }
  return "?";
}
const char* to_string(Init i) {
  switch (i) {
  case Init::he_normal: return "he_normal";
  case Init::he_uniform: return "he_uniform";
  case Init::glorot_normal: return "glorot_normal";
  case Init::glorot_uniform: return "glorot_uniform";
  case Init::uniform: return "uniform";
  }
  return "?";
}
const char* to_string(BiasInit b) {
  switch (b) {
  case BiasInit::zero: return "zero";
  case BiasInit::small: return "small";
  case BiasInit::normal: return "normal";
  }
  return "?";
}

bool parse_activation(const std::string& name, Activation* out) {
  if (name == "leaky") return *out = Activation::leaky_relu, true;
  return parse_name(name,
                    std::array<Activation, 4>{Activation::relu, Activation::leaky_relu,
                                              Activation::abs, Activation::linear},
                    out);
}
bool parse_init(const std::string& name, Init* out) {
  return parse_name(name,
                    std::array<Init, 5>{Init::he_normal, Init::he_uniform, Init::glorot_normal,
                                        Init::glorot_uniform, Init::uniform},
                    out);
}
bool parse_bias_init(const std::string& name, BiasInit* out) {
  return parse_name(name, std::array<BiasInit, 3>{BiasInit::zero, BiasInit::small, BiasInit::normal}, out);
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Construction
// -----------------------------------------------------------------------------------------------

std::string validate(const NetworkSpec& spec) {
  std::ostringstream err;
  if (spec.input_dim < 1 || spec.input_dim > kMaxInputDim)
    err << "input dimension must be between 1 and " << kMaxInputDim << " (got " << spec.input_dim
        << ")";
  else if (spec.hidden.empty() || static_cast<int>(spec.hidden.size()) > kMaxHiddenLayers)
    err << "the number of hidden layers must be between 1 and " << kMaxHiddenLayers << " (got "
        << spec.hidden.size() << ")";
  else if (spec.outputs < 1 || spec.outputs > kMaxOutputs)
    err << "outputs must be between 1 and " << kMaxOutputs << " (got " << spec.outputs << ")";
  else if (!spec.layer_activations.empty() && spec.layer_activations.size() != spec.hidden.size())
    err << "layer activations: expected one per hidden layer (" << spec.hidden.size() << "), got "
        << spec.layer_activations.size();
  else if (!(spec.leaky_alpha >= 0.0 && spec.leaky_alpha < 1.0))
    err << "leaky ReLU slope must be in [0, 1) (got " << spec.leaky_alpha << ")";
  else if (!(spec.bias_scale >= 0.0 && spec.bias_scale <= 100.0))
    err << "bias scale must be in [0, 100] (got " << spec.bias_scale << ")";
  else if (!(spec.init_scale > 0.0 && spec.init_scale <= 100.0))
    err << "initialisation scale must be in (0, 100] (got " << spec.init_scale << ")";
  else {
    for (std::size_t l = 0; l < spec.hidden.size(); ++l) {
      if (spec.hidden[l] < 1 || spec.hidden[l] > kMaxWidth) {
        err << "width of hidden layer " << l + 1 << " must be between 1 and " << kMaxWidth
            << " (got " << spec.hidden[l] << ")";
        break;
      }
    }
  }
  return err.str();
}

namespace {
void init_weights(Eigen::MatrixXd& W, Init init, double scale, Rng& rng) {
  const double fan_in = static_cast<double>(W.cols());
  const double fan_out = static_cast<double>(W.rows());
  for (Eigen::Index j = 0; j < W.cols(); ++j) {
    for (Eigen::Index i = 0; i < W.rows(); ++i) {
      double w = 0.0;
      switch (init) {
      case Init::he_normal: w = rng.normal() * std::sqrt(2.0 / fan_in); break;
      case Init::he_uniform: w = rng.uniform(-1.0, 1.0) * std::sqrt(6.0 / fan_in); break;
      case Init::glorot_normal: w = rng.normal() * std::sqrt(2.0 / (fan_in + fan_out)); break;
      case Init::glorot_uniform:
        w = rng.uniform(-1.0, 1.0) * std::sqrt(6.0 / (fan_in + fan_out));
        break;
      case Init::uniform: w = rng.uniform(-scale, scale); break;
      }
      W(i, j) = w;
    }
  }
}
} // namespace

Network make_network(const NetworkSpec& spec, std::uint64_t seed) {
  const std::string problem = validate(spec);
  if (!problem.empty()) throw std::invalid_argument(problem);
  Rng rng(seed);
  Network net;
  net.input_dim = spec.input_dim;
  int fan_in = spec.input_dim;
  const int n_hidden = static_cast<int>(spec.hidden.size());
  for (int l = 0; l <= n_hidden; ++l) {
    const bool is_output = l == n_hidden;
    const int width = is_output ? spec.outputs : spec.hidden[l];
    Layer layer;
    layer.W.resize(width, fan_in);
    init_weights(layer.W, spec.init, spec.init_scale, rng);
    layer.b = Eigen::VectorXd::Constant(width, spec.bias_init == BiasInit::small ? 0.01 : 0.0);
    if (spec.bias_init == BiasInit::normal && !is_output)
      for (int k = 0; k < width; ++k) layer.b(k) = rng.normal() * spec.bias_scale;
    if (is_output) {
      layer.b.setZero();
      layer.activation = Activation::linear;
    } else {
      layer.activation =
          spec.layer_activations.empty() ? spec.activation : spec.layer_activations[l];
      layer.alpha = spec.leaky_alpha;
      layer.batch_norm = spec.batch_norm;
      if (spec.batch_norm) {
        layer.bn.gamma = Eigen::VectorXd::Ones(width);
        layer.bn.beta = Eigen::VectorXd::Zero(width);
        layer.bn.running_mean = Eigen::VectorXd::Zero(width);
        layer.bn.running_var = Eigen::VectorXd::Ones(width);
      }
    }
    net.layers.push_back(std::move(layer));
    fan_in = width;
  }
  return net;
}

int Network::hidden_neurons() const {
  int n = 0;
  for (int l = 0; l < hidden_layers(); ++l) n += layers[l].width();
  return n;
}

int Network::neuron_offset(int layer) const {
  int n = 0;
  for (int l = 0; l < layer; ++l) n += layers[l].width();
  return n;
}

Network Network::folded() const {
  Network out = *this;
  for (Layer& layer : out.layers) {
    if (!layer.batch_norm) continue;
    const BatchNorm& bn = layer.bn;
    // scale: (n) gamma / sqrt(var + eps)
    const Eigen::VectorXd scale =
        (bn.gamma.array() / (bn.running_var.array() + bn.eps).sqrt()).matrix();
    layer.W = scale.asDiagonal() * layer.W;
    layer.b = (scale.array() * (layer.b - bn.running_mean).array() + bn.beta.array()).matrix();
    layer.batch_norm = false;
  }
  return out;
}

double Network::multiply_adds() const {
  double n = 0;
  for (const Layer& layer : layers) n += static_cast<double>(layer.width()) * (layer.fan_in() + 1);
  return n;
}

NetworkSpec Network::spec() const {
  NetworkSpec s;
  s.input_dim = input_dim;
  s.hidden.clear();
  s.layer_activations.clear();
  for (int l = 0; l < hidden_layers(); ++l) {
    s.hidden.push_back(layers[l].width());
    s.layer_activations.push_back(layers[l].activation);
    s.leaky_alpha = layers[l].alpha;
    s.batch_norm = s.batch_norm || layers[l].batch_norm;
  }
  if (!s.layer_activations.empty()) s.activation = s.layer_activations.front();
  s.outputs = outputs();
  return s;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Codes
// -----------------------------------------------------------------------------------------------

int Code::distance(const Code& other) const {
  int d = 0;
  for (int w = 0; w < kWords; ++w) {
    std::uint64_t x = words[w] ^ other.words[w];
    while (x) {
      x &= x - 1;
      ++d;
    }
  }
  return d;
}

std::string Code::to_string(const Network& net) const {
  std::string s;
  int k = 0;
  for (int l = 0; l < net.hidden_layers(); ++l) {
    if (l > 0) s += '.';
    for (int i = 0; i < net.layers[l].width(); ++i, ++k) s += bit(k) ? '1' : '0';
  }
  return s;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Forward passes
// -----------------------------------------------------------------------------------------------

std::string validate(const Network& net) {
  if (net.layers.empty()) return "the network has no layers";
  const int D = net.input_dim;
  int fan_in = D;
  for (const Layer& layer : net.layers) {
    if (layer.W.cols() != fan_in || layer.b.size() != layer.W.rows())
      return "the network's layer shapes do not chain";
    fan_in = layer.width();
  }
  if (net.hidden_neurons() > kMaxHiddenNeurons) return "the network has too many hidden neurons";
  if (net.hidden_layers() > kMaxHiddenLayers) return "the network has too many hidden layers";
  if (D > kMaxInputDim) return "the network has more than " + std::to_string(kMaxInputDim) + " inputs";
  for (const Layer& layer : net.layers)
    if (layer.width() > kMaxWidth)
      return "a layer of the network is wider than " + std::to_string(kMaxWidth);
  return "";
}

namespace {
// Applies the activation in place and returns nothing; slopes are recomputed where needed.
void activate(Eigen::MatrixXd& H, Activation a, double alpha) {
  switch (a) {
  case Activation::relu: H = H.cwiseMax(0.0); break;
  case Activation::leaky_relu: H = H.unaryExpr([alpha](double h) { return h > 0 ? h : alpha * h; }); break;
  case Activation::abs: H = H.cwiseAbs(); break;
  case Activation::linear: break;
  }
}

void check_input(const Network& net, const Eigen::MatrixXd& X) {
  if (X.rows() != net.input_dim)
    throw std::invalid_argument("input has " + std::to_string(X.rows()) +
                                " coordinates, the network expects " +
                                std::to_string(net.input_dim));
}
} // namespace

Eigen::MatrixXd forward(const Network& net_in, const Eigen::MatrixXd& X) {
  check_input(net_in, X);
  const Network net = net_in.folded();
  if (net.layers.empty()) return X;
  // X is read where it lies, never copied: at D = 784 a copy would be the pass's largest buffer.
  Eigen::MatrixXd Z; // (n_l, n)
  for (std::size_t l = 0; l < net.layers.size(); ++l) {
    const Layer& layer = net.layers[l];
    const Eigen::MatrixXd& in = l == 0 ? X : Z; // (n_{l-1}, n)
    Eigen::MatrixXd H(layer.width(), X.cols()); // (n_l, n)
    H.noalias() = layer.W * in;
    H.colwise() += layer.b;
    activate(H, layer.activation, layer.alpha);
    Z = std::move(H);
  }
  return Z;
}

Network with_batch_statistics(const Network& net, const Eigen::MatrixXd& X) {
  check_input(net, X);
  Network out = net;
  Eigen::MatrixXd Z = X; // (n_l, m)
  for (Layer& layer : out.layers) {
    Eigen::MatrixXd H = layer.W * Z; // (n_out, m)
    H.colwise() += layer.b;
    if (layer.batch_norm) {
      BatchNorm& bn = layer.bn;
      bn.running_mean = H.rowwise().mean();
      H.colwise() -= bn.running_mean;
      bn.running_var = H.array().square().rowwise().mean().matrix();
      H.array().colwise() *= (bn.running_var.array() + bn.eps).rsqrt() * bn.gamma.array();
      H.colwise() += bn.beta;
    }
    activate(H, layer.activation, layer.alpha);
    Z = std::move(H);
  }
  return out;
}

ForwardGeometry forward_geometry(const Network& net_in, const Eigen::MatrixXd& X) {
  check_input(net_in, X);
  const Network net = net_in.folded();
  const int D = net.input_dim;
  const Eigen::Index n = X.cols();
  const int L = net.hidden_layers();
  ForwardGeometry g;
  g.codes.assign(n, Code{});

  // Z: (n_l, n) activations; G[d]: (n_l, n) dz/dx_d; E: (n_l, n) offsets, z = sum_d G[d] x_d + E.
  Eigen::MatrixXd Z = X;
  std::vector<Eigen::MatrixXd> G(D);
  for (int d = 0; d < D; ++d) {
    G[d] = Eigen::MatrixXd::Zero(D, n);
    G[d].row(d).setOnes();
  }
  Eigen::MatrixXd E = Eigen::MatrixXd::Zero(D, n);

  int neuron = 0;
  for (int l = 0; l <= L; ++l) {
    const Layer& layer = net.layers[l];
    Eigen::MatrixXd H = layer.W * Z; // (n_l, n)
    H.colwise() += layer.b;
    for (int d = 0; d < D; ++d) G[d] = layer.W * G[d];
    E = layer.W * E;
    E.colwise() += layer.b;
    if (l == L) {
      g.output = H;
      g.c = E;
      g.A.assign(n, Eigen::MatrixXd(layer.width(), D));
      for (Eigen::Index p = 0; p < n; ++p)
        for (int d = 0; d < D; ++d) g.A[p].col(d) = G[d].col(p);
      break;
    }
    g.pre.push_back(H);
    for (int d = 0; d < D; ++d) g.pre_grad.push_back(G[d]);
    // S: (n_l, n) slopes chosen by the code
    const bool has_kink = layer.activation != Activation::linear;
    Eigen::MatrixXd S(H.rows(), n);
    for (Eigen::Index p = 0; p < n; ++p) {
      for (Eigen::Index k = 0; k < H.rows(); ++k) {
        const double h = H(k, p);
        S(k, p) = activation_slope(layer.activation, layer.alpha, h);
        if (h > 0 && has_kink) g.codes[p].set(neuron + static_cast<int>(k));
      }
    }
    neuron += layer.width();
    Z = S.cwiseProduct(H);
    for (int d = 0; d < D; ++d) G[d] = S.cwiseProduct(G[d]);
    E = S.cwiseProduct(E);
  }
  return g;
}

std::vector<Code> activation_codes(const Network& net_in, const Eigen::MatrixXd& X) {
  check_input(net_in, X);
  const Network net = net_in.folded();
  const Eigen::Index n = X.cols();
  std::vector<Code> codes(n);
  Eigen::MatrixXd Z; // (n_l, n); X itself is never copied (see forward())
  int neuron = 0;
  for (int l = 0; l < net.hidden_layers(); ++l) {
    const Layer& layer = net.layers[l];
    const Eigen::MatrixXd& in = l == 0 ? X : Z; // (n_{l-1}, n)
    Eigen::MatrixXd H(layer.width(), n);        // (n_l, n)
    H.noalias() = layer.W * in;
    H.colwise() += layer.b;
    if (layer.activation != Activation::linear) {
      for (Eigen::Index p = 0; p < n; ++p)
        for (Eigen::Index k = 0; k < H.rows(); ++k)
          if (H(k, p) > 0) codes[p].set(neuron + static_cast<int>(k));
    }
    neuron += layer.width();
    activate(H, layer.activation, layer.alpha);
    Z = std::move(H);
  }
  return codes;
}

} // namespace splinescope
