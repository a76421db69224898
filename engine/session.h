// session.h - one live training session, as the app runs it: data, network, trainer, history and
// timeline, and the rules for what a settings change keeps.
//
// The app (web/) only draws and forwards input; every decision about training state lives here so
// that it is tested natively:
//   - changing the learning rate, optimiser, schedule, regularisation or batch size keeps the
//     weights and training goes on;
//   - changing the dataset, noise, n, split, seed, architecture, activation, batch norm or
//     initialisation starts a new network (points added by hand survive, unless the new dataset
//     lies in another dimension);
//   - the network has one input per coordinate of the data: 2 for the plane's datasets, 1 for
//     the line's (DatasetInfo::dims), so changing between them changes the input dimension;
//   - adding or removing points keeps the weights (the network adapts to the edit);
//   - divergence pauses training and the last good weights stay one call away.
//
// Index
//   [SECTION] Configuration
//   [SECTION] History and timeline
//   [SECTION] Session
#pragma once

#include "datasets.h"
#include "network.h"
#include "train.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

namespace splinescope {

// -----------------------------------------------------------------------------------------------
// [SECTION] Configuration
// -----------------------------------------------------------------------------------------------

// Everything that defines a session. The defaults are the app's opening setup.
struct SessionConfig {
  DatasetSpec data = default_data();
  NetworkSpec network = default_network();
  TrainConfig train;
  std::uint64_t seed = 1; // one seed for data, initialisation and batch order

  static DatasetSpec default_data();
  static NetworkSpec default_network();
};

// What a change from one config to another requires.
enum class ChangeKind {
  none,       // identical
  optimizer,  // training settings only: weights kept
  network,    // a new network on the same data
  data        // new data and a new network
};
ChangeKind classify_change(const SessionConfig& from, const SessionConfig& to);

// "" when the config can run, otherwise the first problem as a sentence naming the field.
std::string validate(const SessionConfig& config);

// -----------------------------------------------------------------------------------------------
// [SECTION] History and timeline
// -----------------------------------------------------------------------------------------------

// One row of the charts.
struct HistoryPoint {
  std::int64_t step = 0;
  double train_loss = 0, test_loss = 0;
  double train_accuracy = 0, test_accuracy = 0; // NaN for regression
  double tiles = 0;                             // NaN until the app reports a count
  // Local complexity (frame estimate, see geometry.h) around train points, test points and the
  // decision boundary; NaN until reported.
  double lc_train = 0, lc_test = 0, lc_boundary = 0;
};

// A bounded series: when full, every other point is dropped and the sampling interval doubles, so
// memory stays fixed and the whole run stays visible at decreasing resolution.
template <class T> class ThinnedSeries {
public:
  explicit ThinnedSeries(std::size_t capacity = 512) : capacity_(capacity < 4 ? 4 : capacity) {}
  // Offers an item for step `step`; it is kept when step is a multiple of the current interval.
  void offer(std::int64_t step, const T& item) {
    if (step % interval_ != 0) return;
    if (items_.size() >= capacity_) {
      std::size_t kept = 0;
      for (std::size_t i = 0; i < items_.size(); i += 2) items_[kept++] = items_[i];
      items_.resize(kept);
      interval_ *= 2;
      if (step % interval_ != 0) return;
    }
    items_.push_back(item);
  }
  void clear() {
    items_.clear();
    interval_ = base_interval_;
  }
  void set_base_interval(std::int64_t every) { base_interval_ = interval_ = every < 1 ? 1 : every; }
  const std::vector<T>& items() const { return items_; }
  // The last item when it is the one offered for `step` (and kept), else nullptr.
  T* at_step(std::int64_t step) {
    return !items_.empty() && items_.back().step == step ? &items_.back() : nullptr;
  }
  std::int64_t interval() const { return interval_; }
  std::size_t capacity() const { return capacity_; }

  // Following another series (a session training elsewhere, see TrainingHandoff):
  // The steps of the items, oldest first.
  std::vector<std::int64_t> steps() const {
    std::vector<std::int64_t> out;
    out.reserve(items_.size());
    for (const T& item : items_) out.push_back(item.step);
    return out;
  }
  // The items after `step`, oldest first.
  std::vector<T> after(std::int64_t step) const {
    auto first = items_.end();
    while (first != items_.begin() && std::prev(first)->step > step) --first;
    return std::vector<T>(first, items_.end());
  }
  // Becomes the series another one is: keeps the items at its steps (sorted) and appends `fresh`,
  // its items after this one's last, so that both go on thinning alike.
  void follow(const std::vector<std::int64_t>& steps, std::int64_t interval, std::vector<T> fresh) {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < items_.size(); ++i)
      if (std::binary_search(steps.begin(), steps.end(), items_[i].step)) {
        if (kept != i) items_[kept] = std::move(items_[i]);
        ++kept;
      }
    items_.resize(kept);
    for (T& item : fresh)
      if (items_.empty() || item.step > items_.back().step) items_.push_back(std::move(item));
    interval_ = interval < 1 ? 1 : interval;
  }
  // A series with items at these steps that hold nothing else (the follower's: it thins and
  // samples like the original without its data).
  void assume(const std::vector<std::int64_t>& steps, std::int64_t interval) {
    items_.assign(steps.size(), T{});
    for (std::size_t i = 0; i < steps.size(); ++i) items_[i].step = steps[i];
    interval_ = interval < 1 ? 1 : interval;
  }

private:
  std::vector<T> items_;
  std::size_t capacity_;
  std::int64_t base_interval_ = 1;
  std::int64_t interval_ = 1;
};

struct Snapshot {
  std::int64_t step = 0;
  Network network;
};

// -----------------------------------------------------------------------------------------------
// [SECTION] Training elsewhere
// -----------------------------------------------------------------------------------------------
// A session can hand its training to a follower (a Session built from a handoff, e.g. in a
// worker) and take the follower's progress back. The follower takes exactly the steps the session
// would have taken, and its history and timeline thin alike, so adopting its progress leaves the
// session as if it had trained itself (engine/training_wire.h writes both as bytes).

// Local-complexity and tile figures the app measures (Session::report).
struct MeasuredFigures {
  double tiles, lc_train, lc_test, lc_boundary;
};

struct TrainingHandoff {
  SessionConfig config;
  Split data; // the session's data: generated points, minus removed ones, plus hand-placed ones
  Trainer::State trainer;
  std::int64_t step_offset = 0, epoch_offset = 0;
  Eigen::Index train_cursor = 0, test_cursor = 0;
  MeasuredFigures figures{0, 0, 0, 0};
  std::vector<std::int64_t> history_steps, timeline_steps;
  std::int64_t history_interval = 1, timeline_interval = 1;
  std::int64_t timeline_capacity = 16;
};

struct TrainingProgress {
  Trainer::State trainer;
  Eigen::Index train_cursor = 0, test_cursor = 0;
  Metrics train_metrics, test_metrics;
  std::vector<std::int64_t> history_steps, timeline_steps; // the follower's series now
  std::int64_t history_interval = 1, timeline_interval = 1;
  std::vector<HistoryPoint> history; // its points and snapshots since the last progress
  std::vector<Snapshot> snapshots;
  bool diverged = false; // the next step diverges (the state is the last good one)
};

// -----------------------------------------------------------------------------------------------
// [SECTION] Session
// -----------------------------------------------------------------------------------------------

class Session {
public:
  // Throws std::invalid_argument when validate(config) fails.
  explicit Session(SessionConfig config = SessionConfig{});

  const SessionConfig& config() const { return config_; }
  // Applies new settings with the rules above. Returns "" or why the config was refused (the
  // current one stays).
  std::string apply(const SessionConfig& next);
  // A fresh network from the current settings and seed (the data stays).
  void reset();
  // New data from the next seed, and a fresh network.
  void regenerate();

  // Up to `steps` optimiser steps; stops at divergence. Returns the last result.
  StepResult train(int steps);
  bool diverged() const { return trainer_->diverged(); }
  const std::string& divergence_message() const { return trainer_->divergence_message(); }
  // Back to the weights from before the failing step; false when not diverged.
  bool restore_last_good();

  std::int64_t steps() const { return step_offset_ + trainer_->steps(); }
  std::int64_t epochs() const { return epoch_offset_ + trainer_->epochs(); }
  double learning_rate() const { return trainer_->learning_rate(); }
  const Network& network() const { return trainer_->network(); }
  const Split& data() const { return *split_; }
  // The same data as shared, never changed in place (a point edit or new data makes another).
  std::shared_ptr<const Split> shared_data() const { return split_; }
  Loss loss() const { return trainer_->loss(); }

  // Evaluation-mode metrics on train and test, recomputed after every change.
  // Train and test metrics, updated after every train() call and with every history point: over
  // all points of a set up to metric_points() of them; beyond, over a window of that many points
  // that moves on with every update (the points come in a random order, so each window is a
  // random sample), so the cost per update stays bounded; Metrics::n says how many were used.
  const Metrics& train_metrics() const { return train_metrics_; }
  const Metrics& test_metrics() const { return test_metrics_; }
  // Adds up the metrics over every point, at most max_points more points per call (a paused page
  // calls it every frame); true once train_metrics() and test_metrics() hold the values over all
  // points. Training starts the sum again.
  bool refine_metrics(Eigen::Index max_points);
  // Points per metric update: kMetricPoints, fewer for a large network (kMetricMacs multiply-adds
  // at most) and early in a run, when history points come every few steps (kMetricBatchesPerStep
  // batches per step between two of them, so that measuring costs about what training does,
  // whatever the data's size); never fewer than kMinMetricPoints, unless even those would exceed
  // kMetricMacs (a network on 784-pixel images), and never fewer than kLeastMetricPoints.
  Eigen::Index metric_points() const;
  static constexpr Eigen::Index kMetricPoints = 2000, kMinMetricPoints = 200, kLeastMetricPoints = 50;
  static constexpr double kMetricMacs = 4e6;
  static constexpr double kMetricBatchesPerStep = 2;
  // Local complexity is estimated around the first kComplexityPoints train and test points (a
  // fixed random sample: the points come in a random order).
  static constexpr Eigen::Index kComplexityPoints = 500;
  const ThinnedSeries<HistoryPoint>& history() const { return history_; }
  const ThinnedSeries<Snapshot>& timeline() const { return timeline_; }
  // Records figures the app measures while drawing (tile count, local complexity) for the
  // history; they stay until the next report.
  using Figures = MeasuredFigures;
  void report(const Figures& figures);
  void report_tiles(double tiles) { report(Figures{tiles, last_.lc_train, last_.lc_test, last_.lc_boundary}); }
  // Frame-estimate local complexity of the current network at radius r around the train and test
  // points and n_boundary points spread along the given boundary points ((D, m) with D the
  // network's input dimension, 2 or 1; may be empty).
  Figures local_complexity(double r, const Eigen::MatrixXd& boundary_points) const;

  // Points placed by hand (added to the training set). value: label, or target for regression.
  // False when the point is invalid. Removal takes the nearest hand-placed or generated point.
  // On the line's datasets y is ignored: a point is x and its value, and "nearest" is along x.
  bool add_point(double x, double y, double value);
  bool remove_point(double x, double y, double radius);
  const UserPoints& user_points() const { return user_points_; }
  // Replaces the hand-placed points from CSV text (all or nothing).
  CsvResult import_points(const std::string& csv);
  // Removes every hand-placed point; false (and no edit) when there are none.
  bool clear_user_points();
  // Point edits (add, remove, clear, import) can be undone, the last kMaxPointUndo of them, most
  // recent first. New data (another dataset, seed, size, ...) forgets them: the generated points
  // they refer to are gone. Undo keeps the weights, as the edit did.
  bool undo_point_edit();
  int undoable_point_edits() const { return static_cast<int>(undo_.size()); }
  static constexpr int kMaxPointUndo = 64;

  // Load a network with the current data (e.g. from a file or a test); the architecture fields
  // of the config follow the network. Returns "" or the reason it does not fit the data (its
  // input dimension must be the data's: "the network takes 2 inputs; this data lies on a line
  // (1 input)").
  std::string load_network(const Network& net);

  // Training elsewhere (see TrainingHandoff). A follower: throws std::invalid_argument when the
  // handoff does not make a session.
  explicit Session(const TrainingHandoff& handoff);
  // with_data false leaves handoff.data empty (write_handoff(h, data()) writes the points from
  // here: an image set is tens of megabytes as doubles).
  TrainingHandoff handoff(bool with_data = true) const;
  // The follower's progress since its last progress() (or since the handoff).
  TrainingProgress progress();
  // Goes on from a follower's progress. Returns "" or why it does not fit (nothing changes).
  std::string adopt(const TrainingProgress& progress);
  // Counts the changes to the session's training state (steps, settings, data, weights; not
  // reported figures or refined metrics): a handoff is current while this stays the same.
  std::uint64_t revision() const { return revision_; }

private:
  // What a point edit changed: the hand-placed points before it and, when it removed a generated
  // point, where that point was (set 0 train, 1 test; its index, coordinates and value).
  struct PointEdit {
    UserPoints user;
    int generated_set = -1;
    Eigen::Index index = -1;
    double x = 0, y = 0, value = 0;
  };
  void push_point_edit(PointEdit edit);
  // Metrics of `data` over the kMetricPoints points from *cursor on (wrapping), which moves on.
  Metrics sampled_metrics(const Dataset& data, Eigen::Index* cursor) const;
  void update_metrics();

  void rebuild_data();
  void start_network(const Network& net);
  void restart_trainer(Network net); // by value: callers pass the current trainer's network
  void record();

  SessionConfig config_;
  // Shared, never changed in place (an edit makes a new one): image data's split is the provided
  // images themselves, and the trainer trains on split_'s training set without a copy.
  std::shared_ptr<const Split> generated_; // from config_.data
  std::shared_ptr<const Split> split_;     // generated_ plus hand-placed points, minus removed ones
  UserPoints user_points_;
  std::vector<PointEdit> undo_; // oldest first
  Eigen::Index train_cursor_ = 0, test_cursor_ = 0; // where the next metric windows start
  // The exact metrics being added up by refine_metrics(), for the network of `step`.
  struct FullMetrics {
    std::int64_t step = -1;
    int set = 0;                // 0 train, 1 test, 2 done
    Eigen::Index next = 0;      // next point of that set
    double loss_sum = 0, correct_sum = 0;
    Metrics train;
  } full_;
  std::unique_ptr<Trainer> trainer_;
  std::int64_t step_offset_ = 0, epoch_offset_ = 0;
  Metrics train_metrics_, test_metrics_;
  ThinnedSeries<HistoryPoint> history_{1024};
  ThinnedSeries<Snapshot> timeline_{120};
  Figures last_;
  std::uint64_t revision_ = 0;
  std::int64_t progress_step_ = 0; // a follower's step at its last progress()
};

} // namespace splinescope
