// train.h - losses, backpropagation and optimisers for the networks of network.h.
//
// Training mode differs from network.h's forward() in one way only: batch normalisation uses the
// statistics of the current mini-batch (biased variance) and updates the running statistics that
// evaluation mode (forward(), folded()) uses.
//
// Conventions
//   losses are means over the points of a batch:
//     logistic  (C = 1, labels 0/1):  softplus(z) - y z
//     softmax   (C >= 2):             log sum_k exp(z_k) - z_y
//     mse       (regression, C = 1):  (f - t)^2
//   penalties on weights only (never biases or batch-norm parameters):
//     l1 * sum |w|  +  0.5 * l2 * sum w^2      (so the L2 gradient is l2 * w)
//   AdamW's decoupled decay w <- w (1 - lr * weight_decay) also touches weights only.
//   mini-batches: the training set is visited in a fresh Rng permutation every epoch; a batch that
//   runs past the end of an epoch continues in the next one, so every batch has the same size
//   min(batch_size, n) and batch statistics never come from a stub batch.
//
// Index
//   [SECTION] Configuration
//   [SECTION] Losses and gradients
//   [SECTION] Trainer
#pragma once

#include "dataset.h"
#include "network.h"

#include <Eigen/Dense>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace splinescope {

// -----------------------------------------------------------------------------------------------
// [SECTION] Configuration
// -----------------------------------------------------------------------------------------------

enum class Loss { automatic, logistic, softmax, mse };
enum class Optimizer { sgd, momentum, adam, adamw };
enum class Schedule { constant, step, cosine };

const char* to_string(Loss l);
const char* to_string(Optimizer o);
const char* to_string(Schedule s);
// Parse a name as written by to_string; false when the name is unknown.
bool parse_loss(const std::string& name, Loss* out);
bool parse_optimizer(const std::string& name, Optimizer* out);
bool parse_schedule(const std::string& name, Schedule* out);

// How to train. The defaults just work: Adam at 0.01 on batches of 32.
struct TrainConfig {
  Loss loss = Loss::automatic; // automatic: mse for regression, logistic for C = 1, softmax for C >= 2
  Optimizer optimizer = Optimizer::adam;
  double learning_rate = 0.01; // base rate; the schedule scales it
  double momentum = 0.9;       // Optimizer::momentum
  bool nesterov = false;       // Optimizer::momentum
  double beta1 = 0.9;          // Adam, AdamW
  double beta2 = 0.999;        // Adam, AdamW
  double eps = 1e-8;           // Adam, AdamW
  double weight_decay = 0.0;   // AdamW only (decoupled); other optimisers ignore it
  double l1 = 0.0;             // penalty l1 * sum |w| on weights
  double l2 = 0.0;             // penalty 0.5 * l2 * sum w^2 on weights
  int batch_size = 32;         // clamped to the training-set size
  Schedule schedule = Schedule::constant;
  int step_every = 1000;       // Schedule::step: multiply the rate by step_gamma every step_every steps
  double step_gamma = 0.5;     // Schedule::step
  int cosine_steps = 10000;    // Schedule::cosine: steps from the base rate down to the floor
  double cosine_floor = 0.0;   // Schedule::cosine: final rate as a fraction of learning_rate
  double clip_norm = 0.0;      // clip the global L2 norm of the gradient to this; 0 = off
  std::uint64_t seed = 1;      // mini-batch order
};

// Empty when every field is usable, otherwise a sentence naming the field and the reason.
std::string validate(const TrainConfig& config);
// validate(config), then whether this network can train on this dataset with this loss.
std::string validate(const TrainConfig& config, const Network& net, const Dataset& data);

// The loss Loss::automatic stands for with this network and dataset (other losses unchanged).
Loss resolve_loss(Loss loss, const Network& net, const Dataset& data);

// Learning rate of the step that follows `steps_done` steps.
double scheduled_learning_rate(const TrainConfig& config, std::int64_t steps_done);

// -----------------------------------------------------------------------------------------------
// [SECTION] Losses and gradients
// -----------------------------------------------------------------------------------------------

struct Metrics {
  double loss = 0.0;     // mean data loss (no penalties)
  double accuracy = 0.0; // fraction of points classified correctly; NaN for regression
  Eigen::Index n = 0;    // points evaluated
};

// Evaluation-mode metrics (batch norm uses running statistics). Throws std::invalid_argument when
// the network, data and loss do not fit together (input dimension, outputs, labels; as validate()
// reports them). An empty dataset gives n = 0 and NaN loss and accuracy.
Metrics evaluate(const Network& net, const Dataset& data, Loss loss = Loss::automatic);
// The `count` points with the highest data loss under `net` (evaluation mode), most first (the
// lower index first on a tie), among the first `sample` points of `data`: the points the network
// finds hardest. Throws like evaluate().
std::vector<Eigen::Index> hardest_points(const Network& net, const Dataset& data, int count,
                                         Eigen::Index sample, Loss loss = Loss::automatic);

// Gradient of one layer's parameters; dgamma and dbeta are empty without batch norm.
struct LayerGradients {
  Eigen::MatrixXd dW;     // (n_out, n_in)
  Eigen::VectorXd db;     // (n_out)
  Eigen::VectorXd dgamma; // (n_out) or empty
  Eigen::VectorXd dbeta;  // (n_out) or empty
};

struct Gradients {
  double loss = 0.0;    // training-mode mean data loss of the batch
  double penalty = 0.0; // l1 and l2 penalties
  std::vector<LayerGradients> layers;
};

// Training-mode loss of a whole batch and its gradient with respect to every parameter (data loss
// plus penalties). Does not touch the running statistics. Throws std::invalid_argument when the
// network, batch and loss do not fit together.
Gradients compute_gradients(const Network& net, const Dataset& batch, Loss loss = Loss::automatic,
                            double l1 = 0.0, double l2 = 0.0);

// -----------------------------------------------------------------------------------------------
// [SECTION] Trainer
// -----------------------------------------------------------------------------------------------

namespace detail {
// Preallocated training-mode buffers of one layer for a batch of m points.
struct LayerBuffers {
  Eigen::MatrixXd H;       // (n_out, m) W z + b
  Eigen::MatrixXd Xhat;    // (n_out, m) normalised H (batch norm only)
  Eigen::MatrixXd Y;       // (n_out, m) input of the activation (batch norm only; otherwise H is)
  Eigen::MatrixXd A;       // (n_out, m) activation output (unused for linear layers: A is Y)
  Eigen::MatrixXd dA;      // (n_out, m) dLoss/dA, written by the layer above
  Eigen::MatrixXd dY;      // (n_out, m) dLoss/dY (unused for linear layers)
  Eigen::MatrixXd dH;      // (n_out, m) dLoss/dH (batch norm only; otherwise dY is)
  Eigen::VectorXd mean;    // (n_out) batch mean of H
  Eigen::VectorXd var;     // (n_out) biased batch variance of H
  Eigen::VectorXd inv_std; // (n_out) 1 / sqrt(var + eps)
  Eigen::VectorXd tmp;     // (n_out) per-neuron factors in the batch-norm backward pass
};
} // namespace detail

struct StepResult {
  std::int64_t step = 0; // number of the step (1 for the first); on divergence, the step that failed
  double loss = 0.0;     // training-mode mean data loss of the batch before the update
  bool ok = true;        // false: the step was not applied (diverged, or refused while diverged)
  std::string message;   // empty when ok
};

class Trainer {
public:
  // Throws std::invalid_argument when validate(config, net, train) fails.
  Trainer(Network net, Dataset train, TrainConfig config = TrainConfig{});
  // Trains on a dataset it shares with its owner (a session's, without copying it).
  Trainer(Network net, std::shared_ptr<const Dataset> train, TrainConfig config = TrainConfig{});
  // Trains on split.train.
  Trainer(Network net, const Split& split, TrainConfig config = TrainConfig{});

  // One optimiser step on the next mini-batch. Nothing is applied when the loss, a gradient or an
  // updated weight is NaN or infinite: the trainer then enters the diverged state and refuses
  // further steps until restore_last_good().
  StepResult step();
  // Up to `steps` steps, stopping at the first failure; returns the last step's result.
  StepResult run(int steps);

  bool diverged() const { return diverged_step_ > 0; }
  std::int64_t diverged_step() const { return diverged_step_; } // 0 when not diverged
  const std::string& divergence_message() const { return divergence_message_; }
  // Leave the diverged state. The failing step was rolled back when it failed, so network() holds
  // the weights, running statistics, optimiser state and batch position from before it; the next
  // step() retries the same batch (with whatever set_config() changed meanwhile). False (and no
  // change) when not diverged.
  bool restore_last_good();

  const Network& network() const { return net_; }
  const Dataset& train_set() const { return *data_; }
  const TrainConfig& config() const { return config_; }
  Loss loss() const { return loss_; }                // the resolved loss
  std::int64_t steps() const { return steps_; }      // steps applied
  std::int64_t epochs() const { return epoch_; }     // complete passes over the training set
  double learning_rate() const;                      // rate of the next step
  int batch_size() const { return batch_; }          // effective: min(batch_size, n)

  // Change the learning rate, optimiser, schedule, ... keeping the weights and the step count.
  // Optimiser state (moments) is reset only when the optimiser type changes. Returns "" or the
  // reason the config was refused (the old one stays).
  std::string set_config(const TrainConfig& config);

  // Evaluation-mode metrics of the current network on the training set.
  Metrics evaluate() const;

  // Optimiser moments of one layer, shaped like its parameters.
  struct LayerMoments {
    Eigen::MatrixXd mW, vW;         // (n_out, n_in)
    Eigen::VectorXd mb, vb;         // (n_out)
    Eigen::VectorXd mgamma, vgamma; // (n_out) or empty
    Eigen::VectorXd mbeta, vbeta;   // (n_out) or empty
  };
  // Everything the next steps depend on besides the data and the config: with the same data and
  // config, a trainer restored to a state takes exactly the steps the one it came from would have
  // (the epoch's batch order follows from the seed and the epoch).
  struct State {
    std::vector<Layer> layers;         // the network's weights and running statistics
    std::vector<LayerMoments> moments; // one per layer
    std::int64_t steps = 0, optimizer_steps = 0, epoch = 0;
    Eigen::Index cursor = 0;           // position in the epoch's order
  };
  State state() const;
  // Goes on from a state taken from a trainer of the same network shape (and, to take the same
  // steps, the same data and config). Leaves the diverged state. Returns "" or why the state
  // does not fit (and changes nothing).
  std::string restore(const State& state);

private:
  // Everything step() may change and restore_last_good() puts back.
  struct Checkpoint {
    std::vector<Layer> layers;
    std::vector<LayerMoments> moments;
    std::int64_t optimizer_steps = 0;
    std::int64_t epoch = 0;
    Eigen::Index cursor = 0;
  };
  void allocate();
  void reset_moments();
  void next_batch();
  void shuffle_epoch();
  void save_checkpoint();
  void load_checkpoint();
  StepResult fail(std::int64_t step, double loss, const std::string& why);

  Network net_;
  std::shared_ptr<const Dataset> data_; // never null
  TrainConfig config_;
  Loss loss_ = Loss::logistic;
  int batch_ = 1;

  std::int64_t steps_ = 0;
  std::int64_t optimizer_steps_ = 0; // steps since the optimiser state was reset (Adam's t)
  std::int64_t epoch_ = 0;
  Eigen::Index cursor_ = 0;          // position in order_ of the next point
  std::vector<int> order_;           // (n) permutation of the current epoch
  std::int64_t diverged_step_ = 0;
  std::string divergence_message_;

  std::vector<LayerGradients> grads_;
  std::vector<LayerMoments> moments_;
  std::vector<detail::LayerBuffers> buffers_;
  Checkpoint last_good_;
  Eigen::MatrixXd Xb_;  // (D, m) batch inputs
  Eigen::VectorXi yb_;  // (m) batch labels (classification)
  Eigen::VectorXd tb_;  // (m) batch targets (regression)
  Eigen::MatrixXd dF_;  // (C, m) dLoss/d outputs
};

} // namespace splinescope
