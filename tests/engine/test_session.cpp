// Sessions: what a settings change keeps, data edits, divergence, bounded history and timeline.
#include "session.h"

#include "geometry.h"

#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

using namespace splinescope;

namespace {
SessionConfig circles_config() {
  SessionConfig c;
  c.data.name = "circles";
  c.data.n = 200;
  c.data.noise = 0.05;
  c.network.hidden = {16, 16};
  c.seed = 3;
  return c;
}

bool same_weights(const Network& a, const Network& b) {
  if (a.layers.size() != b.layers.size()) return false;
  for (std::size_t l = 0; l < a.layers.size(); ++l)
    if (a.layers[l].W != b.layers[l].W || a.layers[l].b != b.layers[l].b) return false;
  return true;
}
} // namespace

TEST_CASE("a session on circles learns: loss falls and accuracy rises") {
  Session s(circles_config());
  const double before = s.train_metrics().loss;
  const StepResult r = s.train(1500);
  CHECK(r.ok);
  CHECK(s.steps() == 1500);
  CHECK(s.train_metrics().loss < 0.5 * before);
  CHECK(s.test_metrics().accuracy > 0.9);
}

TEST_CASE("changing the learning rate or optimiser keeps the weights and the step count") {
  Session s(circles_config());
  s.train(50);
  const Network before = s.network();
  SessionConfig next = s.config();
  next.train.learning_rate = 0.003;
  next.train.optimizer = Optimizer::momentum;
  CHECK(classify_change(s.config(), next) == ChangeKind::optimizer);
  CHECK(s.apply(next) == "");
  CHECK(same_weights(before, s.network()));
  CHECK(s.steps() == 50);
  s.train(10);
  CHECK(s.steps() == 60);
  CHECK(s.learning_rate() == doctest::Approx(0.003));
}

TEST_CASE("changing the architecture starts a new network and keeps hand-placed points") {
  Session s(circles_config());
  REQUIRE(s.add_point(0.1, 0.2, 1));
  s.train(20);
  SessionConfig next = s.config();
  next.network.hidden = {8, 8, 8};
  CHECK(classify_change(s.config(), next) == ChangeKind::network);
  CHECK(s.apply(next) == "");
  CHECK(s.steps() == 0);
  CHECK(s.network().hidden_layers() == 3);
  CHECK(s.user_points().size() == 1);
  next.data.name = "moons";
  CHECK(classify_change(s.config(), next) == ChangeKind::data);
  CHECK(s.apply(next) == "");
  CHECK(s.user_points().size() == 1);
  // the hand-placed point is in the training set of the new data
  bool found = false;
  for (Eigen::Index j = 0; j < s.data().train.size(); ++j)
    found = found || (s.data().train.X(0, j) == 0.1 && s.data().train.X(1, j) == 0.2);
  CHECK(found);
}

TEST_CASE("more classes give the network one output per class") {
  SessionConfig c = circles_config();
  c.data.name = "blobs";
  c.data.classes = 4;
  Session s(c);
  CHECK(s.network().outputs() == 4);
  CHECK(s.loss() == Loss::softmax);
  s.train(200);
  CHECK(std::isfinite(s.train_metrics().loss));
}

TEST_CASE("adding and removing points keeps the weights and changes the training set") {
  Session s(circles_config());
  s.train(30);
  const Network before = s.network();
  const auto n = s.data().train.size();
  CHECK(s.add_point(2.0, 2.0, 0));
  CHECK(s.data().train.size() == n + 1);
  CHECK(same_weights(before, s.network()));
  CHECK(s.steps() == 30);
  CHECK_FALSE(s.add_point(std::nan(""), 0, 0));
  CHECK_FALSE(s.add_point(0, 0, 7)); // no class 7 in a binary set
  CHECK(s.remove_point(2.0, 2.0, 0.01));
  CHECK(s.data().train.size() == n);
  CHECK(s.user_points().size() == 0);
  // removing a generated point
  const double gx = s.data().test.X(0, 0), gy = s.data().test.X(1, 0);
  const auto test_n = s.data().test.size();
  CHECK(s.remove_point(gx, gy, 1e-9));
  CHECK(s.data().test.size() == test_n - 1);
  CHECK_FALSE(s.remove_point(100, 100, 0.5));
}

namespace {
bool same_split(const Split& a, const Split& b) {
  auto same = [](const Dataset& x, const Dataset& y) {
    return x.X.cols() == y.X.cols() && x.X == y.X && x.labels == y.labels && x.targets == y.targets;
  };
  return same(a.train, b.train) && same(a.test, b.test);
}
} // namespace

TEST_CASE("undoing every point edit in reverse order gives back the data it started from") {
  Session s(circles_config());
  s.train(10);
  const Network weights = s.network();
  std::vector<Split> seen{s.data()}; // the data before each edit: the oracle for each undo
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> coord(-1.5, 1.5);
  for (int i = 0; i < 40; ++i) {
    bool edited = false;
    switch (i % 4) {
    case 0: case 1: edited = s.add_point(coord(rng), coord(rng), i % 2); break;
    case 2: { // a generated point, train or test, exactly under the cursor
      const Dataset& d = i % 8 == 2 ? s.data().train : s.data().test;
      const Eigen::Index j = static_cast<Eigen::Index>(rng() % d.size());
      edited = s.remove_point(d.X(0, j), d.X(1, j), 1e-12);
      break;
    }
    case 3: edited = i % 12 == 3 ? s.clear_user_points() : s.remove_point(coord(rng), coord(rng), 0.3); break;
    }
    if (edited) seen.push_back(s.data());
  }
  REQUIRE(seen.size() > 25);
  REQUIRE(s.undoable_point_edits() == static_cast<int>(seen.size()) - 1);
  for (std::size_t k = seen.size() - 1; k > 0; --k) {
    REQUIRE(s.undo_point_edit());
    CHECK(same_split(s.data(), seen[k - 1]));
  }
  CHECK_FALSE(s.undo_point_edit());
  CHECK(same_weights(weights, s.network())); // edits and their undo keep the weights
  CHECK(s.steps() == 10);
}

TEST_CASE("clearing hand-placed points removes only them, and new data forgets the undo history") {
  Session s(circles_config());
  const Split original = s.data();
  CHECK_FALSE(s.clear_user_points()); // nothing to clear: no edit
  CHECK(s.undoable_point_edits() == 0);
  s.add_point(0.5, 0.5, 1);
  s.add_point(-0.5, 0.5, 0);
  CHECK(s.clear_user_points());
  CHECK(s.user_points().empty());
  CHECK(same_split(s.data(), original));
  CHECK(s.undo_point_edit());
  CHECK(s.user_points().size() == 2);
  SessionConfig next = s.config();
  next.data.noise = 0.2;
  CHECK(s.apply(next).empty());
  CHECK(s.undoable_point_edits() == 0);
  CHECK(s.user_points().size() == 2); // placed points survive new data, as before
}

TEST_CASE("the undo history keeps the last edits only") {
  Session s(circles_config());
  for (int i = 0; i < Session::kMaxPointUndo + 10; ++i) s.add_point(0.01 * i, 0, 0);
  CHECK(s.undoable_point_edits() == Session::kMaxPointUndo);
  for (int i = 0; i < Session::kMaxPointUndo; ++i) CHECK(s.undo_point_edit());
  CHECK(s.user_points().size() == 10);
}

TEST_CASE("a diverging learning rate stops training and the last good weights come back") {
  // Squared error on a regression surface has unbounded gradients: SGD at rate 10 explodes.
  SessionConfig c = circles_config();
  c.data.name = "ripple";
  c.train.optimizer = Optimizer::sgd;
  c.train.learning_rate = 10.0;
  c.network.hidden = {32, 32, 32};
  Session s(c);
  StepResult r;
  for (int i = 0; i < 20 && r.ok; ++i) r = s.train(100);
  REQUIRE_FALSE(r.ok);
  CHECK(s.diverged());
  CHECK(r.step >= 1);
  CHECK_FALSE(s.divergence_message().empty());
  CHECK_FALSE(s.train(1).ok); // refuses while diverged
  for (const Layer& layer : s.network().layers) CHECK(layer.W.allFinite());
  CHECK(s.restore_last_good());
  CHECK_FALSE(s.diverged());
  for (const Layer& layer : s.network().layers) CHECK(layer.W.allFinite());
  CHECK(std::isfinite(evaluate(s.network(), s.data().train).loss));
  s.reset(); // and a fresh start trains again at a sane rate
  SessionConfig calm = s.config();
  calm.train.learning_rate = 0.001;
  CHECK(s.apply(calm) == "");
  CHECK(s.train(5).ok);
}

TEST_CASE("invalid settings are refused with the field named and the session unchanged") {
  Session s(circles_config());
  SessionConfig bad = s.config();
  bad.network.hidden = {16, 0};
  CHECK(s.apply(bad).find("network") != std::string::npos);
  CHECK(s.network().hidden_layers() == 2);
  bad = s.config();
  bad.data.name = "nope";
  CHECK(s.apply(bad).find("data") != std::string::npos);
  bad = s.config();
  bad.train.learning_rate = -1;
  CHECK(s.apply(bad).find("training") != std::string::npos);
  CHECK(s.config().train.learning_rate == circles_config().train.learning_rate);
}

TEST_CASE("the thinned series keeps its capacity and covers the whole run") {
  ThinnedSeries<int> series(8);
  for (int step = 0; step <= 1000; ++step) series.offer(step, step);
  CHECK(series.items().size() <= 8);
  CHECK(series.items().front() == 0);
  CHECK(series.items().back() >= 1000 - series.interval());
  for (std::size_t i = 1; i < series.items().size(); ++i)
    CHECK(series.items()[i] - series.items()[i - 1] == series.interval());
}

TEST_CASE("history and timeline stay bounded during long training") {
  Session s(circles_config());
  s.train(20000);
  CHECK(s.history().items().size() <= s.history().capacity());
  CHECK(s.timeline().items().size() <= s.timeline().capacity());
  CHECK(s.history().items().front().step == 0);
  CHECK(s.history().items().back().step > 15000);
  CHECK(s.timeline().items().back().step > 15000);
}

TEST_CASE("a loaded network replaces the current one when its outputs fit the data") {
  Session s(circles_config());
  NetworkSpec spec;
  spec.hidden = {5, 4};
  const Network net = make_network(spec, 9);
  CHECK(s.load_network(net) == "");
  CHECK(same_weights(s.network(), net));
  CHECK(s.config().network.hidden == std::vector<int>{5, 4});
  spec.outputs = 3;
  CHECK_FALSE(s.load_network(make_network(spec, 9)).empty());
}

TEST_CASE("a session's local complexity counts the neurons that switch sign around its points") {
  Session s(circles_config());
  s.train(200);
  const double r = 0.3;
  const Session::Figures f = s.local_complexity(r, Eigen::MatrixXd(2, 0));
  // Oracle: signs of every hidden pre-activation at x +- r e_1, x +- r e_2, point by point.
  const Dataset& d = s.data().train;
  double total = 0;
  for (Eigen::Index j = 0; j < d.size(); ++j) {
    Eigen::MatrixXd P(2, 4); // (2, 4) the frame around point j
    P.col(0) = d.X.col(j) + Eigen::Vector2d(r, 0);
    P.col(1) = d.X.col(j) - Eigen::Vector2d(r, 0);
    P.col(2) = d.X.col(j) + Eigen::Vector2d(0, r);
    P.col(3) = d.X.col(j) - Eigen::Vector2d(0, r);
    const ForwardGeometry g = forward_geometry(s.network(), P);
    for (const Eigen::MatrixXd& H : g.pre) {
      for (Eigen::Index k = 0; k < H.rows(); ++k) {
        int positive = 0;
        for (int c = 0; c < 4; ++c) positive += H(k, c) > 0;
        total += positive != 0 && positive != 4;
      }
    }
  }
  CHECK(f.lc_train == doctest::Approx(total / d.size()));
  CHECK(f.lc_train > 0);
  CHECK(std::isnan(f.lc_boundary));
  s.report(f);
  s.train(10); // the history carries the reported figures
  CHECK(s.history().items().back().lc_train == doctest::Approx(f.lc_train));
}

TEST_CASE("figures reported after many steps in one call go to the history point of that step") {
  Session s(circles_config());
  s.report(Session::Figures{100, 1, 2, 3});
  const std::int64_t every = s.history().interval();
  s.train(static_cast<int>(3 * every));
  const std::size_t n = s.history().items().size();
  REQUIRE(n >= 2);
  REQUIRE(s.history().items().back().step == 3 * every);
  CHECK(s.history().items().back().tiles == 100); // recorded before the count of that step
  s.report(Session::Figures{42, 4, 5, 6});
  const HistoryPoint& last = s.history().items().back();
  CHECK(s.history().items().size() == n);
  CHECK(last.tiles == 42);
  CHECK(last.lc_train == 4);
  CHECK(last.lc_test == 5);
  CHECK(last.lc_boundary == 6);
  CHECK(s.history().items()[n - 2].tiles == 100); // earlier steps keep theirs
  REQUIRE(every > 1);
  s.train(1); // a step without a history point: a report changes nothing kept
  s.report(Session::Figures{7, 7, 7, 7});
  CHECK(s.history().items().back().step == 3 * every);
  CHECK(s.history().items().back().tiles == 42);
}

TEST_CASE("the history records train and test accuracy for classes and NaN for regression") {
  Session s(circles_config());
  s.train(300);
  const HistoryPoint& last = s.history().items().back();
  CHECK(last.step == 300);
  CHECK(last.train_accuracy == doctest::Approx(s.train_metrics().accuracy));
  CHECK(last.test_accuracy == doctest::Approx(s.test_metrics().accuracy));
  CHECK(last.train_accuracy > s.history().items().front().train_accuracy);
  SessionConfig ripple = circles_config();
  ripple.data.name = "ripple";
  Session r(ripple);
  r.train(20);
  CHECK(std::isnan(r.history().items().back().train_accuracy));
  CHECK(std::isnan(r.history().items().back().test_accuracy));
}

TEST_CASE("metrics over large data use a moving window of points, and refine to the exact values") {
  SessionConfig c = circles_config();
  c.data.n = 12000; // 9,600 train and 2,400 test points
  Session s(c);
  s.train(3);
  const Split& data = s.data();
  REQUIRE(data.train.size() > Session::kMetricPoints);
  // Early on (a history point every 5 steps) a window holds two batches per step: 2 x 32 x 5.
  CHECK(s.history().interval() == 5);
  CHECK(s.metric_points() == 320);
  CHECK(s.train_metrics().n == 320);
  CHECK(s.test_metrics().n == 320);
  const Metrics exact_train = evaluate(s.network(), data.train, s.loss());
  const Metrics exact_test = evaluate(s.network(), data.test, s.loss());
  // A window is a sample: near the exact value, not equal to it.
  CHECK(std::abs(s.train_metrics().loss - exact_train.loss) < 0.1);
  // Refining in chunks gives the exact values over every point.
  int calls = 0;
  while (!s.refine_metrics(1500)) ++calls;
  CHECK(calls >= (9600 + 2400) / 1500 - 1);
  CHECK(s.train_metrics().n == data.train.size());
  CHECK(s.test_metrics().n == data.test.size());
  CHECK(s.train_metrics().loss == doctest::Approx(exact_train.loss).epsilon(1e-12));
  CHECK(s.train_metrics().accuracy == doctest::Approx(exact_train.accuracy).epsilon(1e-12));
  CHECK(s.test_metrics().loss == doctest::Approx(exact_test.loss).epsilon(1e-12));
  CHECK(s.test_metrics().accuracy == doctest::Approx(exact_test.accuracy).epsilon(1e-12));
  CHECK(s.refine_metrics(1)); // done: nothing more to add
  // Training starts over: a window again, and the sum restarts for the new weights.
  s.train(1);
  CHECK(s.train_metrics().n == 320);
  CHECK_FALSE(s.refine_metrics(100));
  // History points thin out as the run grows (every 10 steps after 5,120, ...), and the window
  // grows with them, up to kMetricPoints.
  s.train(40000);
  CHECK(s.history().interval() >= 40);
  CHECK(s.train_metrics().n == Session::kMetricPoints);
}

TEST_CASE("a large network's metric window holds fewer points, within the multiply-add budget") {
  SessionConfig c = circles_config();
  c.data.n = 5000;
  c.network.hidden = {64, 64, 64, 64};
  Session s(c);
  // 2-64^4-1: 64 x 3 + 3 x 64 x 65 + 65 multiply-adds (weights and biases).
  const double macs = 64 * 3 + 3 * 64 * 65 + 65;
  CHECK(s.network().multiply_adds() == macs);
  CHECK(s.metric_points() == static_cast<Eigen::Index>(Session::kMetricMacs / macs));
  CHECK(s.train_metrics().n == s.metric_points());
  c.network.hidden = {4};
  CHECK(Session(c).metric_points() == 2 * 32 * 5); // the early-run bound, not the budget
  // Too large for 200 points within the budget: the budget's count (8 x 64: about 29,000
  // multiply-adds, 136 points), never fewer than 50.
  c.network.hidden = {64, 64, 64, 64, 64, 64, 64, 64};
  Session wide(c);
  const double wide_macs = wide.network().multiply_adds();
  CHECK(wide.metric_points() == static_cast<Eigen::Index>(Session::kMetricMacs / wide_macs));
  CHECK(wide.metric_points() < Session::kMinMetricPoints);
}

TEST_CASE("metrics over small data are exact after every update") {
  Session s(circles_config());
  s.train(5);
  const Metrics exact = evaluate(s.network(), s.data().train, s.loss());
  CHECK(s.train_metrics().n == s.data().train.size());
  CHECK(s.train_metrics().loss == exact.loss);
  CHECK(s.refine_metrics(1));
}

TEST_CASE("local complexity on large data is the frame estimate around a fixed sample of points") {
  SessionConfig c = circles_config();
  c.data.n = 5000;
  Session s(c);
  const Session::Figures f = s.local_complexity(0.1, Eigen::MatrixXd(2, 0));
  const Eigen::MatrixXd sample = s.data().train.X.leftCols(Session::kComplexityPoints); // (2, 500)
  CHECK(f.lc_train == doctest::Approx(frame_complexity(s.network(), sample, 0.1).mean));
  CHECK(std::isnan(f.lc_boundary));
}
