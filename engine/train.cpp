// train.cpp - losses, training-mode backpropagation, optimisers and the Trainer.
//
// Index
//   [SECTION] Names
//   [SECTION] Validation and schedules
//   [SECTION] Losses
//   [SECTION] Training-mode forward and backward passes
//   [SECTION] Evaluation and gradients
//   [SECTION] Trainer
#include "train.h"

#include "names.h"
#include "random.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>
#include <stdexcept>

namespace splinescope {

// -----------------------------------------------------------------------------------------------
// [SECTION] Names
// -----------------------------------------------------------------------------------------------

const char* to_string(Loss l) {
  switch (l) {
  case Loss::automatic: return "auto";
  case Loss::logistic: return "logistic";
  case Loss::softmax: return "softmax";
  case Loss::mse: return "mse";
  }
  return "?";
}
const char* to_string(Optimizer o) {
  switch (o) {
  case Optimizer::sgd: return "sgd";
  case Optimizer::momentum: return "momentum";
  case Optimizer::adam: return "adam";
  case Optimizer::adamw: return "adamw";
  }
  return "?";
}
const char* to_string(Schedule s) {
  switch (s) {
  case Schedule::constant: return "constant";
  case Schedule::step: return "step";
  case Schedule::cosine: return "cosine";
  }
  return "?";
}

bool parse_loss(const std::string& name, Loss* out) {
  if (name == "automatic") return *out = Loss::automatic, true;
  return parse_name(name,
                    std::array<Loss, 4>{Loss::automatic, Loss::logistic, Loss::softmax, Loss::mse},
                    out);
}
bool parse_optimizer(const std::string& name, Optimizer* out) {
  return parse_name(name,
                    std::array<Optimizer, 4>{Optimizer::sgd, Optimizer::momentum, Optimizer::adam,
                                             Optimizer::adamw},
                    out);
}
bool parse_schedule(const std::string& name, Schedule* out) {
  return parse_name(name, std::array<Schedule, 3>{Schedule::constant, Schedule::step, Schedule::cosine},
                    out);
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Validation and schedules
// -----------------------------------------------------------------------------------------------

namespace {
// True when lo <= x <= hi (or lo < x when open_lo); false for NaN.
bool in_range(double x, double lo, double hi, bool open_lo = false, bool open_hi = false) {
  if (!std::isfinite(x)) return false;
  if (open_lo ? !(x > lo) : !(x >= lo)) return false;
  if (open_hi ? !(x < hi) : !(x <= hi)) return false;
  return true;
}
} // namespace

std::string validate(const TrainConfig& c) {
  std::ostringstream err;
  if (!in_range(c.learning_rate, 0.0, 10.0, true))
    err << "learning rate must be finite and in (0, 10] (got " << c.learning_rate << ")";
  else if (!in_range(c.momentum, 0.0, 1.0, false, true))
    err << "momentum must be in [0, 1) (got " << c.momentum << ")";
  else if (!in_range(c.beta1, 0.0, 1.0, false, true))
    err << "beta1 must be in [0, 1) (got " << c.beta1 << ")";
  else if (!in_range(c.beta2, 0.0, 1.0, false, true))
    err << "beta2 must be in [0, 1) (got " << c.beta2 << ")";
  else if (!in_range(c.eps, 0.0, 1.0, true))
    err << "Adam epsilon must be in (0, 1] (got " << c.eps << ")";
  else if (!in_range(c.weight_decay, 0.0, 1.0))
    err << "weight decay must be in [0, 1] (got " << c.weight_decay << ")";
  else if (!in_range(c.l1, 0.0, 10.0))
    err << "L1 penalty must be in [0, 10] (got " << c.l1 << ")";
  else if (!in_range(c.l2, 0.0, 10.0))
    err << "L2 penalty must be in [0, 10] (got " << c.l2 << ")";
  else if (c.batch_size < 1 || c.batch_size > 4096)
    err << "batch size must be between 1 and 4096 (got " << c.batch_size << ")";
  else if (c.step_every < 1)
    err << "step schedule interval must be at least 1 step (got " << c.step_every << ")";
  else if (!in_range(c.step_gamma, 0.0, 1.0, true))
    err << "step schedule factor must be in (0, 1] (got " << c.step_gamma << ")";
  else if (c.cosine_steps < 1)
    err << "cosine schedule length must be at least 1 step (got " << c.cosine_steps << ")";
  else if (!in_range(c.cosine_floor, 0.0, 1.0))
    err << "cosine schedule floor must be a fraction in [0, 1] (got " << c.cosine_floor << ")";
  else if (!in_range(c.clip_norm, 0.0, std::numeric_limits<double>::max()))
    err << "gradient clipping norm must be finite and at least 0 (got " << c.clip_norm << ")";
  return err.str();
}

Loss resolve_loss(Loss loss, const Network& net, const Dataset& data) {
  if (loss != Loss::automatic) return loss;
  if (data.is_regression()) return Loss::mse;
  return net.outputs() == 1 ? Loss::logistic : Loss::softmax;
}

namespace {
bool network_is_finite(const Network& net) {
  for (const Layer& layer : net.layers) {
    if (!layer.W.allFinite() || !layer.b.allFinite()) return false;
    if (layer.batch_norm && (!layer.bn.gamma.allFinite() || !layer.bn.beta.allFinite() ||
                             !layer.bn.running_mean.allFinite() || !layer.bn.running_var.allFinite()))
      return false;
  }
  return true;
}

// Whether net can be fed data with this loss (shapes and labels); "" or the reason. Evaluation
// needs no more: non-finite values there just give a NaN loss.
std::string check_fit(Loss loss_in, const Network& net, const Dataset& data) {
  std::ostringstream err;
  if (net.layers.empty()) return "the network has no layers";
  if (data.dim() != net.input_dim) {
    err << "the dataset has " << data.dim() << "-dimensional points, the network expects "
        << net.input_dim;
    return err.str();
  }
  const Loss loss = resolve_loss(loss_in, net, data);
  const int C = net.outputs();
  const Eigen::Index n = data.size();
  if (loss == Loss::mse) {
    if (C != 1)
      err << "the mse loss needs a network with 1 output (it has " << C << ")";
    else if (data.targets.size() != n)
      err << "the mse loss needs one regression target per point (" << n << " points, "
          << data.targets.size() << " targets)";
    return err.str();
  }
  if (data.is_regression() || data.labels.size() != n) {
    err << "the " << to_string(loss) << " loss needs one class label per point";
    return err.str();
  }
  if (loss == Loss::logistic && C != 1) {
    err << "the logistic loss needs a network with 1 output (it has " << C << ")";
    return err.str();
  }
  if (loss == Loss::softmax && C < 2) {
    err << "the softmax loss needs a network with at least 2 outputs (it has " << C << ")";
    return err.str();
  }
  const int label_limit = loss == Loss::logistic ? 2 : C;
  for (Eigen::Index i = 0; i < n; ++i) {
    if (data.labels(i) < 0 || data.labels(i) >= label_limit) {
      err << "label " << data.labels(i) << " of point " << i << " is out of range for the "
          << to_string(loss) << " loss with " << C << " output" << (C == 1 ? "" : "s")
          << " (labels must be 0.." << label_limit - 1 << ")";
      return err.str();
    }
  }
  return "";
}
} // namespace

std::string validate(const TrainConfig& config, const Network& net, const Dataset& data) {
  std::string problem = validate(config);
  if (!problem.empty()) return problem;
  if (data.size() == 0) return "the training set is empty";
  problem = check_fit(config.loss, net, data);
  if (!problem.empty()) return problem;
  // Training from non-finite values would report a divergence at step 1 for no visible reason.
  if (!network_is_finite(net)) return "the network has non-finite parameters";
  if (!data.X.allFinite()) return "the training set has non-finite coordinates";
  if (data.targets.size() && !data.targets.allFinite())
    return "the training set has non-finite regression targets";
  return "";
}

double scheduled_learning_rate(const TrainConfig& c, std::int64_t steps_done) {
  const double lr = c.learning_rate;
  switch (c.schedule) {
  case Schedule::constant: return lr;
  case Schedule::step:
    return lr * std::pow(c.step_gamma, static_cast<double>(steps_done / c.step_every));
  case Schedule::cosine: {
    const double t = static_cast<double>(std::min<std::int64_t>(steps_done, c.cosine_steps));
    const double floor = lr * c.cosine_floor;
    const double pi = 3.141592653589793;
    return floor + (lr - floor) * 0.5 * (1.0 + std::cos(pi * t / c.cosine_steps));
  }
  }
  return lr;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Losses
// -----------------------------------------------------------------------------------------------

namespace {
// Mean loss of outputs F (C, m) against labels (m) or targets (m); when dF is given, also its
// gradient dLoss/dF (C, m). Stable forms: softplus through log1p(exp(-|z|)), softmax through the
// shifted log-sum-exp, so large logits never overflow.
double batch_loss(Loss loss, const Eigen::MatrixXd& F, const Eigen::VectorXi& labels,
                  const Eigen::VectorXd& targets, Eigen::MatrixXd* dF) {
  const Eigen::Index m = F.cols();
  const double inv_m = 1.0 / static_cast<double>(m);
  double total = 0.0;
  switch (loss) {
  case Loss::automatic: // resolved before we get here
  case Loss::logistic:
    for (Eigen::Index j = 0; j < m; ++j) {
      const double z = F(0, j);
      const double y = labels(j);
      total += std::max(z, 0.0) - z * y + std::log1p(std::exp(-std::abs(z)));
      if (dF) {
        const double e = std::exp(-std::abs(z)); // sigmoid without overflow on either side
        const double sigmoid = z >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
        (*dF)(0, j) = (sigmoid - y) * inv_m;
      }
    }
    break;
  case Loss::softmax: {
    const Eigen::Index C = F.rows();
    for (Eigen::Index j = 0; j < m; ++j) {
      const double top = F.col(j).maxCoeff();
      double sum = 0.0;
      for (Eigen::Index k = 0; k < C; ++k) sum += std::exp(F(k, j) - top);
      const int y = labels(j);
      total += top + std::log(sum) - F(y, j);
      if (dF) {
        for (Eigen::Index k = 0; k < C; ++k)
          (*dF)(k, j) = (std::exp(F(k, j) - top) / sum - (k == y ? 1.0 : 0.0)) * inv_m;
      }
    }
    break;
  }
  case Loss::mse:
    for (Eigen::Index j = 0; j < m; ++j) {
      const double d = F(0, j) - targets(j);
      total += d * d;
      if (dF) (*dF)(0, j) = 2.0 * d * inv_m;
    }
    break;
  }
  return total * inv_m;
}

// Predicted class of column j of F (C, n): the sign of the logit for C = 1, else the argmax.
int predicted_class(const Eigen::MatrixXd& F, Eigen::Index j) {
  if (F.rows() == 1) return F(0, j) > 0 ? 1 : 0;
  Eigen::Index k = 0;
  F.col(j).maxCoeff(&k);
  return static_cast<int>(k);
}
} // namespace

// -----------------------------------------------------------------------------------------------
// [SECTION] Training-mode forward and backward passes
// -----------------------------------------------------------------------------------------------

namespace {
using detail::LayerBuffers;

// Slope of an activation indexed by [h > 0]; sigma(h) = slope * h.
std::array<double, 2> slope_table(Activation a, double alpha) {
  return {activation_slope(a, alpha, -1.0), activation_slope(a, alpha, 1.0)};
}

// A = sigma(Y) elementwise, all (n, m), as slope * y with the slope looked up by the sign: there is
// no branch to mispredict on the random signs of a batch, and a NaN input stays NaN (0 * NaN), so
// a diverging pre-activation reaches the loss instead of being clamped to 0.
void activate(Activation a, double alpha, const Eigen::MatrixXd& Y, Eigen::MatrixXd& A) {
  const std::array<double, 2> slope = slope_table(a, alpha);
  const double* y = Y.data();
  double* out = A.data();
  const Eigen::Index size = Y.size();
  for (Eigen::Index i = 0; i < size; ++i) out[i] = slope[y[i] > 0] * y[i];
}

// dY = sigma'(Y) * dA elementwise, all (n, m), with the slopes of activation_slope().
void through_slopes(Activation a, double alpha, const Eigen::MatrixXd& Y, const Eigen::MatrixXd& dA,
                    Eigen::MatrixXd& dY) {
  const std::array<double, 2> slope = slope_table(a, alpha);
  const double* y = Y.data();
  const double* g = dA.data();
  double* out = dY.data();
  const Eigen::Index size = Y.size();
  for (Eigen::Index i = 0; i < size; ++i) out[i] = slope[y[i] > 0] * g[i];
}

// The matrices a layer's forward pass leaves its input-to-activation Y and output A in: linear
// layers and layers without batch norm alias earlier buffers instead of copying.
const Eigen::MatrixXd& y_of(const Layer& layer, const LayerBuffers& B) {
  return layer.batch_norm ? B.Y : B.H;
}
const Eigen::MatrixXd& a_of(const Layer& layer, const LayerBuffers& B) {
  return layer.activation == Activation::linear ? y_of(layer, B) : B.A;
}

// Sizes the buffers for batches of m points (no-op when they already fit).
void size_buffers(const Network& net, Eigen::Index m, std::vector<LayerBuffers>& buffers) {
  buffers.resize(net.layers.size());
  for (std::size_t l = 0; l < net.layers.size(); ++l) {
    const Layer& layer = net.layers[l];
    LayerBuffers& B = buffers[l];
    const Eigen::Index n = layer.width();
    B.H.resize(n, m);
    B.dA.resize(n, m);
    const bool kink = layer.activation != Activation::linear;
    B.A.resize(kink ? n : 0, kink ? m : 0);
    B.dY.resize(kink ? n : 0, kink ? m : 0);
    const Eigen::Index bn_rows = layer.batch_norm ? n : 0, bn_cols = layer.batch_norm ? m : 0;
    B.Xhat.resize(bn_rows, bn_cols);
    B.Y.resize(bn_rows, bn_cols);
    B.dH.resize(bn_rows, bn_cols);
    B.mean.resize(bn_rows);
    B.var.resize(bn_rows);
    B.inv_std.resize(bn_rows);
    B.tmp.resize(bn_rows);
  }
}

void size_gradients(const Network& net, std::vector<LayerGradients>& grads) {
  grads.resize(net.layers.size());
  for (std::size_t l = 0; l < net.layers.size(); ++l) {
    const Layer& layer = net.layers[l];
    grads[l].dW.resize(layer.W.rows(), layer.W.cols());
    grads[l].db.resize(layer.b.size());
    const Eigen::Index bn = layer.batch_norm ? layer.width() : 0;
    grads[l].dgamma.resize(bn);
    grads[l].dbeta.resize(bn);
  }
}

// Training-mode forward pass of X (D, m); returns the mean data loss and writes dF (C, m).
// Buffers must be sized for m points.
double forward_pass(const Network& net, Loss loss, const Eigen::MatrixXd& X,
                    const Eigen::VectorXi& labels, const Eigen::VectorXd& targets,
                    std::vector<LayerBuffers>& buffers, Eigen::MatrixXd& dF) {
  const Eigen::MatrixXd* Z = &X; // (n_in, m) input of the current layer
  for (std::size_t l = 0; l < net.layers.size(); ++l) {
    const Layer& layer = net.layers[l];
    LayerBuffers& B = buffers[l];
    B.H.noalias() = layer.W * *Z;
    B.H.colwise() += layer.b;
    if (layer.batch_norm) {
      const BatchNorm& bn = layer.bn;
      B.mean = B.H.rowwise().mean();
      B.Xhat = B.H.colwise() - B.mean; // centred for now
      B.var = B.Xhat.array().square().rowwise().mean().matrix();
      B.inv_std = (B.var.array() + bn.eps).rsqrt().matrix();
      B.Xhat.array().colwise() *= B.inv_std.array();
      B.Y = B.Xhat;
      B.Y.array().colwise() *= bn.gamma.array();
      B.Y.colwise() += bn.beta;
    }
    if (layer.activation != Activation::linear)
      activate(layer.activation, layer.alpha, y_of(layer, B), B.A);
    Z = &a_of(layer, B);
  }
  return batch_loss(loss, *Z, labels, targets, &dF);
}

// Backward pass after forward_pass with the same X; writes every layer's gradient of the data loss.
void backward_pass(const Network& net, const Eigen::MatrixXd& X, const Eigen::MatrixXd& dF,
                   std::vector<LayerBuffers>& buffers, std::vector<LayerGradients>& grads) {
  const int last = static_cast<int>(net.layers.size()) - 1;
  for (int l = last; l >= 0; --l) {
    const Layer& layer = net.layers[l];
    LayerBuffers& B = buffers[l];
    LayerGradients& G = grads[l];
    const Eigen::MatrixXd& dA = l == last ? dF : B.dA; // (n_out, m)

    // Through the activation: dY = slope(Y) * dA.
    const Eigen::MatrixXd* dY = &dA;
    if (layer.activation != Activation::linear) {
      through_slopes(layer.activation, layer.alpha, y_of(layer, B), dA, B.dY);
      dY = &B.dY;
    }

    // Through batch normalisation with batch statistics:
    //   dH = gamma * inv_std * (dY - mean(dY) - Xhat * mean(dY * Xhat))
    // where the two means are dbeta / m and dgamma / m.
    const Eigen::MatrixXd* dH = dY;
    if (layer.batch_norm) {
      const double inv_m = 1.0 / static_cast<double>(dY->cols());
      G.dgamma = dY->cwiseProduct(B.Xhat).rowwise().sum();
      G.dbeta = dY->rowwise().sum();
      B.tmp = G.dgamma * inv_m;
      B.dH = B.Xhat;
      B.dH.array().colwise() *= B.tmp.array();
      B.dH = *dY - B.dH;
      B.tmp = G.dbeta * inv_m;
      B.dH.colwise() -= B.tmp;
      B.tmp = layer.bn.gamma.cwiseProduct(B.inv_std);
      B.dH.array().colwise() *= B.tmp.array();
      dH = &B.dH;
    }

    const Eigen::MatrixXd& Z = l == 0 ? X : a_of(net.layers[l - 1], buffers[l - 1]);
    G.dW.noalias() = *dH * Z.transpose();
    G.db = dH->rowwise().sum();
    if (l > 0) buffers[l - 1].dA.noalias() = layer.W.transpose() * *dH;
  }
}

// Adds the gradient of l1 * sum|w| + 0.5 * l2 * sum w^2 over all weights; returns the penalty.
double add_penalties(const Network& net, double l1, double l2, std::vector<LayerGradients>& grads) {
  if (l1 == 0.0 && l2 == 0.0) return 0.0;
  double penalty = 0.0;
  for (std::size_t l = 0; l < net.layers.size(); ++l) {
    const Eigen::MatrixXd& W = net.layers[l].W;
    if (l1 != 0.0) {
      penalty += l1 * W.cwiseAbs().sum();
      grads[l].dW += l1 * W.unaryExpr([](double w) { return w > 0 ? 1.0 : (w < 0 ? -1.0 : 0.0); });
    }
    if (l2 != 0.0) {
      penalty += 0.5 * l2 * W.squaredNorm();
      grads[l].dW += l2 * W;
    }
  }
  return penalty;
}
} // namespace

// -----------------------------------------------------------------------------------------------
// [SECTION] Evaluation and gradients
// -----------------------------------------------------------------------------------------------

Metrics evaluate(const Network& net, const Dataset& data, Loss loss_in) {
  Metrics metrics;
  metrics.n = data.size();
  if (metrics.n == 0) {
    metrics.loss = metrics.accuracy = std::numeric_limits<double>::quiet_NaN();
    return metrics;
  }
  const std::string problem = check_fit(loss_in, net, data);
  if (!problem.empty()) throw std::invalid_argument(problem);
  const Loss loss = resolve_loss(loss_in, net, data);
  const Eigen::MatrixXd F = forward(net, data.X); // (C, n)
  metrics.loss = batch_loss(loss, F, data.labels, data.targets, nullptr);
  if (loss == Loss::mse) {
    metrics.accuracy = std::numeric_limits<double>::quiet_NaN();
  } else {
    Eigen::Index correct = 0;
    for (Eigen::Index j = 0; j < metrics.n; ++j) correct += predicted_class(F, j) == data.labels(j);
    metrics.accuracy = static_cast<double>(correct) / static_cast<double>(metrics.n);
  }
  return metrics;
}

std::vector<Eigen::Index> hardest_points(const Network& net, const Dataset& data, int count,
                                         Eigen::Index sample, Loss loss_in) {
  const Eigen::Index n = std::clamp<Eigen::Index>(sample, 0, data.size());
  if (n == 0 || count <= 0) return {};
  const std::string problem = check_fit(loss_in, net, data);
  if (!problem.empty()) throw std::invalid_argument(problem);
  const Loss loss = resolve_loss(loss_in, net, data);
  const Eigen::MatrixXd F = forward(net, data.X.leftCols(n)); // (C, n)
  std::vector<std::pair<double, Eigen::Index>> losses; // (loss, index)
  losses.reserve(static_cast<std::size_t>(n));
  for (Eigen::Index j = 0; j < n; ++j) {
    const Eigen::MatrixXd f = F.col(j); // (C, 1)
    const Eigen::VectorXi label = data.labels.size() ? Eigen::VectorXi(data.labels.segment(j, 1)) : Eigen::VectorXi();
    const Eigen::VectorXd target = data.targets.size() ? Eigen::VectorXd(data.targets.segment(j, 1)) : Eigen::VectorXd();
    losses.emplace_back(batch_loss(loss, f, label, target, nullptr), j);
  }
  const std::size_t keep = std::min(losses.size(), static_cast<std::size_t>(count));
  std::partial_sort(losses.begin(), losses.begin() + static_cast<std::ptrdiff_t>(keep), losses.end(),
                    [](const auto& a, const auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
  std::vector<Eigen::Index> out;
  for (std::size_t k = 0; k < keep; ++k) out.push_back(losses[k].second);
  return out;
}

Gradients compute_gradients(const Network& net, const Dataset& batch, Loss loss_in, double l1,
                            double l2) {
  TrainConfig config;
  config.loss = loss_in;
  config.l1 = l1;
  config.l2 = l2;
  const std::string problem = validate(config, net, batch);
  if (!problem.empty()) throw std::invalid_argument(problem);
  const Loss loss = resolve_loss(loss_in, net, batch);
  std::vector<LayerBuffers> buffers;
  size_buffers(net, batch.size(), buffers);
  Gradients out;
  size_gradients(net, out.layers);
  Eigen::MatrixXd dF(net.outputs(), batch.size()); // (C, m)
  out.loss = forward_pass(net, loss, batch.X, batch.labels, batch.targets, buffers, dF);
  backward_pass(net, batch.X, dF, buffers, out.layers);
  out.penalty = add_penalties(net, l1, l2, out.layers);
  return out;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Trainer
// -----------------------------------------------------------------------------------------------

Trainer::Trainer(Network net, Dataset train, TrainConfig config)
    : Trainer(std::move(net), std::make_shared<const Dataset>(std::move(train)), config) {}

Trainer::Trainer(Network net, std::shared_ptr<const Dataset> train, TrainConfig config)
    : net_(std::move(net)), data_(std::move(train)), config_(config) {
  if (!data_) throw std::invalid_argument("the trainer has no data");
  const std::string problem = validate(config_, net_, *data_);
  if (!problem.empty()) throw std::invalid_argument(problem);
  loss_ = resolve_loss(config_.loss, net_, *data_);
  allocate();
  reset_moments();
  shuffle_epoch();
}

Trainer::Trainer(Network net, const Split& split, TrainConfig config)
    : Trainer(std::move(net), split.train, config) {}

void Trainer::allocate() {
  const Eigen::Index n = data_->size();
  batch_ = static_cast<int>(std::min<Eigen::Index>(config_.batch_size, n));
  size_buffers(net_, batch_, buffers_);
  size_gradients(net_, grads_);
  Xb_.resize(net_.input_dim, batch_);
  yb_.resize(data_->is_regression() ? 0 : batch_);
  tb_.resize(data_->is_regression() ? batch_ : 0);
  dF_.resize(net_.outputs(), batch_);
  order_.resize(static_cast<std::size_t>(n));
}

void Trainer::reset_moments() {
  moments_.resize(net_.layers.size());
  for (std::size_t l = 0; l < net_.layers.size(); ++l) {
    const Layer& layer = net_.layers[l];
    LayerMoments& M = moments_[l];
    M.mW = M.vW = Eigen::MatrixXd::Zero(layer.W.rows(), layer.W.cols());
    M.mb = M.vb = Eigen::VectorXd::Zero(layer.b.size());
    const Eigen::Index bn = layer.batch_norm ? layer.width() : 0;
    M.mgamma = M.vgamma = M.mbeta = M.vbeta = Eigen::VectorXd::Zero(bn);
  }
  optimizer_steps_ = 0;
}

// The order of epoch e depends only on (seed, e), so restoring a checkpoint can rebuild it.
void Trainer::shuffle_epoch() {
  std::iota(order_.begin(), order_.end(), 0);
  Rng rng(config_.seed ^ (0x9e3779b97f4a7c15ULL * static_cast<std::uint64_t>(epoch_ + 1)));
  rng.shuffle(order_);
}

void Trainer::next_batch() {
  const Eigen::Index n = data_->size();
  for (int j = 0; j < batch_; ++j) {
    const int i = order_[static_cast<std::size_t>(cursor_)];
    Xb_.col(j) = data_->X.col(i);
    if (yb_.size()) yb_(j) = data_->labels(i);
    if (tb_.size()) tb_(j) = data_->targets(i);
    if (++cursor_ == n) {
      cursor_ = 0;
      ++epoch_;
      shuffle_epoch();
    }
  }
}

// Copies into buffers of the same shapes, so after the first step this allocates nothing.
void Trainer::save_checkpoint() {
  last_good_.layers = net_.layers;
  last_good_.moments = moments_;
  last_good_.optimizer_steps = optimizer_steps_;
  last_good_.epoch = epoch_;
  last_good_.cursor = cursor_;
}

void Trainer::load_checkpoint() {
  net_.layers = last_good_.layers;
  moments_ = last_good_.moments;
  optimizer_steps_ = last_good_.optimizer_steps;
  cursor_ = last_good_.cursor;
  if (epoch_ != last_good_.epoch) {
    epoch_ = last_good_.epoch;
    shuffle_epoch();
  }
}

StepResult Trainer::fail(std::int64_t step, double loss, const std::string& why) {
  load_checkpoint();
  diverged_step_ = step;
  std::ostringstream msg;
  msg << "training diverged at step " << step << ": " << why
      << "; lower the learning rate and restore the last good weights";
  divergence_message_ = msg.str();
  return StepResult{step, loss, false, divergence_message_};
}

double Trainer::learning_rate() const { return scheduled_learning_rate(config_, steps_); }

namespace {
// One optimiser update of a parameter tensor, seen as flat arrays of equal length.
struct UpdateRule {
  Optimizer optimizer;
  double lr, momentum, beta1, beta2, eps, decay;
  bool nesterov;
  double bias1, bias2; // Adam bias corrections 1 - beta^t

  void apply(double* w_ptr, const double* g_ptr, double* m_ptr, double* v_ptr, Eigen::Index size,
             bool is_weight) const {
    Eigen::Map<Eigen::ArrayXd> w(w_ptr, size), m(m_ptr, size), v(v_ptr, size); // (size) each
    Eigen::Map<const Eigen::ArrayXd> g(g_ptr, size);                           // (size)
    switch (optimizer) {
    case Optimizer::sgd: w -= lr * g; break;
    case Optimizer::momentum:
      m = momentum * m + g;
      if (nesterov)
        w -= lr * (g + momentum * m);
      else
        w -= lr * m;
      break;
    case Optimizer::adam:
    case Optimizer::adamw:
      if (optimizer == Optimizer::adamw && is_weight && decay != 0.0) w *= 1.0 - lr * decay;
      // lr * mhat / (sqrt(vhat) + eps) with mhat = m / bias1, vhat = v / bias2, arranged so the
      // per-element work is one square root and one division.
      m = beta1 * m + (1.0 - beta1) * g;
      v = beta2 * v + (1.0 - beta2) * g.square();
      w -= (lr / bias1) * m / (v.sqrt() * (1.0 / std::sqrt(bias2)) + eps);
      break;
    }
  }
};
} // namespace

StepResult Trainer::step() {
  if (diverged()) return StepResult{diverged_step_, std::numeric_limits<double>::quiet_NaN(),
                                    false, divergence_message_};
  const std::int64_t number = steps_ + 1;
  save_checkpoint();
  next_batch();

  const double loss = forward_pass(net_, loss_, Xb_, yb_, tb_, buffers_, dF_);
  if (!std::isfinite(loss)) return fail(number, loss, "the loss is not finite");
  backward_pass(net_, Xb_, dF_, buffers_, grads_);
  const double penalty = add_penalties(net_, config_.l1, config_.l2, grads_);
  if (!std::isfinite(penalty)) return fail(number, loss, "the weight penalty is not finite");

  // Global gradient norm: clipping needs it, and a non-finite norm means a non-finite gradient.
  double squared_norm = 0.0;
  for (const LayerGradients& G : grads_)
    squared_norm += G.dW.squaredNorm() + G.db.squaredNorm() + G.dgamma.squaredNorm() +
                    G.dbeta.squaredNorm();
  if (!std::isfinite(squared_norm)) return fail(number, loss, "a gradient is not finite");
  const double norm = std::sqrt(squared_norm);
  if (config_.clip_norm > 0.0 && norm > config_.clip_norm) {
    const double scale = config_.clip_norm / norm;
    for (LayerGradients& G : grads_) {
      G.dW *= scale;
      G.db *= scale;
      G.dgamma *= scale;
      G.dbeta *= scale;
    }
  }

  // Running statistics follow the batch statistics of this (successful) forward pass.
  for (std::size_t l = 0; l < net_.layers.size(); ++l) {
    Layer& layer = net_.layers[l];
    if (!layer.batch_norm) continue;
    BatchNorm& bn = layer.bn;
    bn.running_mean = (1.0 - bn.momentum) * bn.running_mean + bn.momentum * buffers_[l].mean;
    bn.running_var = (1.0 - bn.momentum) * bn.running_var + bn.momentum * buffers_[l].var;
  }

  ++optimizer_steps_;
  const double t = static_cast<double>(optimizer_steps_);
  const UpdateRule rule{config_.optimizer,
                        learning_rate(),
                        config_.momentum,
                        config_.beta1,
                        config_.beta2,
                        config_.eps,
                        config_.weight_decay,
                        config_.nesterov,
                        1.0 - std::pow(config_.beta1, t),
                        1.0 - std::pow(config_.beta2, t)};
  for (std::size_t l = 0; l < net_.layers.size(); ++l) {
    Layer& layer = net_.layers[l];
    LayerGradients& G = grads_[l];
    LayerMoments& M = moments_[l];
    rule.apply(layer.W.data(), G.dW.data(), M.mW.data(), M.vW.data(), layer.W.size(), true);
    rule.apply(layer.b.data(), G.db.data(), M.mb.data(), M.vb.data(), layer.b.size(), false);
    if (layer.batch_norm) {
      rule.apply(layer.bn.gamma.data(), G.dgamma.data(), M.mgamma.data(), M.vgamma.data(),
                 layer.bn.gamma.size(), false);
      rule.apply(layer.bn.beta.data(), G.dbeta.data(), M.mbeta.data(), M.vbeta.data(),
                 layer.bn.beta.size(), false);
    }
  }
  if (!network_is_finite(net_)) return fail(number, loss, "a weight is not finite after the update");

  steps_ = number;
  return StepResult{number, loss, true, std::string()};
}

StepResult Trainer::run(int steps) {
  StepResult result{steps_, std::numeric_limits<double>::quiet_NaN(), !diverged(),
                    diverged() ? divergence_message_ : std::string()};
  for (int i = 0; i < steps; ++i) {
    result = step();
    if (!result.ok) break;
  }
  return result;
}

bool Trainer::restore_last_good() {
  if (!diverged()) return false;
  // The failing step was rolled back when it failed; network() already holds the last good
  // weights, so leaving the diverged state is all that remains.
  diverged_step_ = 0;
  divergence_message_.clear();
  return true;
}

std::string Trainer::set_config(const TrainConfig& config) {
  const std::string problem = validate(config, net_, *data_);
  if (!problem.empty()) return problem;
  const bool new_optimizer = config.optimizer != config_.optimizer;
  const bool new_batch = config.batch_size != config_.batch_size;
  config_ = config;
  loss_ = resolve_loss(config_.loss, net_, *data_);
  if (new_optimizer) reset_moments();
  if (new_batch) allocate(); // keeps the epoch's order and position
  return "";
}

Metrics Trainer::evaluate() const { return splinescope::evaluate(net_, *data_, loss_); }

Trainer::State Trainer::state() const {
  return State{net_.layers, moments_, steps_, optimizer_steps_, epoch_, cursor_};
}

std::string Trainer::restore(const State& s) {
  if (s.layers.size() != net_.layers.size() || s.moments.size() != net_.layers.size())
    return "the state has " + std::to_string(s.layers.size()) + " layers; the network has " +
           std::to_string(net_.layers.size());
  for (std::size_t l = 0; l < s.layers.size(); ++l) {
    const Layer& a = s.layers[l];
    const Layer& b = net_.layers[l];
    const LayerMoments& m = s.moments[l];
    const Eigen::Index bn = b.batch_norm ? b.width() : 0;
    const bool fits = a.W.rows() == b.W.rows() && a.W.cols() == b.W.cols() && a.b.size() == b.b.size() &&
                      a.batch_norm == b.batch_norm && m.mW.rows() == b.W.rows() &&
                      m.mW.cols() == b.W.cols() && m.vW.rows() == b.W.rows() &&
                      m.vW.cols() == b.W.cols() && m.mb.size() == b.b.size() &&
                      m.vb.size() == b.b.size() && m.mgamma.size() == bn && m.vgamma.size() == bn &&
                      m.mbeta.size() == bn && m.vbeta.size() == bn &&
                      (!a.batch_norm || (a.bn.gamma.size() == bn && a.bn.beta.size() == bn &&
                                         a.bn.running_mean.size() == bn && a.bn.running_var.size() == bn));
    if (!fits) return "layer " + std::to_string(l + 1) + " of the state does not match the network";
  }
  if (s.steps < 0 || s.optimizer_steps < 0 || s.epoch < 0 || s.cursor < 0 || s.cursor >= data_->size())
    return "the state's step, epoch or batch position is out of range";
  net_.layers = s.layers;
  moments_ = s.moments;
  steps_ = s.steps;
  optimizer_steps_ = s.optimizer_steps;
  cursor_ = s.cursor;
  if (s.epoch != epoch_) { // the epoch's order follows from the seed and the epoch
    epoch_ = s.epoch;
    shuffle_epoch(); // O(n): not on every adoption of a worker's progress
  }
  diverged_step_ = 0;
  divergence_message_.clear();
  return "";
}

} // namespace splinescope
