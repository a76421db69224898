// session.cpp - the live training session: settings rules, data edits, history and timeline.
#include "session.h"

#include "geometry.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace splinescope {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::int64_t kHistoryEvery = 5;   // steps between chart points at the start
constexpr std::int64_t kTimelineEvery = 10; // steps between weight snapshots at the start
constexpr double kTimelineBudget = 2.0e6;   // doubles kept in snapshots, at most

// Appends the columns of b to a (same dimension and kind).
Dataset concat(const Dataset& a, const Dataset& b) {
  if (b.size() == 0) return a;
  if (a.size() == 0) return b;
  Dataset out = a;
  out.X.conservativeResize(a.X.rows(), a.size() + b.size());
  out.X.rightCols(b.size()) = b.X;
  if (a.is_regression()) {
    out.targets.conservativeResize(a.size() + b.size());
    out.targets.tail(b.size()) = b.targets;
  } else {
    out.labels.conservativeResize(a.size() + b.size());
    out.labels.tail(b.size()) = b.labels;
  }
  return out;
}

// Removes column i of a dataset.
void remove_column(Dataset& d, Eigen::Index i) {
  const Eigen::Index n = d.size();
  for (Eigen::Index j = i; j + 1 < n; ++j) {
    d.X.col(j) = d.X.col(j + 1);
    if (d.is_regression()) d.targets(j) = d.targets(j + 1);
    else d.labels(j) = d.labels(j + 1);
  }
  d.X.conservativeResize(d.X.rows(), n - 1);
  if (d.is_regression()) d.targets.conservativeResize(n - 1);
  else d.labels.conservativeResize(n - 1);
}

// Inserts a point as column i of a dataset (the inverse of remove_column); y is dropped on the line.
void insert_column(Dataset& d, Eigen::Index i, double x, double y, double value) {
  const Eigen::Index n = d.size();
  d.X.conservativeResize(d.X.rows(), n + 1);
  if (d.is_regression()) d.targets.conservativeResize(n + 1);
  else d.labels.conservativeResize(n + 1);
  for (Eigen::Index j = n; j > i; --j) {
    d.X.col(j) = d.X.col(j - 1);
    if (d.is_regression()) d.targets(j) = d.targets(j - 1);
    else d.labels(j) = d.labels(j - 1);
  }
  d.X(0, i) = x;
  if (d.X.rows() > 1) d.X(1, i) = y;
  if (d.is_regression()) d.targets(i) = value;
  else d.labels(i) = static_cast<int>(value);
}

int parameter_count(const Network& net) {
  int n = 0;
  for (const Layer& l : net.layers) n += static_cast<int>(l.W.size() + l.b.size());
  return n;
}

bool same_network_spec(const NetworkSpec& a, const NetworkSpec& b) {
  return a.input_dim == b.input_dim && a.hidden == b.hidden && a.outputs == b.outputs &&
         a.activation == b.activation && a.layer_activations == b.layer_activations &&
         a.leaky_alpha == b.leaky_alpha && a.batch_norm == b.batch_norm && a.init == b.init &&
         a.init_scale == b.init_scale && a.bias_init == b.bias_init &&
         a.bias_scale == b.bias_scale;
}

bool same_data_spec(const DatasetSpec& a, const DatasetSpec& b) {
  // Images come as they were published: only the seed (the batch order and the initialisation)
  // changes a run on them.
  if (a.name == b.name && is_image_data(a.name))
    return resolved_classes(a) == resolved_classes(b) && a.seed == b.seed;
  return a.name == b.name && a.n == b.n && a.noise == b.noise && a.classes == b.classes &&
         a.train_fraction == b.train_fraction && a.seed == b.seed;
}

bool same_train_config(const TrainConfig& a, const TrainConfig& b) {
  return a.loss == b.loss && a.optimizer == b.optimizer && a.learning_rate == b.learning_rate &&
         a.momentum == b.momentum && a.nesterov == b.nesterov && a.beta1 == b.beta1 &&
         a.beta2 == b.beta2 && a.eps == b.eps && a.weight_decay == b.weight_decay &&
         a.l1 == b.l1 && a.l2 == b.l2 && a.batch_size == b.batch_size &&
         a.schedule == b.schedule && a.step_every == b.step_every &&
         a.step_gamma == b.step_gamma && a.cosine_steps == b.cosine_steps &&
         a.cosine_floor == b.cosine_floor && a.clip_norm == b.clip_norm && a.seed == b.seed;
}

// The data spec and network spec a session config stands for, with the session seed applied and
// the network matched to the data: one input per coordinate of its points (2 in the plane, 1 on
// the line) and its outputs (1 for binary and regression, C for C classes).
DatasetSpec effective_data(const SessionConfig& c) {
  DatasetSpec d = c.data;
  d.seed = c.seed;
  return d;
}
// The dimension of the config's data; 2 for an unknown dataset (validate() reports that).
int data_dims(const SessionConfig& c) {
  const DatasetInfo* info = find_dataset(c.data.name);
  return info ? info->dims : 2;
}
NetworkSpec effective_network(const SessionConfig& c) {
  NetworkSpec n = c.network;
  const int classes = validate(effective_data(c)).empty() ? resolved_classes(effective_data(c)) : 2;
  n.outputs = classes <= 2 ? 1 : classes;
  n.input_dim = data_dims(c);
  return n;
}

// "2 inputs", "1 input".
std::string inputs(int n) {
  return std::to_string(n) + (n == 1 ? " input" : " inputs");
}
// Where points of this dimension lie, for messages: "on a line (1 input)".
std::string where_data_lies(int dims) {
  if (dims == 1) return "on a line (1 input)";
  if (dims == 2) return "in the plane (2 inputs)";
  return "in " + std::to_string(dims) + " dimensions (" + inputs(dims) + ")";
}
} // namespace

// -----------------------------------------------------------------------------------------------
// [SECTION] Configuration
// -----------------------------------------------------------------------------------------------

DatasetSpec SessionConfig::default_data() {
  DatasetSpec d;
  d.name = "spiral";
  d.n = 300;
  d.noise = 0.1;
  return d;
}

NetworkSpec SessionConfig::default_network() {
  NetworkSpec n;
  n.hidden = {16, 16, 16};
  n.bias_init = BiasInit::normal; // offsets spread the lines over the view (see network.h)
  n.bias_scale = 0.5;
  return n;
}

ChangeKind classify_change(const SessionConfig& from, const SessionConfig& to) {
  if (!same_data_spec(effective_data(from), effective_data(to))) return ChangeKind::data;
  if (!same_network_spec(effective_network(from), effective_network(to)))
    return ChangeKind::network;
  TrainConfig a = from.train, b = to.train;
  a.seed = b.seed = 0; // the batch order follows the session seed, compared above
  if (!same_train_config(a, b)) return ChangeKind::optimizer;
  return ChangeKind::none;
}

std::string validate(const SessionConfig& config) {
  std::string e = validate(effective_data(config));
  if (!e.empty()) return "data: " + e;
  e = validate(effective_network(config));
  if (!e.empty()) return "network: " + e;
  e = validate(config.train);
  if (!e.empty()) return "training: " + e;
  return "";
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Session
// -----------------------------------------------------------------------------------------------

Session::Session(SessionConfig config)
    : config_(std::move(config)), last_{kNaN, kNaN, kNaN, kNaN} {
  const std::string problem = validate(config_);
  if (!problem.empty()) throw std::invalid_argument(problem);
  user_points_ = UserPoints(resolved_classes(effective_data(config_)), data_dims(config_));
  history_.set_base_interval(kHistoryEvery);
  timeline_.set_base_interval(kTimelineEvery);
  generated_ = shared_split(effective_data(config_));
  undo_.clear();
  rebuild_data();
  start_network(make_network(effective_network(config_), config_.seed));
}

std::string Session::apply(const SessionConfig& next) {
  const std::string problem = validate(next);
  if (!problem.empty()) return problem;
  const ChangeKind kind = classify_change(config_, next);
  if (kind == ChangeKind::data) {
    const std::string missing = data_available(effective_data(next));
    if (!missing.empty()) return missing;
  }
  ++revision_;
  const SessionConfig previous = config_;
  config_ = next;
  switch (kind) {
  case ChangeKind::none: break;
  case ChangeKind::optimizer: {
    TrainConfig t = config_.train;
    t.seed = config_.seed;
    const std::string refused = trainer_->set_config(t);
    if (!refused.empty()) {
      config_ = previous;
      return refused;
    }
    break;
  }
  case ChangeKind::data: {
    const int classes = resolved_classes(effective_data(config_));
    const int dims = data_dims(config_);
    if (dims != user_points_.dims()) {
      // A point of the plane has no place on the line and back: hand-placed points go.
      user_points_ = UserPoints(classes, dims);
    } else if (classes != user_points_.classes()) {
      // Hand-placed points survive when their labels still make sense.
      UserPoints kept(classes, dims);
      for (const UserPoint& p : user_points_.points())
        kept.add(p.x, p.y, classes == 0 ? p.target : static_cast<double>(p.label));
      user_points_ = kept;
    }
    generated_ = shared_split(effective_data(config_));
    undo_.clear();
    rebuild_data();
    start_network(make_network(effective_network(config_), config_.seed));
    break;
  }
  case ChangeKind::network:
    start_network(make_network(effective_network(config_), config_.seed));
    break;
  }
  return "";
}

void Session::reset() {
  ++revision_;
  start_network(make_network(effective_network(config_), config_.seed));
}

void Session::regenerate() {
  SessionConfig next = config_;
  next.seed = config_.seed + 1;
  apply(next);
}

void Session::rebuild_data() {
  if (user_points_.empty()) {
    split_ = generated_;
    return;
  }
  auto split = std::make_shared<Split>(*generated_);
  split->train = concat(generated_->train, user_points_.to_dataset());
  split_ = std::move(split);
}

void Session::start_network(const Network& net) {
  trainer_.reset(); // a new network counts its steps from zero
  step_offset_ = 0;
  epoch_offset_ = 0;
  history_.clear();
  timeline_.clear();
  const double budget = kTimelineBudget / std::max(1, parameter_count(net));
  timeline_ = ThinnedSeries<Snapshot>(static_cast<std::size_t>(std::clamp(budget, 16.0, 120.0)));
  timeline_.set_base_interval(kTimelineEvery);
  restart_trainer(net);
  timeline_.offer(0, Snapshot{0, net});
  history_.offer(0, HistoryPoint{0, train_metrics_.loss, test_metrics_.loss,
                                 train_metrics_.accuracy, test_metrics_.accuracy, last_.tiles,
                                 last_.lc_train, last_.lc_test, last_.lc_boundary});
}

void Session::restart_trainer(Network net) {
  ++revision_;
  if (trainer_) {
    step_offset_ += trainer_->steps();
    epoch_offset_ += trainer_->epochs();
  }
  TrainConfig t = config_.train;
  t.seed = config_.seed;
  trainer_ = std::make_unique<Trainer>(std::move(net), std::shared_ptr<const Dataset>(split_, &split_->train), t);
  train_cursor_ = test_cursor_ = 0;
  full_ = FullMetrics{}; // data or network changed: add the exact metrics up again
  update_metrics();
}

namespace {
// Columns [first, first + count) of a dataset, wrapping around its end.
Dataset window_of(const Dataset& d, Eigen::Index first, Eigen::Index count) {
  Dataset w; // (not a copy of d: an image set is tens of megabytes)
  w.classes = d.classes;
  const Eigen::Index n = d.size();
  w.X.resize(d.X.rows(), count);
  if (d.is_regression()) w.targets.resize(count);
  else w.labels.resize(count);
  for (Eigen::Index j = 0; j < count; ++j) {
    const Eigen::Index k = (first + j) % n;
    w.X.col(j) = d.X.col(k);
    if (d.is_regression()) w.targets(j) = d.targets(k);
    else w.labels(j) = d.labels(k);
  }
  return w;
}
} // namespace

Eigen::Index Session::metric_points() const {
  const double fit = kMetricMacs / std::max(1.0, network().multiply_adds());
  const double per_update = kMetricBatchesPerStep * trainer_->batch_size() * static_cast<double>(history_.interval());
  // The floor gives way to the budget for networks too large for kMinMetricPoints points within
  // it (784-pixel images): measuring must not cost more than training.
  const Eigen::Index floor = std::clamp<Eigen::Index>(static_cast<Eigen::Index>(fit), kLeastMetricPoints, kMinMetricPoints);
  return std::clamp<Eigen::Index>(static_cast<Eigen::Index>(std::min(fit, per_update)), floor, kMetricPoints);
}

Metrics Session::sampled_metrics(const Dataset& data, Eigen::Index* cursor) const {
  const Eigen::Index window = metric_points();
  if (data.size() <= window) return evaluate(network(), data, loss());
  const Eigen::Index first = *cursor % data.size();
  *cursor = (first + window) % data.size();
  return evaluate(network(), window_of(data, first, window), loss());
}

void Session::update_metrics() {
  train_metrics_ = sampled_metrics(split_->train, &train_cursor_);
  test_metrics_ = sampled_metrics(split_->test, &test_cursor_);
}

bool Session::refine_metrics(Eigen::Index max_points) {
  if (train_metrics_.n == split_->train.size() && test_metrics_.n == split_->test.size()) return true;
  if (full_.step != steps()) {
    full_ = FullMetrics{};
    full_.step = steps();
  }
  while (full_.set < 2 && max_points > 0) {
    const Dataset& d = full_.set == 0 ? split_->train : split_->test;
    const Eigen::Index count = std::min(max_points, d.size() - full_.next);
    if (count > 0) {
      const Metrics m = evaluate(network(), window_of(d, full_.next, count), loss());
      full_.loss_sum += m.loss * static_cast<double>(count);
      full_.correct_sum += m.accuracy * static_cast<double>(count);
      full_.next += count;
      max_points -= count;
    }
    if (full_.next < d.size()) break;
    Metrics total;
    total.n = d.size();
    const double n = static_cast<double>(std::max<Eigen::Index>(1, d.size()));
    total.loss = d.size() > 0 ? full_.loss_sum / n : std::numeric_limits<double>::quiet_NaN();
    total.accuracy = d.size() > 0 ? full_.correct_sum / n : std::numeric_limits<double>::quiet_NaN();
    if (full_.set == 0) full_.train = total;
    else {
      train_metrics_ = full_.train;
      test_metrics_ = total;
    }
    full_.set += 1;
    full_.next = 0;
    full_.loss_sum = full_.correct_sum = 0;
  }
  return full_.set >= 2;
}

void Session::record() {
  const std::int64_t s = steps();
  const bool want_history = s % history_.interval() == 0;
  const bool want_snapshot = s % timeline_.interval() == 0;
  if (want_history) {
    update_metrics();
    history_.offer(s, HistoryPoint{s, train_metrics_.loss, test_metrics_.loss,
                                   train_metrics_.accuracy, test_metrics_.accuracy, last_.tiles,
                                 last_.lc_train, last_.lc_test, last_.lc_boundary});
  }
  if (want_snapshot) timeline_.offer(s, Snapshot{s, network()});
}

StepResult Session::train(int steps) {
  ++revision_;
  StepResult result;
  for (int i = 0; i < steps; ++i) {
    result = trainer_->step();
    if (!result.ok) break;
    record();
  }
  result.step += step_offset_;
  update_metrics();
  return result;
}

bool Session::restore_last_good() {
  ++revision_;
  return trainer_->restore_last_good();
}

void Session::report(const Figures& figures) {
  last_ = figures;
  // The figures describe the network of this step: its history point, if it has one, takes them
  // (after many steps in one call it holds the figures reported before them).
  if (HistoryPoint* h = history_.at_step(steps())) {
    h->tiles = figures.tiles;
    h->lc_train = figures.lc_train;
    h->lc_test = figures.lc_test;
    h->lc_boundary = figures.lc_boundary;
  }
}

Session::Figures Session::local_complexity(double r, const Eigen::MatrixXd& boundary_points) const {
  auto mean = [&](const Eigen::MatrixXd& X) {
    return X.cols() == 0 ? kNaN : frame_complexity(network(), X, r).mean;
  };
  // (D, m) with D = the data's dimension, which is the network's input dimension.
  auto sample = [](const Dataset& d) { return d.X.leftCols(std::min(d.size(), kComplexityPoints)); };
  return Figures{last_.tiles, mean(sample(split_->train)), mean(sample(split_->test)),
                 mean(boundary_points)};
}

bool Session::add_point(double x, double y, double value) {
  PointEdit edit{user_points_};
  if (!user_points_.add(x, y, value)) return false;
  push_point_edit(std::move(edit));
  rebuild_data();
  restart_trainer(network());
  return true;
}

bool Session::remove_point(double x, double y, double radius) {
  if (user_points_.dims() > 2) return false; // images are not removed by a click
  // The nearest point among hand-placed and generated ones (train and test).
  double best = radius;
  int where = -1; // 0 user, 1 generated train, 2 generated test
  Eigen::Index index = -1;
  // On the line the distance is along x alone (y is ignored), as UserPoints::nearest measures it.
  const bool plane = user_points_.dims() == 2;
  const int user = user_points_.nearest(x, y, radius);
  if (user >= 0) {
    const UserPoint& p = user_points_.points()[user];
    best = plane ? std::hypot(p.x - x, p.y - y) : std::abs(p.x - x);
    where = 0;
    index = user;
  }
  const Dataset* sets[2] = {&generated_->train, &generated_->test};
  for (int s = 0; s < 2; ++s) {
    for (Eigen::Index j = 0; j < sets[s]->size(); ++j) {
      const double d = plane ? std::hypot(sets[s]->X(0, j) - x, sets[s]->X(1, j) - y)
                             : std::abs(sets[s]->X(0, j) - x);
      if (d < best || (d <= best && where < 0)) {
        best = d;
        where = 1 + s;
        index = j;
      }
    }
  }
  if (where < 0) return false;
  PointEdit edit{user_points_};
  if (where == 0) {
    user_points_.remove_nearest(x, y, radius);
  } else {
    if (where == 1 && generated_->train.size() + user_points_.size() <= 1) return false; // keep one to train on
    auto generated = std::make_shared<Split>(*generated_);
    Dataset& d = where == 1 ? generated->train : generated->test;
    edit.generated_set = where - 1;
    edit.index = index;
    edit.x = d.X(0, index);
    edit.y = plane ? d.X(1, index) : 0.0;
    edit.value = d.is_regression() ? d.targets(index) : static_cast<double>(d.labels(index));
    remove_column(d, index);
    generated_ = std::move(generated);
  }
  push_point_edit(std::move(edit));
  rebuild_data();
  restart_trainer(network());
  return true;
}

void Session::push_point_edit(PointEdit edit) {
  if (static_cast<int>(undo_.size()) >= kMaxPointUndo) undo_.erase(undo_.begin());
  undo_.push_back(std::move(edit));
}

bool Session::clear_user_points() {
  if (user_points_.empty()) return false;
  push_point_edit(PointEdit{user_points_});
  user_points_.clear();
  rebuild_data();
  restart_trainer(network());
  return true;
}

bool Session::undo_point_edit() {
  if (undo_.empty()) return false;
  PointEdit edit = std::move(undo_.back());
  undo_.pop_back();
  user_points_ = std::move(edit.user);
  if (edit.generated_set >= 0) {
    auto generated = std::make_shared<Split>(*generated_);
    Dataset& d = edit.generated_set == 0 ? generated->train : generated->test;
    insert_column(d, std::min<Eigen::Index>(edit.index, d.size()), edit.x, edit.y, edit.value);
    generated_ = std::move(generated);
  }
  rebuild_data();
  restart_trainer(network());
  return true;
}

CsvResult Session::import_points(const std::string& csv) {
  UserPoints candidate = user_points_;
  CsvResult r = candidate.import_csv(csv, CsvImport::replace);
  if (!r.ok) return r;
  push_point_edit(PointEdit{user_points_});
  user_points_ = candidate;
  rebuild_data();
  restart_trainer(network());
  return r;
}

std::string Session::load_network(const Network& net) {
  const int dims = data_dims(config_);
  if (net.input_dim != dims)
    return "the network takes " + inputs(net.input_dim) + "; this data lies " +
           where_data_lies(dims);
  const int classes = split_->train.classes;
  const int want_outputs = classes <= 2 ? 1 : classes;
  if (net.outputs() != want_outputs)
    return "the network has " + std::to_string(net.outputs()) + " outputs; this data needs " +
           std::to_string(want_outputs);
  const std::string unfit = validate(config_.train, net, split_->train);
  if (!unfit.empty()) return unfit;
  const NetworkSpec s = net.spec();
  config_.network.hidden = s.hidden;
  const bool uniform = std::all_of(s.layer_activations.begin(), s.layer_activations.end(),
                                   [&](Activation a) { return a == s.activation; });
  config_.network.layer_activations = uniform ? std::vector<Activation>{} : s.layer_activations;
  config_.network.activation = s.activation;
  config_.network.leaky_alpha = s.leaky_alpha;
  config_.network.batch_norm = s.batch_norm;
  start_network(net);
  return "";
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Training elsewhere
// -----------------------------------------------------------------------------------------------

Session::Session(const TrainingHandoff& h) : config_(h.config), last_(h.figures) {
  const std::string problem = validate(config_);
  if (!problem.empty()) throw std::invalid_argument(problem);
  // The data must have the dimension of the config's dataset (an empty test set may have no rows).
  const int dims = data_dims(config_);
  if (h.data.train.size() == 0) throw std::invalid_argument("the handoff's training data is empty");
  const Dataset& odd = h.data.train.dim() != dims ? h.data.train : h.data.test;
  if (odd.dim() != dims && odd.size() > 0)
    throw std::invalid_argument("the handoff's points have " + std::to_string(odd.dim()) +
                                " coordinates, but its dataset " + config_.data.name + " lies " +
                                where_data_lies(dims));
  user_points_ = UserPoints(h.data.train.classes, dims);
  auto data = std::make_shared<Split>(h.data);
  if (data->test.size() == 0) data->test.X.resize(dims, 0); // (dims, 0)
  generated_ = split_ = std::move(data);
  TrainConfig t = config_.train;
  t.seed = config_.seed;
  Network net;
  net.input_dim = dims;
  net.layers = h.trainer.layers;
  const std::string unfit = validate(t, net, split_->train);
  if (!unfit.empty()) throw std::invalid_argument(unfit);
  trainer_ = std::make_unique<Trainer>(std::move(net), std::shared_ptr<const Dataset>(split_, &split_->train), t);
  const std::string refused = trainer_->restore(h.trainer);
  if (!refused.empty()) throw std::invalid_argument(refused);
  step_offset_ = h.step_offset;
  epoch_offset_ = h.epoch_offset;
  train_cursor_ = h.train_cursor;
  test_cursor_ = h.test_cursor;
  history_.assume(h.history_steps, h.history_interval);
  timeline_ = ThinnedSeries<Snapshot>(static_cast<std::size_t>(std::clamp<std::int64_t>(h.timeline_capacity, 4, 4096)));
  timeline_.assume(h.timeline_steps, h.timeline_interval);
  progress_step_ = steps();
  update_metrics();
}

TrainingHandoff Session::handoff(bool with_data) const {
  TrainingHandoff h;
  h.config = config_;
  if (with_data) h.data = *split_;
  h.trainer = trainer_->state();
  h.step_offset = step_offset_;
  h.epoch_offset = epoch_offset_;
  h.train_cursor = train_cursor_;
  h.test_cursor = test_cursor_;
  h.figures = last_;
  h.history_steps = history_.steps();
  h.history_interval = history_.interval();
  h.timeline_steps = timeline_.steps();
  h.timeline_interval = timeline_.interval();
  h.timeline_capacity = static_cast<std::int64_t>(timeline_.capacity());
  return h;
}

TrainingProgress Session::progress() {
  TrainingProgress p;
  p.trainer = trainer_->state();
  p.train_cursor = train_cursor_;
  p.test_cursor = test_cursor_;
  p.train_metrics = train_metrics_;
  p.test_metrics = test_metrics_;
  p.history_steps = history_.steps();
  p.history_interval = history_.interval();
  p.timeline_steps = timeline_.steps();
  p.timeline_interval = timeline_.interval();
  p.history = history_.after(progress_step_);
  p.snapshots = timeline_.after(progress_step_);
  p.diverged = trainer_->diverged();
  progress_step_ = steps();
  return p;
}

std::string Session::adopt(const TrainingProgress& p) {
  if (p.trainer.steps < trainer_->steps())
    return "the progress is from step " + std::to_string(step_offset_ + p.trainer.steps) +
           ", before this session's step " + std::to_string(steps());
  const std::string refused = trainer_->restore(p.trainer);
  if (!refused.empty()) return refused;
  ++revision_;
  train_cursor_ = p.train_cursor;
  test_cursor_ = p.test_cursor;
  train_metrics_ = p.train_metrics;
  test_metrics_ = p.test_metrics;
  // The follower recorded the figures of the handoff; this session's latest ones are newer.
  std::vector<HistoryPoint> fresh = p.history;
  for (HistoryPoint& h : fresh) {
    h.tiles = last_.tiles;
    h.lc_train = last_.lc_train;
    h.lc_test = last_.lc_test;
    h.lc_boundary = last_.lc_boundary;
  }
  history_.follow(p.history_steps, p.history_interval, std::move(fresh));
  timeline_.follow(p.timeline_steps, p.timeline_interval, p.snapshots);
  return "";
}

} // namespace splinescope
